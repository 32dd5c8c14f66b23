/**
 * The inverse of the int8 export (`int8Weights`) for runtimes that decode small batches faster in
 * float32: every DynamicQuantizeLinear -> MatMulInteger -> Cast -> Mul -> Mul chain it writes becomes
 * one float32 MatMul on the dequantised weight `(level - zeroPoint) * scale[column]`. What the result
 * computes: the float32 graph with the bundle's stored (rounded) weights, activations not quantised.
 */
import { INT8_SCALE_SUFFIX, INT8_SUFFIX, INT8_ZERO_POINT_SUFFIX } from '../export/onnx-export';
import { decodeModel, encodeModel } from './onnx-proto';
import { type NodeProto, OnnxDataType, type TensorProto } from './onnx-types';
import { OnnxImportError } from './read';

/**
 * An int8 bundle file (bytes) with its integer matmuls back in float32, as bytes; `bytes` itself
 * when it has none.
 * @throws OnnxImportError when an integer matmul is not in the form the int8 export writes
 */
export function dequantizeInt8(bytes: Uint8Array): Uint8Array {
  const model = decodeModel(bytes);
  const g = model.graph;
  const inits = new Map(g.initializer.map((t) => [t.name, t]));
  const byOutput = new Map(g.node.flatMap((n) => n.output.map((o) => [o, n] as const)));
  const readerOf = (name: string) => g.node.find((n) => n.input.includes(name));
  const drop = new Set<NodeProto>();
  const replace = new Map<NodeProto, NodeProto>();
  const weights: TensorProto[] = [];
  for (const mm of g.node.filter((n) => n.opType === 'MatMulInteger')) {
    const [xq = '', wq = '', , wzp] = mm.input;
    const w = wq.endsWith(INT8_SUFFIX) ? wq.slice(0, -INT8_SUFFIX.length) : '';
    const dql = byOutput.get(xq);
    const q = inits.get(wq);
    const scale = inits.get(`${w}${INT8_SCALE_SUFFIX}`);
    const zp = wzp === `${w}${INT8_ZERO_POINT_SUFFIX}` ? inits.get(wzp) : undefined;
    const cast = readerOf(mm.output[0]!);
    const last = cast && readerOf(cast.output[0]!);
    const mulScale = last && byOutput.get(last.input.find((i) => i !== cast.output[0]) ?? '');
    if (
      !(
        w &&
        dql?.opType === 'DynamicQuantizeLinear' &&
        q?.dataType === OnnxDataType.UINT8 &&
        q.dims.length === 2 &&
        scale?.dataType === OnnxDataType.FLOAT &&
        zp?.dataType === OnnxDataType.UINT8 &&
        cast?.opType === 'Cast' &&
        last?.opType === 'Mul' &&
        mulScale?.opType === 'Mul' &&
        mulScale.input.join() === `${dql.output[1]},${scale.name}`
      )
    )
      throw new OnnxImportError(`dequantizeInt8: MatMulInteger ${mm.name} is not in the int8 export's form`);
    const cols = q.dims[1]!;
    const s = new Float32Array(scale.rawData.slice().buffer);
    const z = zp.rawData[0]!;
    const data = Float32Array.from(q.rawData, (v, i) => (v - z) * s[i % cols]!);
    weights.push({
      name: w,
      dims: [...q.dims],
      dataType: OnnxDataType.FLOAT,
      rawData: new Uint8Array(data.buffer),
    });
    for (const n of [dql, mm, cast, mulScale]) drop.add(n);
    // The last Mul writes the matmul's output: a MatMul in its place keeps the node order valid.
    replace.set(last, {
      ...last,
      opType: 'MatMul',
      name: `${last.output[0]}_MatMul`,
      input: [dql.input[0]!, w],
      attribute: [],
    });
  }
  if (!weights.length) return bytes;
  const node = g.node.filter((n) => !drop.has(n)).map((n) => replace.get(n) ?? n);
  const read = new Set(node.flatMap((n) => n.input));
  const initializer = [...g.initializer.filter((t) => read.has(t.name)), ...weights];
  return encodeModel({ ...model, graph: { ...g, node, initializer } });
}
