/**
 * The subset of onnx.proto (ONNX IR version 8) that this project writes and reads, as plain
 * objects. Field numbers live in the codec (`onnx-proto.ts`); names follow onnx.proto.
 */

/** onnx.TensorProto.DataType values used here. */
export const OnnxDataType = {
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  INT32: 6,
  INT64: 7,
  BOOL: 9,
  FLOAT16: 10,
  DOUBLE: 11,
} as const;
export type OnnxDataType = (typeof OnnxDataType)[keyof typeof OnnxDataType];

export interface TensorProto {
  name: string;
  dims: number[];
  dataType: OnnxDataType;
  /** Little-endian raw bytes (`raw_data`); the codec always writes raw_data. */
  rawData: Uint8Array;
}

/** A dimension is either a fixed size or a named symbol (`dim_param`). */
export type DimProto = number | string;

export interface ValueInfoProto {
  name: string;
  /** tensor_type only. */
  elemType: OnnxDataType;
  /** undefined = unknown rank (no `shape` field written). */
  shape?: DimProto[];
}

export type AttributeProto =
  | { name: string; type: 'float'; f: number }
  | { name: string; type: 'int'; i: number }
  | { name: string; type: 'string'; s: string }
  | { name: string; type: 'tensor'; t: TensorProto }
  | { name: string; type: 'graph'; g: GraphProto }
  | { name: string; type: 'floats'; floats: number[] }
  | { name: string; type: 'ints'; ints: number[] }
  | { name: string; type: 'strings'; strings: string[] };

export interface NodeProto {
  input: string[];
  output: string[];
  name: string;
  opType: string;
  domain?: string;
  attribute: AttributeProto[];
  docString?: string;
}

export interface GraphProto {
  name: string;
  node: NodeProto[];
  initializer: TensorProto[];
  input: ValueInfoProto[];
  output: ValueInfoProto[];
  valueInfo?: ValueInfoProto[];
  docString?: string;
}

export interface OperatorSetIdProto {
  domain: string;
  version: number;
}

export interface ModelProto {
  irVersion: number;
  opsetImport: OperatorSetIdProto[];
  producerName: string;
  producerVersion: string;
  /** Model namespace (`domain`), not an operator domain. */
  domain?: string;
  modelVersion?: number;
  docString?: string;
  graph: GraphProto;
  metadataProps?: { key: string; value: string }[];
}
