/**
 * onnx.proto bytes → ModelProto. Unknown fields are skipped; typed tensor data (float_data, int32_data,
 * int64_data, double_data, uint64_data) is turned into little-endian raw bytes.
 */
import { ATTRIBUTE_TYPE } from './onnx-proto-encode';
import { type TypedData, typedToRaw } from './onnx-typed-data';
import type {
  AttributeProto,
  DimProto,
  GraphProto,
  ModelProto,
  NodeProto,
  OnnxDataType,
  OperatorSetIdProto,
  TensorProto,
  ValueInfoProto,
} from './onnx-types';
import { OnnxDecodeError, ProtoReader, WireType } from './protobuf';

/**
 * Parses an ONNX model. Throws OnnxDecodeError (with the byte offset) on malformed bytes and on
 * content this codec cannot represent (external tensor data, string tensors, non-tensor graph
 * inputs, attribute types beyond the basic eight). Non-tensor `value_info` entries are dropped.
 */
export function decodeModel(bytes: Uint8Array): ModelProto {
  const r = new ProtoReader(bytes);
  const model: Partial<ModelProto> & { opsetImport: OperatorSetIdProto[] } = {
    irVersion: 0,
    producerName: '',
    producerVersion: '',
    opsetImport: [],
  };
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field === 1) model.irVersion = int(r, wire);
    else if (field === 2) model.producerName = str(r, wire);
    else if (field === 3) model.producerVersion = str(r, wire);
    else if (field === 4) model.domain = str(r, wire);
    else if (field === 5) model.modelVersion = int(r, wire);
    else if (field === 6) model.docString = str(r, wire);
    else if (field === 7) model.graph = readGraph(sub(r, wire));
    else if (field === 8) model.opsetImport.push(readOpset(sub(r, wire)));
    else if (field === 14) (model.metadataProps ??= []).push(readEntry(sub(r, wire)));
    else r.skip(wire, field);
  }
  if (model.graph === undefined) throw new OnnxDecodeError('model has no graph', r.pos);
  return model as ModelProto;
}

function expectWire(r: ProtoReader, wire: number, expected: WireType): void {
  if (wire !== expected) throw new OnnxDecodeError(`wire type ${wire} where ${expected} was expected`, r.pos);
}

function int(r: ProtoReader, wire: number): number {
  expectWire(r, wire, WireType.VARINT);
  return r.varint();
}

function str(r: ProtoReader, wire: number): string {
  expectWire(r, wire, WireType.LEN);
  return r.string();
}

function sub(r: ProtoReader, wire: number): ProtoReader {
  expectWire(r, wire, WireType.LEN);
  return r.sub();
}

function readOpset(r: ProtoReader): OperatorSetIdProto {
  const opset = { domain: '', version: 0 };
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field === 1) opset.domain = str(r, wire);
    else if (field === 2) opset.version = int(r, wire);
    else r.skip(wire, field);
  }
  return opset;
}

function readEntry(r: ProtoReader): { key: string; value: string } {
  const entry = { key: '', value: '' };
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field === 1) entry.key = str(r, wire);
    else if (field === 2) entry.value = str(r, wire);
    else r.skip(wire, field);
  }
  return entry;
}

function readGraph(r: ProtoReader): GraphProto {
  const graph: GraphProto = { name: '', node: [], initializer: [], input: [], output: [] };
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field === 1) graph.node.push(readNode(sub(r, wire)));
    else if (field === 2) graph.name = str(r, wire);
    else if (field === 5) graph.initializer.push(readTensor(sub(r, wire)));
    else if (field === 10) graph.docString = str(r, wire);
    else if (field === 11 || field === 12) {
      const at = r.pos;
      const v = readValueInfo(sub(r, wire));
      if (typeof v === 'string')
        throw new OnnxDecodeError(
          `graph ${field === 11 ? 'input' : 'output'} '${v}' is not a typed tensor`,
          at,
        );
      (field === 11 ? graph.input : graph.output).push(v);
    } else if (field === 13) {
      const v = readValueInfo(sub(r, wire));
      graph.valueInfo ??= [];
      if (typeof v !== 'string') graph.valueInfo.push(v);
    } else r.skip(wire, field);
  }
  return graph;
}

function readNode(r: ProtoReader): NodeProto {
  const node: NodeProto = { input: [], output: [], name: '', opType: '', attribute: [] };
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field === 1) node.input.push(str(r, wire));
    else if (field === 2) node.output.push(str(r, wire));
    else if (field === 3) node.name = str(r, wire);
    else if (field === 4) node.opType = str(r, wire);
    else if (field === 5) node.attribute.push(readAttribute(sub(r, wire)));
    else if (field === 6) node.docString = str(r, wire);
    else if (field === 7) node.domain = str(r, wire);
    else r.skip(wire, field);
  }
  return node;
}

const TYPE_NAMES = Object.fromEntries(Object.entries(ATTRIBUTE_TYPE).map(([k, v]) => [v, k])) as Record<
  number,
  AttributeProto['type'] | undefined
