/**
 * ModelProto → onnx.proto bytes. Fields go out in field-number order, repeated scalars that onnx.proto
 * does not mark `packed` go out unpacked, and tensors always use raw_data: the bytes are what the
 * reference protobuf library would write for the same message.
 */
import type {
  AttributeProto,
  DimProto,
  GraphProto,
  ModelProto,
  NodeProto,
  TensorProto,
  ValueInfoProto,
} from './onnx-types';
import { ProtoWriter } from './protobuf';

/** onnx.AttributeProto.AttributeType for each attribute variant. */
export const ATTRIBUTE_TYPE = {
  float: 1,
  int: 2,
  string: 3,
  tensor: 4,
  graph: 5,
  floats: 6,
  ints: 7,
  strings: 8,
} as const satisfies Record<AttributeProto['type'], number>;

/** Serializes a model to the ONNX protobuf wire format (what `onnx.load` and onnxruntime read). */
export function encodeModel(model: ModelProto): Uint8Array {
  const w = new ProtoWriter();
  w.varint(1, model.irVersion);
  w.string(2, model.producerName);
  w.string(3, model.producerVersion);
  if (model.domain !== undefined) w.string(4, model.domain);
  if (model.modelVersion !== undefined) w.varint(5, model.modelVersion);
  if (model.docString !== undefined) w.string(6, model.docString);
  w.message(7, (m) => writeGraph(m, model.graph));
  for (const opset of model.opsetImport) {
    w.message(8, (m) => {
      m.string(1, opset.domain);
      m.varint(2, opset.version);
    });
  }
  for (const { key, value } of model.metadataProps ?? []) {
    w.message(14, (m) => {
      m.string(1, key);
      m.string(2, value);
    });
  }
  return w.finish();
}

function writeGraph(w: ProtoWriter, graph: GraphProto): void {
  for (const node of graph.node) w.message(1, (m) => writeNode(m, node));
  w.string(2, graph.name);
  for (const t of graph.initializer) w.message(5, (m) => writeTensor(m, t));
  if (graph.docString !== undefined) w.string(10, graph.docString);
  for (const v of graph.input) w.message(11, (m) => writeValueInfo(m, v));
  for (const v of graph.output) w.message(12, (m) => writeValueInfo(m, v));
  for (const v of graph.valueInfo ?? []) w.message(13, (m) => writeValueInfo(m, v));
}

function writeNode(w: ProtoWriter, node: NodeProto): void {
  for (const name of node.input) w.string(1, name);
  for (const name of node.output) w.string(2, name);
  w.string(3, node.name);
  w.string(4, node.opType);
  for (const a of node.attribute) w.message(5, (m) => writeAttribute(m, a));
  if (node.docString !== undefined) w.string(6, node.docString);
  if (node.domain !== undefined) w.string(7, node.domain);
}

function writeAttribute(w: ProtoWriter, a: AttributeProto): void {
  w.string(1, a.name);
  switch (a.type) {
    case 'float':
      w.float(2, a.f);
      break;
    case 'int':
      w.varint(3, a.i);
      break;
    case 'string':
      w.string(4, a.s);
      break;
    case 'tensor':
      w.message(5, (m) => writeTensor(m, a.t));
      break;
    case 'graph':
      w.message(6, (m) => writeGraph(m, a.g));
      break;
    case 'floats':
      for (const f of a.floats) w.float(7, f);
      break;
    case 'ints':
      for (const i of a.ints) w.varint(8, i);
      break;
    case 'strings':
      for (const s of a.strings) w.string(9, s);
      break;
  }
  w.varint(20, ATTRIBUTE_TYPE[a.type]);
}

function writeTensor(w: ProtoWriter, t: TensorProto): void {
  for (const d of t.dims) w.varint(1, d);
  w.varint(2, t.dataType);
  w.string(8, t.name);
  w.bytes(9, t.rawData);
}

function writeValueInfo(w: ProtoWriter, v: ValueInfoProto): void {
  w.string(1, v.name);
  // TypeProto.tensor_type → TypeProto.Tensor { elem_type, shape }
  w.message(2, (type) =>
    type.message(1, (tensor) => {
      tensor.varint(1, v.elemType);
      const { shape } = v;
      if (shape === undefined) return;
      tensor.message(2, (s) => {
        for (const d of shape) s.message(1, (m) => writeDim(m, d));
      });
    }),
  );
}

/** '' stands for a dimension with neither value nor name (unknown), as other tools write it. */
function writeDim(w: ProtoWriter, d: DimProto): void {
  if (typeof d === 'number') w.varint(1, d);
  else if (d !== '') w.string(2, d);
}
