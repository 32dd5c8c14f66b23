/**
 * ONNX model rewrites used by bundle export: drop initializers no node reads, and store float32
 * weights as float16 followed by a Cast back to float32 (half the bytes, compute stays float32), or
 * quantise MatMul weights to 8 bits with dynamic activation quantisation (about a quarter of the
 * bytes; the integer matmuls are exact on every CPU, see {@link int8Weights}).
 */

import { toFloat16Array } from '../bundle/float16';
import type { GraphProto, ModelProto, NodeProto } from '../onnx/onnx-types';
import { OnnxDataType } from '../onnx/onnx-types';

/** Every value name a graph's nodes read, including inside sub-graphs (Loop bodies). */
function readNames(g: GraphProto, into = new Set<string>()): Set<string> {
  for (const n of g.node) {
    for (const i of n.input) if (i) into.add(i);
    for (const a of n.attribute) if (a.type === 'graph') readNames(a.g, into);
  }
  for (const o of g.output) into.add(o.name);
  return into;
}

/** Removes initializers that nothing reads (e.g. the decoder's weights in the encoder's role graph). */
export function pruneInitializers(model: ModelProto): ModelProto {
  const used = readNames(model.graph);
  return {
    ...model,
    graph: { ...model.graph, initializer: model.graph.initializer.filter((t) => used.has(t.name)) },
  };
}

/** Suffix of the float16 initializer that feeds each Cast. */
export const FLOAT16_SUFFIX = '__float16';

/**
 * Stores the float32 initializers named in `names` as float16 and casts them back to float32 at the
 * top of the graph, so every op still sees float32 (values rounded to nearest float16).
 */
export function float16Weights(model: ModelProto, names: ReadonlySet<string>): ModelProto {
  const casts: NodeProto[] = [];
  const initializer = model.graph.initializer.map((t) => {
    if (!names.has(t.name) || t.dataType !== OnnxDataType.FLOAT) return t;
    const values = new Float32Array(t.rawData.slice().buffer);
    const half = toFloat16Array(values);
    const stored = `${t.name}${FLOAT16_SUFFIX}`;
    casts.push({
      input: [stored],
      output: [t.name],
      name: `${t.name}_cast`,
      opType: 'Cast',
      attribute: [{ name: 'to', type: 'int', i: OnnxDataType.FLOAT }],
    });
    return {
      name: stored,
      dims: t.dims,
      dataType: OnnxDataType.FLOAT16,
      rawData: new Uint8Array(half.buffer, half.byteOffset, half.byteLength),
    };
  });
  return { ...model, graph: { ...model.graph, initializer, node: [...casts, ...model.graph.node] } };
}

/** Suffixes of a quantised weight's stored 8-bit values, its per-column scales and its zero point. */
export const INT8_SUFFIX = '__q8';
export const INT8_SCALE_SUFFIX = '__scale';
export const INT8_ZERO_POINT_SUFFIX = '__zp';

/**
 * The zero point of every stored weight: a weight's 8-bit value is `v + 128` with `v` its symmetric
 * level in [-127, 127], so the integer matmul is uint8 x uint8 (see {@link int8Weights}).
 */
export const INT8_WEIGHT_ZERO_POINT = 128;

/** Every node that reads `name`, with the input slot, including inside sub-graphs. */
function readersOf(g: GraphProto, name: string, into: { node: NodeProto; slot: number }[] = []) {
  for (const n of g.node) {
    n.input.forEach((i, slot) => {
      if (i === name) into.push({ node: n, slot });
    });
    for (const a of n.attribute) if (a.type === 'graph') readersOf(a.g, name, into);
  }
  return into;
}

/** A float32 [K, M] matrix quantised per output column (see {@link quantizeColumns}). */
export interface QuantizedColumns {
  /** Stored values `v + zeroPoint`, row-major [K, M], in [1, 255]. */
  q: Uint8Array;
  /** One scale per column: `w[k, j] ~ (q[k, j] - zeroPoint) * scale[j]`. */
  scale: Float32Array;
  zeroPoint: number;
}

/**
 * Symmetric 8-bit quantisation of a float32 [K, M] matrix, one scale per output column:
 * level `v = clamp(round(w / s), -127, 127)` (halves away from zero) with `s = max_k |w[k, j]| / 127`
 * (1 for an all-zero column), stored as the uint8 `v + 128`. Same levels, same precision as the
 * usual symmetric int8, but stored unsigned so that onnxruntime runs the matmul on its uint8 x uint8
 * kernels, which are exact on every CPU (see {@link int8Weights}).
 */
