import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { HostTensor } from '../ir/dtype';
import { convVAE28, mlpVAE, tabularVAE } from '../models/builders';
import type { VAE } from '../models/vae';
import { decodeModel } from '../onnx/onnx-proto';
import { OnnxDataType } from '../onnx/onnx-types';
import { key } from '../random/key';
import { onnxCheck } from '../testing/python';
import { createBundle } from './create';
import { fromFloat16Array, toFloat16Array } from './float16';
import { verifyBundleFiles } from './hash';
import { parseManifestText } from './manifest';
import { dataFeeds, maxAbsDiff, reference, runFile } from './test-helpers';

const labels = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
const models: [string, VAE][] = [
  ['mlpVAE', mlpVAE({ inputSize: 784, hidden: [64], latent: 8 })],
  [
    'conditional mlpVAE',
    mlpVAE({ inputSize: 784, hidden: [48], latent: 4, condition: { size: 10, labels } }),
  ],
  ['convVAE28', convVAE28({ latent: 4 })],
  [
    'tabularVAE',
    tabularVAE(
      [
        { name: 'age', type: 'continuous' },
        { name: 'smoker', type: 'binary' },
        { name: 'colour', type: 'categorical', categories: 3 },
      ],
      { latent: 2, hidden: [6] },
    ),
  ],
];

const dir = mkdtempSync(join(tmpdir(), 'vae-bundle-'));
const written: string[] = [];
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, bytes: Uint8Array): void {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  written.push(p);
}

/** Parameters rounded to float16 and back: what a float16 bundle computes with. */
const halved = (params: Record<string, HostTensor>) =>
  Object.fromEntries(
    Object.entries(params).map(([n, t]) => [
      n,
      { ...t, data: fromFloat16Array(toFloat16Array(t.data as Float32Array)) },
    ]),
  ) as Record<string, HostTensor>;

