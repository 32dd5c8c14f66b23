/**
 * Decoding `.npy` data: a typed-array view on the bytes where alignment allows (always for bytes),
 * a copy otherwise; column-major (`fortran_order: True`) arrays are transposed to row-major.
 * Pure: no Node built-ins.
 */
import { NpyFormatError } from '../errors';
import { NPY_DTYPES, type NpyDType, type NpyHeader, type NpyReadOptions, readNpyHeader } from './npy-header';

/** The typed array returned for each {@link NpyDType}. */
export interface NpyDTypeArray {
  uint8: Uint8Array;
  int8: Int8Array;
  uint16: Uint16Array;
  int16: Int16Array;
  uint32: Uint32Array;
  int32: Int32Array;
  uint64: BigUint64Array;
  int64: BigInt64Array;
  float32: Float32Array;
  float64: Float64Array;
}

/** A decoded `.npy` array, row-major. */
export interface NpyArray<D extends NpyDType = NpyDType> {
  /** Element type. */
  readonly dtype: D;
  /** Dimensions. */
  readonly shape: readonly number[];
  /** Values, row-major (C order), length = product of `shape`. */
  readonly data: NpyDTypeArray[D];
  /** The header as read (its `fortranOrder` says whether the data were transposed). */
  readonly header: NpyHeader;
}

const ARRAYS = {
  uint8: Uint8Array,
  int8: Int8Array,
  uint16: Uint16Array,
  int16: Int16Array,
  uint32: Uint32Array,
  int32: Int32Array,
  uint64: BigUint64Array,
  int64: BigInt64Array,
  float32: Float32Array,
  float64: Float64Array,
} as const;

type AnyArray = NpyDTypeArray[NpyDType];

/**
 * Decodes the data section of a `.npy` file whose header has been read.
 *
 * @param header - the validated header
 * @param bytes - exactly `header.dataBytes` bytes of data
 * @param source - file name for error messages
 * @returns the array (a view on `bytes` when aligned and row-major, else a copy)
 * @throws NpyFormatError when `bytes` is shorter or longer than the header declares
 */
export function decodeNpyData(header: NpyHeader, bytes: Uint8Array, source: string): NpyArray {
  if (bytes.length !== header.dataBytes) {
    const problem = bytes.length < header.dataBytes ? 'truncated' : 'trailing-data';
    throw new NpyFormatError(
      source,
      problem,
      `shape (${header.shape.join(', ')}) of ${header.dtype} needs ${header.dataBytes} data bytes, ` +
        `but the file has ${bytes.length} after its ${header.dataOffset}-byte header`,
    );
  }
  const Ctor = ARRAYS[header.dtype];
  const size = NPY_DTYPES[header.dtype].bytes;
  const aligned = bytes.byteOffset % size === 0 ? bytes : bytes.slice();
  let data: AnyArray = new Ctor(aligned.buffer as ArrayBuffer, aligned.byteOffset, bytes.length / size);
  if (header.fortranOrder && header.shape.length > 1) data = fortranToC(data, header.shape);
  return { dtype: header.dtype, shape: header.shape, data, header };
}

/** Row-major copy of a column-major array of the given shape. */
function fortranToC<A extends AnyArray>(src: A, shape: readonly number[]): A {
  const rank = shape.length;
  const out = new (src.constructor as new (n: number) => A)(src.length);
  // Column-major strides; walk the output in row-major order with an odometer.
  const strides = new Array<number>(rank);
  let s = 1;
  for (let k = 0; k < rank; k++) {
    strides[k] = s;
    s *= shape[k]!;
  }
  const index = new Array<number>(rank).fill(0);
  let from = 0;
  for (let i = 0; i < out.length; i++) {
    (out as unknown as number[])[i] = (src as unknown as number[])[from]!;
    for (let k = rank - 1; k >= 0; k--) {
      index[k]!++;
      from += strides[k]!;
      if (index[k]! < shape[k]!) break;
      from -= strides[k]! * shape[k]!;
      index[k] = 0;
    }
  }
  return out;
}

/**
 * Parses a complete `.npy` file held in memory.
 *
 * @param bytes - the whole file
 * @param source - file name for error messages (default `<bytes>`)
 * @param options - limits and accepted dtypes
 * @returns the array; its data is a view on `bytes` when aligned and row-major (uint8 always)
 * @throws NpyFormatError when the bytes are not a valid `.npy` file or hold an unaccepted dtype
 */
export function parseNpy(bytes: Uint8Array, source = '<bytes>', options: NpyReadOptions = {}): NpyArray {
  const header = readNpyHeader(bytes, source, options);
  if (header === undefined) {
    throw new NpyFormatError(
      source,
      'truncated',
      `truncated .npy header: the file has only ${bytes.length} bytes`,
    );
  }
  return decodeNpyData(header, bytes.subarray(header.dataOffset), source);
}