>;

function readAttribute(r: ProtoReader): AttributeProto {
  const at = r.pos;
  let name = '';
  let typeCode = 0;
  let f = 0;
  let i = 0;
  let s = '';
  let t: TensorProto | undefined;
  let g: GraphProto | undefined;
  const floats: number[] = [];
  const ints: number[] = [];
  const strings: string[] = [];
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field === 1) name = str(r, wire);
    else if (field === 2) {
      expectWire(r, wire, WireType.I32);
      f = r.float();
    } else if (field === 3) i = int(r, wire);
    else if (field === 4) s = str(r, wire);
    else if (field === 5) t = readTensor(sub(r, wire));
    else if (field === 6) g = readGraph(sub(r, wire));
    else if (field === 7) r.repeated(wire, WireType.I32, (p) => floats.push(p.float()));
    else if (field === 8) r.repeated(wire, WireType.VARINT, (p) => ints.push(p.varint()));
    else if (field === 9) strings.push(str(r, wire));
    else if (field === 20) typeCode = int(r, wire);
    else r.skip(wire, field);
  }
  const type = TYPE_NAMES[typeCode];
  if (type === 'float') return { name, type, f };
  if (type === 'int') return { name, type, i };
  if (type === 'string') return { name, type, s };
  if (type === 'tensor' && t) return { name, type, t };
  if (type === 'graph' && g) return { name, type, g };
  if (type === 'floats') return { name, type, floats };
  if (type === 'ints') return { name, type, ints };
  if (type === 'strings') return { name, type, strings };
  throw new OnnxDecodeError(`attribute '${name}' has unsupported or incomplete type ${typeCode}`, at);
}

function readValueInfo(r: ProtoReader): ValueInfoProto | string {
  let name = '';
  let tensor: Omit<ValueInfoProto, 'name'> | undefined;
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field === 1) name = str(r, wire);
    else if (field === 2) tensor = readTypeProto(sub(r, wire));
    else r.skip(wire, field);
  }
  // The name alone tells the caller which value could not be represented.
  return tensor ? { name, ...tensor } : name;
}

/** TypeProto → element type and shape, or undefined when it is not a tensor with an elem_type. */
function readTypeProto(r: ProtoReader): Omit<ValueInfoProto, 'name'> | undefined {
  let result: Omit<ValueInfoProto, 'name'> | undefined;
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field !== 1) {
      r.skip(wire, field);
      continue;
    }
    const t = sub(r, wire);
    let elemType = 0;
    let shape: DimProto[] | undefined;
    while (!t.done()) {
      const [tf, tw] = t.tag();
      if (tf === 1) elemType = int(t, tw);
      else if (tf === 2) shape = readShape(sub(t, tw));
      else t.skip(tw, tf);
    }
    if (elemType !== 0) result = { elemType: elemType as OnnxDataType, ...(shape && { shape }) };
  }
  return result;
}

function readShape(r: ProtoReader): DimProto[] {
  const dims: DimProto[] = [];
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field !== 1) {
      r.skip(wire, field);
      continue;
    }
    const d = sub(r, wire);
    let dim: DimProto = ''; // neither dim_value nor dim_param: unknown
    while (!d.done()) {
      const [df, dw] = d.tag();
      if (df === 1) dim = int(d, dw);
      else if (df === 2) dim = str(d, dw);
      else d.skip(dw, df);
    }
    dims.push(dim);
  }
  return dims;
}

function readTensor(r: ProtoReader): TensorProto {
  const at = r.pos;
  const tensor: TensorProto = { name: '', dims: [], dataType: 0 as OnnxDataType, rawData: new Uint8Array(0) };
  let raw: Uint8Array | undefined;
  const data: TypedData = { floats: [], int32s: [], words: [], doubles: [] };
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field === 1) r.repeated(wire, WireType.VARINT, (p) => tensor.dims.push(p.varint()));
    else if (field === 2) tensor.dataType = int(r, wire) as OnnxDataType;
    else if (field === 4) r.repeated(wire, WireType.I32, (p) => data.floats.push(p.float()));
    else if (field === 5) r.repeated(wire, WireType.VARINT, (p) => data.int32s.push(p.varint()));
    else if (field === 6) throw new OnnxDecodeError('string tensors are not supported', r.pos);
    else if (field === 7 || field === 11)
      r.repeated(wire, WireType.VARINT, (p) => data.words.push(...p.varint64()));
    else if (field === 8) tensor.name = str(r, wire);
    else if (field === 9) {
      expectWire(r, wire, WireType.LEN);
      raw = r.bytes();
    } else if (field === 10) r.repeated(wire, WireType.I64, (p) => data.doubles.push(p.double()));
    else if (field === 14) {
      if (int(r, wire) !== 0) throw new OnnxDecodeError(`tensor '${tensor.name}' has external data`, at);
    } else r.skip(wire, field);
  }
  tensor.rawData = raw ?? typedToRaw(tensor.dataType, data, at);
  return tensor;
}
