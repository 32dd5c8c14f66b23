import { key, uniform } from '@vae/random';
import { describe, expect, it } from 'vitest';
import { IR_VERSION, OPSET } from '../onnx/lower';
import { decodeModel, encodeModel } from '../onnx/onnx-proto';
import type { ModelProto, NodeProto, TensorProto } from '../onnx/onnx-types';
import { OnnxDataType } from '../onnx/onnx-types';
import { assertExactIntegerMatmuls, u8s8PairSumBounds } from './int8-guard';
import {
  avx2IntegerMatMul,
  dynamicQuantizeLinear,
  exactIntegerMatMul,
  roundHalfEven,
  type StoredWeight,
  storedWeights,
} from './int8-reference';
import { INT8_WEIGHT_ZERO_POINT, int8Weights, quantizeColumns } from './onnx-export';
import { maxAbsDiff, runFile, tensor } from './test-helpers';

const raw = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** y = x @ W as a float32 ONNX model with W an initializer, x [N, k]. */
function matmulModel(w: Float32Array, k: number, n: number): ModelProto {
  const node: NodeProto = { input: ['x', 'W'], output: ['y'], name: 'mm', opType: 'MatMul', attribute: [] };
  return {
    irVersion: IR_VERSION,
    opsetImport: [{ domain: '', version: OPSET }],
    producerName: 'test',
    producerVersion: '0',
    graph: {
      name: 'g',
      node: [node],
      initializer: [{ name: 'W', dims: [k, n], dataType: OnnxDataType.FLOAT, rawData: raw(w) }],
      input: [{ name: 'x', elemType: OnnxDataType.FLOAT, shape: ['N', k] }],
      output: [{ name: 'y', elemType: OnnxDataType.FLOAT, shape: ['N', n] }],
    },
  };
}

/** The same model with its quantised weight stored in the old form: int8 levels, zero point 0. */
function oldForm(model: ModelProto): ModelProto {
  const g = model.graph;
  const initializer: TensorProto[] = g.initializer
    .filter((t) => !t.name.endsWith('__zp'))
    .map((t) =>
      t.dataType === OnnxDataType.UINT8
        ? { ...t, dataType: OnnxDataType.INT8, rawData: raw(Int8Array.from(t.rawData, (v) => v - 128)) }
        : t,
    );
  const node = g.node.map((n) => (n.opType === 'MatMulInteger' ? { ...n, input: n.input.slice(0, 3) } : n));
  return { ...model, graph: { ...g, initializer, node } };
}

/**
 * Adversarial for the u8 * s8 pair sums: weights near +/-127, one sign per column, and activations
 * that quantise to 240..255, so every pair of products sums to ~2 * 250 * 115, far past int16.
 */
function adversarial(k: number, n: number) {
  const w = new Float32Array(k * n);
  for (let i = 0; i < k; i++)
    for (let j = 0; j < n; j++) w[i * n + j] = (j % 2 ? -1 : 1) * (0.9 + 0.1 * ((i * 7 + j) % 3));
  const m = 4;
  const x = Float32Array.from(uniform(key(3), m * k), (u) => 0.95 + 0.05 * u);
  return { w, x, m };
}

