/**
 * A static check on int8 bundle files: every integer matmul must give the same int32 result on every
 * CPU and on onnxruntime-web, whatever the activations are.
 *
 * onnxruntime's x86 kernel for uint8 activations x int8 weights on AVX2 without VNNI multiplies with
 * vpmaddubsw, which adds PAIRS of u8 * s8 products in int16 and saturates: with activations up to 255,
 * a pair of weights whose sum of magnitudes exceeds 128 can overflow (255 * 127 * 2 = 64770 > 32767).
 * VNNI machines (vpdpbusd) and onnxruntime-web (wasm widens to int16) do not saturate, so a test run on
 * one of those passes while the same file gives wrong outputs elsewhere. This check needs no such CPU:
 * it bounds the pair sums from the stored weights alone.
 */

import { BundleError } from '../bundle/errors';
import type { GraphProto, ModelProto, NodeProto, TensorProto } from '../onnx/onnx-types';
import { OnnxDataType } from '../onnx/onnx-types';

/** Largest activation a uint8 DynamicQuantizeLinear output can hold. */
const U8_MAX = 255;
const INT16_MAX = 32767;
const INT16_MIN = -32768;
const INT32_MAX = 2 ** 31 - 1;

/**
 * The extreme sums of two u8 * s8 products in one column of a [K, M] int8 weight, over every pair of
 * rows and every activation in [0, 255]: `255 * (the two largest positive weights)` and
 * `255 * (the two most negative)`. Any pairing the kernel uses lies within these bounds.
 */
export function u8s8PairSumBounds(q: Int8Array, k: number, cols: number): { max: number; min: number } {
  let max = 0;
  let min = 0;
  for (let j = 0; j < cols; j++) {
    let p1 = 0;
    let p2 = 0;
    let n1 = 0;
    let n2 = 0;
    for (let i = 0; i < k; i++) {
      const v = q[i * cols + j]!;
      if (v > p1) [p1, p2] = [v, p1];
      else if (v > p2) p2 = v;
      if (v < n1) [n1, n2] = [v, n1];
      else if (v < n2) n2 = v;
    }
    max = Math.max(max, U8_MAX * (p1 + p2));
    min = Math.min(min, U8_MAX * (n1 + n2));
  }
  return { max, min };
}

function producers(g: GraphProto): Map<string, NodeProto> {
  const out = new Map<string, NodeProto>();
  for (const n of g.node) for (const o of n.output) out.set(o, n);
  return out;
}

function* matmulIntegers(g: GraphProto): Generator<{ node: NodeProto; graph: GraphProto }> {
  for (const n of g.node) {
    if (n.opType === 'MatMulInteger') yield { node: n, graph: g };
    for (const a of n.attribute) if (a.type === 'graph') yield* matmulIntegers(a.g);
  }
}

/**
 * Throws unless every MatMulInteger in `model` is exact on every onnxruntime kernel: its left operand
 * is a DynamicQuantizeLinear output (uint8), its right operand a 2-D initializer, and either
 * - uint8 weights (the form {@link int8Weights} writes): every kernel widens u8 x u8 to int16 or
 *   sums in int32, so only the int32 accumulator could overflow: K * 255 * 255 must fit; or
 * - int8 weights whose worst pair sum ({@link u8s8PairSumBounds}) fits in int16 (7-bit weights, the
 *   "reduce range" remedy); full-range int8 weights are refused.
 * @throws BundleError (`unsupported`) naming the node, its weight and the bound it breaks.
 */
export function assertExactIntegerMatmuls(model: ModelProto): void {
  const inits = new Map<string, TensorProto>(model.graph.initializer.map((t) => [t.name, t]));
  for (const { node, graph } of matmulIntegers(model.graph)) {
    const where = `${node.name || node.output[0]} (weight ${node.input[1]})`;
    const fail = (why: string) =>
      new BundleError('unsupported', `int8 export: MatMulInteger ${where} ${why}`, node.input[1]);
    const a = producers(graph).get(node.input[0]!);
    if (a?.opType !== 'DynamicQuantizeLinear' || a.output[0] !== node.input[0])
      throw fail('does not read a DynamicQuantizeLinear output: its activations cannot be bounded');
    const w = inits.get(node.input[1]!);
    if (w?.dims.length !== 2) throw fail('has no 2-D initializer as its weight');
    const [k, cols] = w.dims.map(Number) as [number, number];
    if (w.dataType === OnnxDataType.UINT8) {
      if (k * U8_MAX * U8_MAX > INT32_MAX)
        throw fail(`sums K = ${k} products of up to 255 * 255: the int32 accumulator can overflow`);
      continue;
    }
    if (w.dataType !== OnnxDataType.INT8)
      throw fail(`has weights of ONNX type ${w.dataType}, not uint8/int8`);
    const q = new Int8Array(w.rawData.slice().buffer);
    const { max, min } = u8s8PairSumBounds(q, k, cols);
    if (max > INT16_MAX || min < INT16_MIN)
      throw fail(
        `has int8 weights whose pair sums reach [${min}, ${max}] with uint8 activations: outside int16, so onnxruntime's AVX2 u8*s8 kernel (vpmaddubsw) saturates on CPUs without VNNI. Store the weights as uint8 with a zero point (or 7-bit).`,
      );
  }
}
