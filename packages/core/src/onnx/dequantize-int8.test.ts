import { key, uniform } from '@vae/random';
import { describe, expect, it } from 'vitest';
import { createBundle } from '../export/create';
import { INT8_SUFFIX, int8Weights } from '../export/onnx-export';
import { runFile, tensor } from '../export/test-helpers';
import type { HostTensor } from '../ir/dtype';
import { mlpVAE } from '../models/index';
import { dequantizeInt8 } from './dequantize-int8';
import { decodeModel, encodeModel } from './onnx-proto';
import { OnnxDataType } from './onnx-types';
import { OnnxImportError } from './read';

const vae = mlpVAE({ inputSize: 784, hidden: [64], latent: 8 });
const params = vae.init(key(1));
const f32 = (raw: Uint8Array) => new Float32Array(raw.slice().buffer);

describe('dequantizeInt8', () => {
  it('undoes int8Weights: the trained weights within the int8 rounding, no integer ops left', async () => {
    const { files } = await createBundle(vae, params, { dtype: 'int8' });
    const back = decodeModel(dequantizeInt8(files['decoder.onnx']!));
    expect(back.graph.node.some((n) => /Integer|Quantize/.test(n.opType))).toBe(false);
    expect(back.graph.initializer.every((t) => t.dataType === OnnxDataType.FLOAT)).toBe(true);
    for (const name of ['dec.0.weight', 'dec.2.weight']) {
      const w = params[name]!.data as Float32Array;
      const [k, cols] = params[name]!.shape as [number, number];
      const got = f32(back.graph.initializer.find((t) => t.name === name)!.rawData);
      expect(got.length).toBe(k * cols);
      for (let j = 0; j < cols; j++) {
        let mx = 0;
        for (let i = 0; i < k; i++) mx = Math.max(mx, Math.abs(w[i * cols + j]!));
        const half = mx / 127 / 2;
        for (let i = 0; i < k; i++)
          expect(Math.abs(got[i * cols + j]! - w[i * cols + j]!)).toBeLessThanOrEqual(half * 1.0001);
      }
    }
  });

  it('runs bit-equal to a float32 decoder exported with the dequantised weights', async () => {
    const { files } = await createBundle(vae, params, { dtype: 'int8' });
    const bytes = dequantizeInt8(files['decoder.onnx']!);
    const stored: Record<string, HostTensor> = { ...params };
    for (const t of decodeModel(bytes).graph.initializer)
      if (t.name in stored) stored[t.name] = tensor([...t.dims], f32(t.rawData));
    const plain = (await createBundle(vae, stored)).files['decoder.onnx']!;
    const z = tensor([16, 8], uniform(key(2), 16 * 8, { low: -3, high: 3 }));
    const a = (await runFile(bytes, { z })).out.params!;
    const b = (await runFile(plain, { z })).out.params!;
    expect(Array.from(a)).toEqual(Array.from(b));
  });

  it('returns a file without integer matmuls as it is, and refuses an integer matmul of another form', async () => {
    const fp32 = (await createBundle(vae, params)).files['decoder.onnx']!;
    expect(dequantizeInt8(fp32)).toBe(fp32);
    const m = int8Weights(decodeModel(fp32), new Set(['dec.0.weight']));
    // without the weight zero point (the old int8 form): not what the export writes
    const other = {
      ...m,
      graph: {
        ...m.graph,
        node: m.graph.node.map((n) =>
          n.opType === 'MatMulInteger' ? { ...n, input: n.input.slice(0, 3) } : n,
        ),
      },
    };
    expect(m.graph.initializer.some((t) => t.name.endsWith(INT8_SUFFIX))).toBe(true);
    expect(() => dequantizeInt8(encodeModel(other))).toThrow(OnnxImportError);
  });
});
