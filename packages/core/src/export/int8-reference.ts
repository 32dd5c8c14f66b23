/**
 * Test-only: the exact integer arithmetic of an int8 bundle, in JS, as the oracle its runtimes are
 * checked against, and an emulation of onnxruntime's x86 AVX2 integer kernels (the u8 * s8 one
 * saturates) to show what a CPU-specific kernel does to the same files.
 */
import type { HostTensor } from '../ir/dtype';
import type { Graph, Node } from '../ir/graph';
import { kernels } from '../ir/kernels/index';
import type { Kernel } from '../ir/kernels/kernel';
import type { Tensor } from '../ir/tensor';
import type { VAE } from '../models/vae';
import { decodeModel } from '../onnx/onnx-proto';
import { OnnxDataType, type TensorProto } from '../onnx/onnx-types';
import { INT8_SCALE_SUFFIX, INT8_SUFFIX } from './onnx-export';

const f32 = Math.fround;

/** Round half to even (ONNX's rounding for QuantizeLinear / DynamicQuantizeLinear). */
export function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * DynamicQuantizeLinear as the ONNX spec defines it, in float32 arithmetic:
 * `scale = (max(0, max x) - min(0, min x)) / 255`, `zp = saturate(round(-min / scale))`,
 * `q = saturate(round(x / scale) + zp)`, rounding half to even, saturating to [0, 255].
 */
export function dynamicQuantizeLinear(x: Float32Array): { q: Uint8Array; scale: number; zeroPoint: number } {
  let lo = 0;
  let hi = 0;
  for (const v of x) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const scale = f32(f32(hi - lo) / 255);
  const clamp = (v: number) => Math.max(0, Math.min(255, v));
  const zeroPoint = scale === 0 ? 0 : clamp(roundHalfEven(f32(-lo / scale)));
  const q = new Uint8Array(x.length);
  if (scale !== 0)
    for (let i = 0; i < x.length; i++) q[i] = clamp(roundHalfEven(f32(x[i]! / scale)) + zeroPoint);
  else q.fill(zeroPoint);
  return { q, scale, zeroPoint };
}

/** A quantised [K, M] weight as a bundle file stores it: `w ~ (q - zeroPoint) * scale[column]`. */
export interface StoredWeight {
  k: number;
  cols: number;
  /** Uint8Array (the current form) or Int8Array (the old full-range form, zero point 0). */
  q: Uint8Array | Int8Array;
  zeroPoint: number;
  scale: Float32Array;
}

/** `(a - aZp) @ (b - bZp)` for uint8 a [m, k] and 8-bit b [k, n], exactly (float64 holds it). */
export function exactIntegerMatMul(a: Uint8Array, aZp: number, w: StoredWeight, m: number): Float64Array {
  const { k, cols: n, q, zeroPoint } = w;
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let t = 0; t < k; t++) {
      const av = a[i * k + t]! - aZp;
      if (av === 0) continue;
      for (let j = 0; j < n; j++) out[i * n + j]! += av * (q[t * n + j]! - zeroPoint);
    }
  return out;
}

const sat16 = (v: number) => Math.max(-32768, Math.min(32767, v));

/**
 * onnxruntime's x86 AVX2 kernels (MLAS, no VNNI), emulated. Both sum raw products of adjacent pairs
 * of k (then pairs of pairs, in int32) and correct for zero points with row and column sums:
 * `C = sum(a*b) - bZp * rowsum(a) - aZp * colsum(b) + k * aZp * bZp`.
 * - uint8 x int8 (vpmaddubsw): each pair `a[2p]*b[2p] + a[2p+1]*b[2p+1]` SATURATES to int16;
 * - uint8 x uint8 (both widened to int16, vpmaddwd): each pair is exact in int32.
 * The int32 accumulator wraps like the hardware's.
 */
