/**
 * The IDX file format (LeCun's MNIST format): two zero bytes, a dtype code, the rank, the
 * dimensions as big-endian uint32, then the values, big-endian, row-major. Pure: no Node built-ins.
 */
import { IdxFormatError } from '../errors';

/** Element types IDX can hold. */
export type IdxDType = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

/** The typed array returned for each {@link IdxDType}. */
export interface IdxDTypeArray {
  /** Code 0x08. */
  uint8: Uint8Array;
  /** Code 0x09. */
  int8: Int8Array;
  /** Code 0x0B. */
  int16: Int16Array;
  /** Code 0x0C. */
  int32: Int32Array;
  /** Code 0x0D. */
  float32: Float32Array;
  /** Code 0x0E. */
  float64: Float64Array;
}

/** A decoded IDX array: dtype, shape and values (native byte order). */
export interface IdxArray<D extends IdxDType = IdxDType> {
  /** Element type. */
  readonly dtype: D;
  /** Dimensions, e.g. `[60000, 28, 28]`. */
  readonly shape: readonly number[];
  /** Values, row-major, length = product of `shape`. */
  readonly data: IdxDTypeArray[D];
}

/** A parsed IDX header. */
export interface IdxHeader {
  /** Element type. */
  readonly dtype: IdxDType;
  /** Dimensions. */
  readonly shape: readonly number[];
  /** Header length in bytes (`4 + 4 * rank`). */
  readonly headerBytes: number;
  /** Length of the values in bytes, as the header declares it. */
  readonly dataBytes: number;
}

/** Limits and expectations applied while reading an IDX file. */
export interface IdxReadOptions {
  /** Largest data section accepted, in bytes (default 1 GiB). Checked before allocating. */
  readonly maxBytes?: number;
  /** Required dtype, if any. */
  readonly dtype?: IdxDType;
  /** Required rank, if any. */
  readonly rank?: number;
}

/** Default {@link IdxReadOptions.maxBytes}: 1 GiB. */
export const IDX_DEFAULT_MAX_BYTES = 1 << 30;

/** Highest rank accepted (the format allows 255; real files use 1-4). */
export const IDX_MAX_RANK = 16;

const CODES: Record<number, IdxDType> = {
  8: 'uint8',
  9: 'int8',
  11: 'int16',
  12: 'int32',
  13: 'float32',
  14: 'float64',
};

/** Bytes per element of each dtype. */
export const IDX_ELEMENT_BYTES: Record<IdxDType, number> = {
  uint8: 1,
  int8: 1,
  int16: 2,
  int32: 4,
  float32: 4,
  float64: 8,
};

/**
 * The IDX type code of a dtype (e.g. 0x08 for `uint8`).
 *
 * @param dtype - the element type
 * @returns its code
 */
export function idxTypeCode(dtype: IdxDType): number {
  for (const [code, d] of Object.entries(CODES)) if (d === dtype) return Number(code);
  throw new Error(`unreachable: ${dtype}`);
}

/**
 * Reads an IDX header from the start of `bytes`, validating magic, dtype, rank, expectations and
 * the size limit. Returns `undefined` when `bytes` is too short to hold the whole header yet.
 *
 * @param bytes - the first bytes of the file (at least 4 for a verdict on the magic)
 * @param source - file name for error messages
 * @param options - limits and expectations
 * @returns the header, or `undefined` if more bytes are needed
 * @throws IdxFormatError when the header is invalid
 */