describe.each(models)('bundle of a %s', (label, vae) => {
  const params = vae.init(key(label.length));
  const slug = label.replace(/\W+/g, '-');

  it('encoder.onnx and decoder.onnx on onnxruntime-node match the interpreter to 1e-5', async () => {
    const { manifest, files } = await createBundle(vae, params, {
      metrics: { elbo: -100.5 },
      recipe: { lr: 1e-3 },
    });
    expect(parseManifestText(files['manifest.json']!)).toEqual(manifest);
    await verifyBundleFiles(manifest, files);
    for (const role of ['encoder', 'decoder'] as const) {
      const feeds = dataFeeds(vae, role, 3, 11);
      const { out, inputNames, outputNames } = await runFile(files[manifest[role].file]!, feeds);
      expect([...inputNames].sort()).toEqual(manifest[role].inputs.map((t) => t.name).sort());
      expect([...outputNames]).toEqual(manifest[role].outputs.map((t) => t.name));
      const ref = reference(vae, role, params, feeds);
      for (const [name, want] of Object.entries(ref)) {
        const diff = maxAbsDiff(out[name]!, want);
        console.log(`${label} ${role}.${name}: max |ORT - interpreter| = ${diff.toExponential(2)}`);
        expect(diff).toBeLessThanOrEqual(1e-5);
      }
      write(`${slug}-${role}.onnx`, files[manifest[role].file]!);
    }
    // Each file carries its own role's weights only.
    const enc = decodeModel(files['encoder.onnx']!).graph.initializer.map((t) => t.name);
    const dec = decodeModel(files['decoder.onnx']!).graph.initializer.map((t) => t.name);
    expect(enc.some((n) => n.startsWith('dec.'))).toBe(false);
    expect(dec.some((n) => n.startsWith('enc.'))).toBe(false);
    expect(dec.some((n) => n.startsWith('dec.'))).toBe(true);
  });

  it('a float16 bundle is about half the size and computes with float16-rounded weights', async () => {
    const full = await createBundle(vae, params);
    const half = await createBundle(vae, params, { dtype: 'float16' });
    expect(half.manifest.dtype).toBe('float16');
    for (const role of ['encoder', 'decoder'] as const) {
      const file = half.manifest[role].file;
      const ratio = half.files[file]!.byteLength / full.files[file]!.byteLength;
      console.log(`${label} ${role}: float16 file is ${(100 * ratio).toFixed(1)}% of float32`);
      // Tiny models are dominated by graph structure; real ones halve.
      if (full.files[file]!.byteLength > 20_000) expect(ratio).toBeLessThan(0.55);
      const types = decodeModel(half.files[file]!).graph.initializer.filter((t) =>
        t.name.startsWith(role.slice(0, 3)),
      );
      expect(types.every((t) => t.dataType === OnnxDataType.FLOAT16)).toBe(true);
      const feeds = dataFeeds(vae, role, 3, 5);
      const { out } = await runFile(half.files[file]!, feeds);
      const exact = reference(vae, role, halved(params), feeds);
      const fp32 = reference(vae, role, params, feeds);
      for (const [name, want] of Object.entries(exact)) {
        const vsRounded = maxAbsDiff(out[name]!, want);
        const vsFull = maxAbsDiff(out[name]!, fp32[name]!);
        const scale = Math.max(1, ...Array.from(fp32[name]!, Math.abs));
        console.log(
          `${label} ${role}.${name} float16: vs rounded-weights reference ${vsRounded.toExponential(2)}, vs float32 ${vsFull.toExponential(2)}`,
        );
        expect(vsRounded).toBeLessThanOrEqual(1e-5);
        expect(vsFull / scale).toBeLessThan(1e-2);
      }
      write(`${slug}-${role}-fp16.onnx`, half.files[file]!);
    }
  });

  it('an int8 bundle stores int8 MatMul weights (~1/4 of the bytes) and stays within 2% of float32', async () => {
    const full = await createBundle(vae, params);
    const q = await createBundle(vae, params, { dtype: 'int8' });
    expect(q.manifest.dtype).toBe('int8');
    expect(parseManifestText(q.files['manifest.json']!).dtype).toBe('int8');
    await verifyBundleFiles(q.manifest, q.files);
    for (const role of ['encoder', 'decoder'] as const) {
      const file = q.manifest[role].file;
      const model = decodeModel(q.files[file]!);
      const ratio = q.files[file]!.byteLength / full.files[file]!.byteLength;
      const hasConv = model.graph.node.some((n) => n.opType.startsWith('Conv'));
      console.log(`${label} ${role}: int8 file is ${(100 * ratio).toFixed(1)}% of float32`);
      // Dense-only models shrink to ~1/4 (scales and biases stay float32); Conv kernels stay float32.
      if (full.files[file]!.byteLength > 20_000 && !hasConv) expect(ratio).toBeLessThan(0.3);
      // Every MatMul on a trained weight is quantised (constant 0/1 expansions, e.g. tabular masks, stay).
      const matmuls = model.graph.node.filter((n) => n.opType === 'MatMul');
      expect(matmuls.filter((n) => Object.hasOwn(params, n.input[1]!))).toEqual([]);
      expect(model.graph.node.filter((n) => n.opType === 'MatMulInteger').length).toBeGreaterThan(0);
      const int8 = model.graph.initializer.filter((t) => t.dataType === OnnxDataType.INT8);
      expect(int8.length).toBe(model.graph.node.filter((n) => n.opType === 'MatMulInteger').length);
      // Error model: weights round to within 1/254 of each column's max |w|, activations to within
      // 1/510 of each tensor's range, so a layer's rounding error is well under 1% of its output scale
      // (errors of opposite sign mostly cancel over K terms) and compounds over 2-4 layers. The bound
      // is 2% of max(1, max |float32 output|); the worst measured here is 0.7% (mlpVAE decoder).
      for (const seed of [5, 6, 7]) {
        const feeds = dataFeeds(vae, role, 16, seed);
        const { out } = await runFile(q.files[file]!, feeds);
        const fp32 = reference(vae, role, params, feeds);
        for (const [name, want] of Object.entries(fp32)) {
          const scale = Math.max(1, ...Array.from(want, Math.abs));
          const rel = maxAbsDiff(out[name]!, want) / scale;
          if (seed === 5)
            console.log(
              `${label} ${role}.${name} int8: max |int8 - float32| / ${scale.toFixed(2)} = ${rel.toExponential(2)}`,
            );
          expect(rel).toBeLessThan(0.02);
        }
      }
      write(`${slug}-${role}-int8.onnx`, q.files[file]!);
    }
  });
});

describe('bundle files', () => {
  it('pass onnx.checker.check_model(full_check=True), float32, float16 and int8', () => {
    expect(written.length).toBe(models.length * 6);
    const results = onnxCheck(written);
    expect(results.filter((r) => r !== 'ok')).toEqual([]);
    expect(results).toHaveLength(written.length);
  });
});
