import type { DType, HostTensor } from '../ir/dtype';
import { IRError } from '../ir/errors';
import { OnnxDataType, type TensorProto } from './onnx-types';

export const onnxTypeOf: Record<DType, OnnxDataType> = {
  float32: OnnxDataType.FLOAT,
  int64: OnnxDataType.INT64,
  bool: OnnxDataType.BOOL,
};

const dtypeOfOnnx = new Map<number, DType>([
  [OnnxDataType.FLOAT, 'float32'],
  [OnnxDataType.INT64, 'int64'],
  [OnnxDataType.BOOL, 'bool'],
]);

/** The IR dtype of an ONNX element type, or a typed error naming the type. */
export function dtypeOf(code: number, where: string): DType {
  const d = dtypeOfOnnx.get(code);
  if (!d) throw new IRError(`${where}: ONNX element type ${code} is not supported (float32, int64, bool)`);
  return d;
}

// Typed arrays are little-endian on every platform onnxruntime supports, as raw_data requires.
export function toTensorProto(name: string, t: HostTensor): TensorProto {
  const bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength).slice();
  return { name, dims: [...t.shape], dataType: onnxTypeOf[t.dtype], rawData: bytes };
}

export function fromTensorProto(p: TensorProto): HostTensor {
  const dtype = dtypeOf(p.dataType, `tensor ${p.name}`);
  const buf = p.rawData.slice().buffer;
  const data =
    dtype === 'float32'
      ? new Float32Array(buf)
      : dtype === 'int64'
        ? new BigInt64Array(buf)
        : new Uint8Array(buf);
  const n = p.dims.reduce((a, d) => a * d, 1);
  if (data.length !== n)
    throw new IRError(`tensor ${p.name}: ${data.length} elements stored for dims [${p.dims}]`);
  return { dtype, shape: [...p.dims], data } as HostTensor;
}
