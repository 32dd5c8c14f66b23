/**
 * ONNX model rewrites used by bundle export: drop initializers no node reads, and store float32
 * weights as float16 followed by a Cast back to float32 (half the bytes, compute stays float32), or
 * quantise MatMul weights to int8 with dynamic activation quantisation (about a quarter of the bytes).
 */
import type { GraphProto, ModelProto, NodeProto } from '../onnx/onnx-types';
import { OnnxDataType } from '../onnx/onnx-types';
import { toFloat16Array } from './float16';

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

/** Suffixes of the int8 weight and its per-column float32 scales. */
export const INT8_SUFFIX = '__int8';
export const INT8_SCALE_SUFFIX = '__scale';

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

/**
 * Symmetric int8 quantisation of a float32 [K, M] matrix, one scale per output column:
 * `q = clamp(round(w / s), -127, 127)` with `s = max_k |w[k, j]| / 127` (1 for an all-zero column).
 */
export function quantizeColumns(
  data: Float32Array,
  k: number,
  cols: number,
): { q: Int8Array; scale: Float32Array } {
  const scale = new Float32Array(cols);
  for (let j = 0; j < cols; j++) {
    let mx = 0;
    for (let i = 0; i < k; i++) mx = Math.max(mx, Math.abs(data[i * cols + j]!));
    scale[j] = mx > 0 ? mx / 127 : 1;
  }
  const q = new Int8Array(k * cols);
  for (let i = 0; i < k * cols; i++)
    q[i] = Math.max(-127, Math.min(127, Math.round(data[i]! / scale[i % cols]!)));
  return { q, scale };
}

/**
 * Dynamic int8 quantisation of the MatMul weights named in `names` (standard opset-10+ ops, the form
 * onnxruntime's quantize_dynamic writes and fuses into DynamicQuantizeMatMul):
 * `DynamicQuantizeLinear(x) -> MatMulInteger(x_q uint8, W_q int8, x_zp) -> Cast(float) -> Mul(x_scale * w_scale)`.
 * Weights: symmetric int8, one scale per output column, zero point 0 (MatMulInteger's default).
 * Activations: uint8, one scale and zero point per tensor per call, computed at run time (so a
 * row's result depends slightly on the other rows of its batch). Only a 2-D float32 initializer
 * that every reader uses as a top-level MatMul's right operand is quantised; anything else (Conv
 * kernels, biases, weights read elsewhere) stays float32.
 */
export function int8Weights(model: ModelProto, names: ReadonlySet<string>): ModelProto {
  const g = model.graph;
  const quantised = new Map<string, { q: Int8Array; scale: Float32Array; dims: number[] }>();
  for (const t of g.initializer) {
    if (!names.has(t.name) || t.dataType !== OnnxDataType.FLOAT || t.dims.length !== 2) continue;
    const readers = readersOf(g, t.name);
    const topLevel = new Set(g.node);
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
      { name: `${t.name}${INT8_SUFFIX}`, dims: w.dims, dataType: OnnxDataType.INT8, rawData: raw(w.q) },
      {
        name: `${t.name}${INT8_SCALE_SUFFIX}`,
        dims: [w.dims[1]!],
        dataType: OnnxDataType.FLOAT,
        rawData: raw(w.scale),
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
      mk('MatMulInteger', [`${p}__xq`, `${w}${INT8_SUFFIX}`, `${p}__xzp`], [`${p}__i32`]),
      mk('Cast', [`${p}__i32`], [`${p}__f32`], {
        attribute: [{ name: 'to', type: 'int', i: OnnxDataType.FLOAT }],
      }),
      mk('Mul', [`${p}__xscale`, `${w}${INT8_SCALE_SUFFIX}`], [`${p}__scale`]),
      mk('Mul', [`${p}__f32`, `${p}__scale`], [p]),
    ];
  });
  return { ...model, graph: { ...g, initializer, node } };
}