export function readIdxHeader(
  bytes: Uint8Array,
  source: string,
  options: IdxReadOptions = {},
): IdxHeader | undefined {
  if (bytes.length >= 2 && (bytes[0] !== 0 || bytes[1] !== 0)) {
    throw new IdxFormatError(
      source,
      'bad-magic',
      `bad magic number: IDX files start with two zero bytes, found 0x${hex(bytes[0]!)} 0x${hex(bytes[1]!)}` +
        (bytes[0] === 0x1f && bytes[1] === 0x8b ? ' (this is gzip data; decompress it first)' : ''),
    );
  }
  if (bytes.length < 4) return undefined;
  const code = bytes[2]!;
  const dtype = CODES[code];
  if (dtype === undefined) {
    throw new IdxFormatError(
      source,
      'bad-dtype',
      `unknown IDX dtype code 0x${hex(code)} in the magic number`,
    );
  }
  const rank = bytes[3]!;
  if (rank === 0 || rank > IDX_MAX_RANK) {
    throw new IdxFormatError(source, 'bad-rank', `IDX rank ${rank} is outside 1..${IDX_MAX_RANK}`);
  }
  if (options.dtype !== undefined && dtype !== options.dtype) {
    throw new IdxFormatError(
      source,
      'unexpected-content',
      `expected IDX dtype ${options.dtype}, found ${dtype}`,
    );
  }
  if (options.rank !== undefined && rank !== options.rank) {
    throw new IdxFormatError(
      source,
      'unexpected-content',
      `expected an IDX array of rank ${options.rank}, found ${rank}`,
    );
  }
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, headerBytes);
  const shape: number[] = [];
  let elements = 1;
  for (let i = 0; i < rank; i++) {
    const d = view.getUint32(4 + 4 * i, false);
    shape.push(d);
    elements *= d;
  }
  const dataBytes = elements * IDX_ELEMENT_BYTES[dtype];
  const maxBytes = options.maxBytes ?? IDX_DEFAULT_MAX_BYTES;
  if (dataBytes > maxBytes) {
    throw new IdxFormatError(
      source,
      'too-large',
      `header dimensions [${shape.join(', ')}] of ${dtype} declare ${dataBytes} data bytes, over the limit of ` +
        `${maxBytes} (raise maxBytes if the file is genuinely this large)`,
    );
  }
  return { dtype, shape, headerBytes, dataBytes };
}

/**
 * Encodes an array as IDX bytes (big-endian), the inverse of `parseIdx`.
 *
 * @param array - dtype, shape and values
 * @returns the IDX file contents
 */
export function encodeIdx(array: IdxArray): Uint8Array {
  const { dtype, shape, data } = array;
  const headerBytes = 4 + 4 * shape.length;
  const size = IDX_ELEMENT_BYTES[dtype];
  const out = new Uint8Array(headerBytes + data.length * size);
  const view = new DataView(out.buffer);
  out[2] = idxTypeCode(dtype);
  out[3] = shape.length;
  shape.forEach((d, i) => {
    view.setUint32(4 + 4 * i, d, false);
  });
  for (let i = 0; i < data.length; i++) writeValue(view, dtype, headerBytes + i * size, data[i]!);
  return out;
}

function writeValue(view: DataView, dtype: IdxDType, at: number, v: number): void {
  if (dtype === 'uint8') view.setUint8(at, v);
  else if (dtype === 'int8') view.setInt8(at, v);
  else if (dtype === 'int16') view.setInt16(at, v, false);
  else if (dtype === 'int32') view.setInt32(at, v, false);
  else if (dtype === 'float32') view.setFloat32(at, v, false);
  else view.setFloat64(at, v, false);
}

/**
 * Decodes big-endian IDX values into a native typed array (`uint8` is returned as is, no copy).
 *
 * @param dtype - element type
 * @param bytes - the data section
 * @returns the values
 */
export function decodeIdxValues<D extends IdxDType>(dtype: D, bytes: Uint8Array): IdxDTypeArray[D] {
  const size = IDX_ELEMENT_BYTES[dtype];
  const n = bytes.length / size;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let out: IdxDTypeArray[IdxDType];
  switch (dtype) {
    case 'uint8':
      out = bytes;
      break;
    case 'int8':
      out = new Int8Array(bytes.buffer, bytes.byteOffset, n);
      break;
    case 'int16':
      out = Int16Array.from({ length: n }, (_, i) => view.getInt16(i * 2, false));
      break;
    case 'int32':
      out = Int32Array.from({ length: n }, (_, i) => view.getInt32(i * 4, false));
      break;
    case 'float32':
      out = Float32Array.from({ length: n }, (_, i) => view.getFloat32(i * 4, false));
      break;
    default:
      out = Float64Array.from({ length: n }, (_, i) => view.getFloat64(i * 8, false));
  }
  return out as IdxDTypeArray[D];
}

function hex(b: number): string {
  return b.toString(16).padStart(2, '0');
}
