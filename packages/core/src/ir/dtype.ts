/** Element types the IR knows. int64 carries shapes, axes and indices; bool comes from comparisons. */
export type DType = 'float32' | 'int64' | 'bool';

/** ONNX TensorProto.DataType code of each dtype (Cast's `to`, tensors and value infos). */
export const onnxTypeCode = { float32: 1, int64: 7, bool: 9 } as const satisfies Record<DType, number>;

/** The dtype of an ONNX element-type code, or undefined for types the IR does not have. */
export function dtypeOfOnnxCode(code: number): DType | undefined {
  return (Object.keys(onnxTypeCode) as DType[]).find((d) => onnxTypeCode[d] === code);
}

/** The typed array that holds each dtype on the host (the same arrays onnxruntime uses). */
export interface DataOf {
  float32: Float32Array;
  int64: BigInt64Array;
  bool: Uint8Array;
}

/** A concrete tensor on the host: what graphs are fed and what they return. */
export interface HostTensor<D extends DType = DType> {
  readonly dtype: D;
  readonly shape: readonly number[];
  readonly data: DataOf[D];
}

/** Number of elements of a concrete shape. */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Allocates a zero-filled array for `n` elements of `dtype`. */
export function allocData<D extends DType>(dtype: D, n: number): DataOf[D] {
  const arrays = { float32: Float32Array, int64: BigInt64Array, bool: Uint8Array } as const;
  return new arrays[dtype](n) as DataOf[D];
}

/** Builds a host tensor, checking that the data length matches the shape. */
export function hostTensor<D extends DType>(
  dtype: D,
  shape: readonly number[],
  data: DataOf[D],
): HostTensor<D> {
  if (data.length !== sizeOf(shape)) {
    throw new RangeError(
      `hostTensor: ${dtype} data has ${data.length} elements but shape [${shape}] needs ${sizeOf(shape)}`,
    );
  }
  return { dtype, shape: [...shape], data };
}

/** float32 tensor from plain numbers. */
export function f32(shape: readonly number[], values: ArrayLike<number>): HostTensor<'float32'> {
  return hostTensor('float32', shape, Float32Array.from(values));
}

/** int64 tensor from plain numbers (must be safe integers). */
export function i64(shape: readonly number[], values: ArrayLike<number>): HostTensor<'int64'> {
  return hostTensor('int64', shape, BigInt64Array.from(Array.from(values, (v) => BigInt(v))));
}

/** Reads any host tensor's elements as JS numbers (int64 via Number, bool as 0/1). */
export function toNumbers(t: HostTensor): ArrayLike<number> {
  if (t.dtype === 'int64') return Float64Array.from(t.data as BigInt64Array, (v) => Number(v));
  return t.data as Float32Array | Uint8Array;
}

/** Writes JS numbers into a fresh host tensor of `dtype` (int64 truncates toward zero, bool is `!== 0`). */
export function fromNumbers(dtype: DType, shape: readonly number[], values: ArrayLike<number>): HostTensor {
  if (dtype === 'float32') return hostTensor(dtype, shape, Float32Array.from(values));
  if (dtype === 'bool')
    return hostTensor(
      dtype,
      shape,
      Uint8Array.from(values, (v) => (v !== 0 ? 1 : 0)),
    );
  return hostTensor(dtype, shape, BigInt64Array.from(Array.from(values, (v) => BigInt(Math.trunc(v)))));
}