export function avx2IntegerMatMul(a: Uint8Array, aZp: number, w: StoredWeight, m: number): Float64Array {
  const { k, cols: n, q, zeroPoint: bZp } = w;
  const signed = q instanceof Int8Array;
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    let rowSum = 0;
    for (let t = 0; t < k; t++) rowSum += a[i * k + t]!;
    for (let j = 0; j < n; j++) {
      let acc = 0;
      let colSum = 0;
      for (let t = 0; t < k; t += 2) {
        const b0 = q[t * n + j]!;
        const b1 = t + 1 < k ? q[(t + 1) * n + j]! : 0;
        const pair = a[i * k + t]! * b0 + (t + 1 < k ? a[i * k + t + 1]! * b1 : 0);
        acc = (acc + (signed ? sat16(pair) : pair)) | 0;
        colSum += b0 + b1;
      }
      out[i * n + j] = (acc - bZp * rowSum - aZp * colSum + k * aZp * bZp) | 0;
    }
  }
  return out;
}

/** How a quantised MatMul's integer product is computed. */
export type IntegerKernel = typeof exactIntegerMatMul;

const view = (t: TensorProto) => t.rawData.slice().buffer;

/** The quantised MatMul weights of an int8 bundle file, by parameter name, as stored. */
export function storedWeights(file: Uint8Array): Map<string, StoredWeight> {
  const g = decodeModel(file).graph;
  const init = new Map(g.initializer.map((t) => [t.name, t]));
  const out = new Map<string, StoredWeight>();
  for (const n of g.node) {
    if (n.opType !== 'MatMulInteger') continue;
    const name = n.input[1]!.slice(0, -INT8_SUFFIX.length);
    const t = init.get(n.input[1]!)!;
    const zp = n.input[3] ? init.get(n.input[3])! : undefined;
    const [k, cols] = t.dims.map(Number) as [number, number];
    out.set(name, {
      k,
      cols,
      q: t.dataType === OnnxDataType.INT8 ? new Int8Array(view(t)) : new Uint8Array(view(t)),
      zeroPoint: zp ? zp.rawData[0]! : 0,
      scale: new Float32Array(view(init.get(`${name}${INT8_SCALE_SUFFIX}`)!)),
    });
  }
  return out;
}

/** What one quantised MatMul saw in a reference run. */
export interface QuantizedLayer {
  weight: string;
  /** Activation scale and zero point of this call. */
  xScale: number;
  xZeroPoint: number;
  /** Per output column: `xScale * max_k |w[k, j]|` (dequantised), the most a 1-LSB flip of one x_q moves it. */
  lsb: Float64Array;
}

/**
 * Runs `outputs` of an IR graph on the reference interpreter's kernels, except that every MatMul
 * whose right operand is a graph input named in `weights` runs as the int8 bundle does:
 * DynamicQuantizeLinear (ONNX spec) -> integer matmul (`kernel`) -> float32(acc) * float32(x_scale * w_scale).
 */
export function int8Reference(
  graph: Graph,
  outputs: readonly Tensor[],
  feeds: Readonly<Record<string, HostTensor>>,
  weights: ReadonlyMap<string, StoredWeight>,
  kernel: IntegerKernel = exactIntegerMatMul,
): { values: Float32Array[]; layers: QuantizedLayer[] } {
  const want = new Set<Node>();
  const stack = outputs.map((t) => t.producer).filter((n): n is Node => n !== null);
  while (stack.length) {
    const n = stack.pop()!;
    if (want.has(n)) continue;
    want.add(n);
    for (const t of n.inputs) if (t?.producer) stack.push(t.producer);
  }
  const values = new Map<number, HostTensor>();
  for (const t of graph.inputs) if (feeds[t.name]) values.set(t.id, feeds[t.name]!);
  const layers: QuantizedLayer[] = [];
  const ctx = {
    runSubgraph: () => {
      throw new Error('int8Reference: sub-graphs (Loop) are not supported');
    },
  };
  for (const node of graph.nodes) {
    if (!want.has(node)) continue;
    const ins = node.inputs.map((t) => (t ? values.get(t.id)! : null));
    const wName = node.op === 'MatMul' && !node.inputs[1]!.producer ? node.inputs[1]!.name : undefined;
    const w = wName ? weights.get(wName) : undefined;
    const outs =
      w && wName
        ? [quantizedMatMul(ins[0]!, w, wName, kernel, layers)]
        : (kernels[node.op] as Kernel)(ins, node.attrs, ctx);
    node.outputs.forEach((t, i) => values.set(t.id, outs[i]!));
  }
  return { values: outputs.map((t) => values.get(t.id)!.data as Float32Array), layers };
}

