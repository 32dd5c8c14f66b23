/**
 * ONNX model rewrites used by bundle export: drop initializers no node reads, and store float32
 * weights as float16 followed by a Cast back to float32 (half the bytes, compute stays float32).
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
