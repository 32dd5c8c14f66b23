import { type DType, dtypeOfOnnxCode, type HostTensor, onnxTypeCode } from '../ir/dtype';
import { IRError } from '../ir/errors';
import type { OnnxDataType, TensorProto } from './onnx-types';

/** The ONNX element type of each dtype (the IR's one table, typed for the proto). */
export const onnxTypeOf = onnxTypeCode as Record<DType, OnnxDataType>;

/** The IR dtype of an ONNX element type, or a typed error naming the type. */
export function dtypeOf(code: number, where: string): DType {
  const d = dtypeOfOnnxCode(code);
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