describe('exact int8 reference', () => {
  it('DynamicQuantizeLinear follows the ONNX spec (its worked example; half to even)', () => {
    const { q, scale, zeroPoint } = dynamicQuantizeLinear(Float32Array.from([0, 2, -3, -2.5, 1.34, 0.5]));
    expect(scale).toBeCloseTo(0.0196078438, 9);
    expect(zeroPoint).toBe(153);
    expect(Array.from(q)).toEqual([153, 255, 0, 26, 221, 179]);
    expect([0.5, 1.5, 2.5, -0.5, -1.5, 2.4, 2.6].map(roundHalfEven)).toEqual([0, 2, 2, -0, -2, 2, 3]);
    // all-positive input: the range includes 0, so the zero point is 0
    expect(dynamicQuantizeLinear(Float32Array.from([1, 2, 4])).zeroPoint).toBe(0);
  });

  it('the old s8 form saturates on the emulated AVX2 kernel by far more than the tolerance; the u8 form is exact', async () => {
    const k = 64;
    const n = 8;
    const { w, x, m } = adversarial(k, n);
    const model = int8Weights(matmulModel(w, k, n), new Set(['W']));
    const stored = storedWeights(encodeModel(model)).get('W')!;
    expect(stored.q).toBeInstanceOf(Uint8Array);
    const old: StoredWeight = { ...stored, q: Int8Array.from(stored.q, (v) => v - 128), zeroPoint: 0 };
    const { q: xq, scale, zeroPoint } = dynamicQuantizeLinear(x);
    const exact = exactIntegerMatMul(xq, zeroPoint, stored, m);
    expect(Array.from(exactIntegerMatMul(xq, zeroPoint, old, m))).toEqual(Array.from(exact));
    expect(Array.from(avx2IntegerMatMul(xq, zeroPoint, stored, m))).toEqual(Array.from(exact));
    const saturated = avx2IntegerMatMul(xq, zeroPoint, old, m);
    // In output units: each int32 step is x_scale * w_scale[j]; the tolerance of the bundle tests
    // is a couple of 1-LSB activation flips, i.e. ~2 * 127 steps.
    let worstSteps = 0;
    for (let i = 0; i < exact.length; i++)
      worstSteps = Math.max(worstSteps, Math.abs(saturated[i]! - exact[i]!));
    console.log(
      `adversarial ${m}x${k}x${n}: old int8 form on AVX2 is off by ${worstSteps} integer steps (x_scale ${scale.toExponential(2)}); the u8 form: 0`,
    );
    expect(worstSteps).toBeGreaterThan(100 * 2 * 127);
    // onnxruntime-node on this CPU, node by node and fused, computes the exact result.
    const want = new Float32Array(m * n);
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++)
        want[i * n + j] = Math.fround(Math.fround(exact[i * n + j]!) * Math.fround(scale * stored.scale[j]!));
    for (const level of ['disabled', 'all'] as const) {
      const { out } = await runFile(encodeModel(model), { x: tensor([m, k], x) }, level);
      expect(maxAbsDiff(out.y!, want)).toBeLessThanOrEqual(1e-6 * Math.max(...want.map(Math.abs)));
    }
  });
});

describe('assertExactIntegerMatmuls (static int16 guard)', () => {
  const k = 32;
  const n = 6;
  const w = uniform(key(9), k * n, { low: -1, high: 1 });

  it('accepts the uint8 form int8Weights writes, for any weights', () => {
    const model = int8Weights(matmulModel(w, k, n), new Set(['W']));
    expect(() => assertExactIntegerMatmuls(model)).not.toThrow();
    expect(() => assertExactIntegerMatmuls(decodeModel(encodeModel(model)))).not.toThrow();
    const zp = model.graph.initializer.find((t) => t.name.endsWith('__zp'))!;
    expect(zp.dataType).toBe(OnnxDataType.UINT8);
    expect(zp.rawData[0]).toBe(INT8_WEIGHT_ZERO_POINT);
  });

  it('refuses full-range int8 weights (the form that saturates on AVX2 without VNNI), on any CPU', () => {
    const model = oldForm(int8Weights(matmulModel(w, k, n), new Set(['W'])));
    expect(() => assertExactIntegerMatmuls(model)).toThrow(/saturates on CPUs without VNNI/);
    const q = new Int8Array(
      model.graph.initializer.find((t) => t.dataType === OnnxDataType.INT8)!.rawData.slice().buffer,
    );
    expect(u8s8PairSumBounds(q, k, n).max).toBeGreaterThan(32767);
  });

  it('accepts 7-bit int8 weights (|w| <= 64: 255 * 64 * 2 = 32640 fits int16)', () => {
    const model = oldForm(int8Weights(matmulModel(w, k, n), new Set(['W'])));
    const t = model.graph.initializer.find((i) => i.dataType === OnnxDataType.INT8)!;
    t.rawData = raw(
      Int8Array.from(new Int8Array(t.rawData.slice().buffer), (v) => Math.round((v * 64) / 127)),
    );
    expect(() => assertExactIntegerMatmuls(model)).not.toThrow();
    t.rawData[0] = 65;
    t.rawData[n] = 65; // two 65s in column 0: 255 * 130 > 32767
    expect(() => assertExactIntegerMatmuls(model)).toThrow(/pair sums reach/);
  });

  it('refuses uint8 weights with K so large that int32 could overflow, and activations not from DynamicQuantizeLinear', () => {
    const big = 33_100;
    const { q, scale } = quantizeColumns(new Float32Array(big).fill(1), big, 1);
    expect(q.every((v) => v === 255)).toBe(true);
    const model = int8Weights(matmulModel(new Float32Array(big).fill(1), big, 1), new Set(['W']));
    expect(scale[0]).toBeCloseTo(1 / 127, 9);
    expect(() => assertExactIntegerMatmuls(model)).toThrow(/int32 accumulator can overflow/);
    const small = int8Weights(matmulModel(w, k, n), new Set(['W']));
    const mm = small.graph.node.find((x) => x.opType === 'MatMulInteger')!;
    mm.input[0] = 'x';
    expect(() => assertExactIntegerMatmuls(small)).toThrow(/DynamicQuantizeLinear/);
  });
});