export function quantizeColumns(data: Float32Array, k: number, cols: number): QuantizedColumns {
  const scale = new Float32Array(cols);
  for (let j = 0; j < cols; j++) {
    let mx = 0;
    for (let i = 0; i < k; i++) mx = Math.max(mx, Math.abs(data[i * cols + j]!));
    scale[j] = mx > 0 ? mx / 127 : 1;
  }
  const zeroPoint = INT8_WEIGHT_ZERO_POINT;
  const q = new Uint8Array(k * cols);
  for (let i = 0; i < k * cols; i++) {
    const r = data[i]! / scale[i % cols]!;
    const v = Math.min(127, Math.max(-127, Math.sign(r) * Math.round(Math.abs(r))));
    q[i] = v + zeroPoint;
  }
  return { q, scale, zeroPoint };
}

/**
 * Dynamic 8-bit quantisation of the MatMul weights named in `names` (standard opset-10+ ops, the
 * form onnxruntime's quantize_dynamic writes and fuses into its DynamicQuantizeMatMul):
 * `DynamicQuantizeLinear(x) -> MatMulInteger(x_q uint8, W_q uint8, x_zp, 128) -> Cast(float) -> Mul(x_scale * w_scale)`.
 * Weights: symmetric levels in [-127, 127], one scale per output column ({@link quantizeColumns}),
 * stored as uint8 with the zero point 128. Activations: uint8, one scale and zero point per tensor
 * per call, computed at run time (so a row's result depends slightly on the other rows of its batch).
 *
 * Why uint8 weights: onnxruntime's x86 kernel for uint8 activations x int8 weights on AVX2 without
 * VNNI (vpmaddubsw) adds PAIRS of products in int16 and saturates (255 * 127 * 2 > 32767): the
 * outputs then depend on the CPU. Its uint8 x uint8 kernels widen both operands to int16 first
 * (SSE, AVX2, AVX-512; VNNI-INT8 and ARM dot products sum in int32; wasm widens too), so the
 * int32 result is exact everywhere, with the same 255 weight levels. {@link assertExactIntegerMatmuls}
 * checks every file this writes.
 *
 * Only a 2-D float32 initializer that every reader uses as a top-level MatMul's right operand is
 * quantised; anything else (Conv kernels, biases, weights read elsewhere) stays float32.
 */
export function int8Weights(model: ModelProto, names: ReadonlySet<string>): ModelProto {
  const g = model.graph;
  const quantised = new Map<string, QuantizedColumns & { dims: number[] }>();
  const topLevel = new Set(g.node);
  for (const t of g.initializer) {
    if (!names.has(t.name) || t.dataType !== OnnxDataType.FLOAT || t.dims.length !== 2) continue;
    const readers = readersOf(g, t.name);
    const ok =
      readers.length > 0 &&
      readers.every((r) => r.node.opType === 'MatMul' && r.slot === 1 && topLevel.has(r.node)) &&
      !g.output.some((o) => o.name === t.name);
    if (!ok) continue;
    const [k, cols] = t.dims.map(Number) as [number, number];
    const values = new Float32Array(t.rawData.slice().buffer);
    quantised.set(t.name, { ...quantizeColumns(values, k, cols), dims: [k, cols] });
  }
  const raw = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const initializer = g.initializer.flatMap((t) => {
    const w = quantised.get(t.name);
    if (!w) return [t];
    return [
      { name: `${t.name}${INT8_SUFFIX}`, dims: w.dims, dataType: OnnxDataType.UINT8, rawData: raw(w.q) },
      {
        name: `${t.name}${INT8_SCALE_SUFFIX}`,
        dims: [w.dims[1]!],
        dataType: OnnxDataType.FLOAT,
        rawData: raw(w.scale),
      },
      {
        name: `${t.name}${INT8_ZERO_POINT_SUFFIX}`,
        dims: [],
        dataType: OnnxDataType.UINT8,
        rawData: Uint8Array.of(w.zeroPoint),
      },
    ];
  });
  const mk = (
    opType: string,
    input: string[],
    output: string[],
    extra: Partial<NodeProto> = {},
  ): NodeProto => ({
    input,
    output,
    name: `${output[0]}_${opType}`,
    opType,
    attribute: [],
    ...extra,
  });
  const node = g.node.flatMap((n) => {
    const w = n.opType === 'MatMul' ? n.input[1] : undefined;
    if (!w || !quantised.has(w)) return [n];
    const p = n.output[0]!;
    return [
      mk('DynamicQuantizeLinear', [n.input[0]!], [`${p}__xq`, `${p}__xscale`, `${p}__xzp`]),
      mk(
        'MatMulInteger',
        [`${p}__xq`, `${w}${INT8_SUFFIX}`, `${p}__xzp`, `${w}${INT8_ZERO_POINT_SUFFIX}`],
        [`${p}__i32`],
      ),
      mk('Cast', [`${p}__i32`], [`${p}__f32`], {
        attribute: [{ name: 'to', type: 'int', i: OnnxDataType.FLOAT }],
      }),
      mk('Mul', [`${p}__xscale`, `${w}${INT8_SCALE_SUFFIX}`], [`${p}__scale`]),
      mk('Mul', [`${p}__f32`, `${p}__scale`], [p]),
    ];
  });
  return { ...model, graph: { ...g, initializer, node } };
}