function quantizedMatMul(
  x: HostTensor,
  w: StoredWeight,
  weight: string,
  kernel: IntegerKernel,
  layers: QuantizedLayer[],
): HostTensor {
  const data = x.data as Float32Array;
  const m = data.length / w.k;
  const { q, scale, zeroPoint } = dynamicQuantizeLinear(data);
  const acc = kernel(q, zeroPoint, w, m);
  const out = new Float32Array(m * w.cols);
  const lsb = new Float64Array(w.cols);
  for (let j = 0; j < w.cols; j++) {
    const s = f32(scale * w.scale[j]!);
    for (let i = 0; i < m; i++) out[i * w.cols + j] = f32(f32(acc[i * w.cols + j]!) * s);
    let mx = 0;
    for (let t = 0; t < w.k; t++) mx = Math.max(mx, Math.abs(w.q[t * w.cols + j]! - w.zeroPoint));
    lsb[j] = scale * w.scale[j]! * mx;
  }
  layers.push({ weight, xScale: scale, xZeroPoint: zeroPoint, lsb });
  return { dtype: 'float32', shape: [...x.shape.slice(0, -1), w.cols], data: out };
}

/**
 * How far a runtime's output may lie from {@link int8Reference}'s when both run the same int8 file:
 * `max(1, max |ref|) * (flips * max_layers max_j lsb_j + 1e-5)`.
 *
 * Why: the integer matmuls are exact on both sides. The float32 ops around them (bias adds,
 * activations, Conv) differ between onnxruntime and the interpreter by a few ulps, which 1e-5 of the
 * output scale covers with room. A few ulps in the input of a DynamicQuantizeLinear can flip one x_q
 * by one step where x / x_scale sits on a rounding boundary (or nudge x_scale); one flip moves an
 * output of that layer by at most `lsb_j = x_scale * max_k |w[k, j]|`, and it takes an input within
 * ulps of a boundary, so 2 flips per output (`flips`) is generous (measured: none; |node - exact| is
 * at most a few 1e-7). Flips need a quantised layer whose input is computed in float32, and in the
 * graphs tested here that is at most the last quantised layer before each output: a first layer
 * reads data inputs, one-hot conditions, masks and concats, bit-identical on both sides (the conv
 * encoder's only quantised layer is its last). From there a flip reaches the output through a bias
 * add (1:1) or `exp(0.5 * .)` (0.5 * scale per unit), hence the `max(1, max |ref|)`. A graph with
 * more quantised layers after float32-computed inputs would also need the later layers' gains; none
 * is tested with this bound. The old int8 form on the emulated AVX2 kernel is 11-75x this bound off
 * on the test models, and thousands of LSB on adversarial inputs.
 */
export function int8Tolerance(ref: Float32Array, layers: readonly QuantizedLayer[], flips = 2): number {
  let lsb = 0;
  for (const l of layers) for (const v of l.lsb) lsb = Math.max(lsb, v);
  let mag = 1;
  for (const v of ref) mag = Math.max(mag, Math.abs(v));
  return mag * (flips * lsb + 1e-5);
}

/** {@link int8Reference} of a VAE role graph with the bundle file's stored weights. */
export function roleInt8Reference(
  vae: VAE,
  role: 'encoder' | 'decoder',
  params: Readonly<Record<string, HostTensor>>,
  feeds: Readonly<Record<string, HostTensor>>,
  file: Uint8Array,
  kernel: IntegerKernel = exactIntegerMatMul,
): { out: Record<string, Float32Array>; layers: QuantizedLayer[] } {
  const { graph, outputs } = vae.roleGraph(role);
  const names = new Set(graph.inputs.map((t) => t.name));
  const all: Record<string, HostTensor> = { ...feeds };
  for (const [n, v] of Object.entries(params)) if (names.has(n)) all[n] = v;
  const keys = Object.keys(outputs);
  const { values, layers } = int8Reference(
    graph,
    keys.map((k) => outputs[k]!),
    all,
    storedWeights(file),
    kernel,
  );
  return { out: Object.fromEntries(keys.map((k, i) => [k, values[i]!])), layers };
}
