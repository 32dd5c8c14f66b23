/**
 * The NumPy `.npy` header (format versions 1.0, 2.0, 3.0): the magic `\x93NUMPY`, a version, the
 * header length (2 bytes little-endian for 1.0, 4 bytes for 2.0/3.0), then a Python dict literal
 * `{'descr': '<f4', 'fortran_order': False, 'shape': (60000, 28, 28), }` padded with spaces and a
 * newline. Read with a small strict literal parser (no eval). Pure: no Node built-ins.
 */
import { NpyFormatError } from '../errors';
import { PyTuple, type PyValue, parseHeaderDict, show } from './py-literal';

/** Element types the NPY reader decodes (little-endian, or byte-sized). */
export type NpyDType =
  | 'uint8'
  | 'int8'
  | 'uint16'
  | 'int16'
  | 'uint32'
  | 'int32'
  | 'uint64'
  | 'int64'
  | 'float32'
  | 'float64';

/** A validated `.npy` header. */
export interface NpyHeader {
  /** Format version `[major, minor]`: `[1, 0]`, `[2, 0]` or `[3, 0]`. */
  readonly version: readonly [number, number];
  /** The dtype string as written, e.g. `<f4`. */
  readonly descr: string;
  /** The decoded element type. */
  readonly dtype: NpyDType;
  /** True when the data are stored column-major. */
  readonly fortranOrder: boolean;
  /** The array's dimensions. */
  readonly shape: readonly number[];
  /** Bytes before the data (magic, version, length field and header dict). */
  readonly dataOffset: number;
  /** Length of the data in bytes, as the header declares it. */
  readonly dataBytes: number;
}

/** Limits and expectations applied while reading a `.npy` header. */
export interface NpyReadOptions {
  /** Largest data section accepted, in bytes (default {@link NPY_DEFAULT_MAX_BYTES}); checked before allocating. */
  readonly maxBytes?: number;
  /** Accepted element types (default: all of {@link NPY_DTYPES}). */
  readonly dtypes?: readonly NpyDType[];
  /** What the array is for, in messages (e.g. `data`, `labels`). */
  readonly role?: string;
}

/** Default {@link NpyReadOptions.maxBytes}: 2 GiB. */
export const NPY_DEFAULT_MAX_BYTES = 2 ** 31;

/** Longest header dict accepted (numpy's own reader stops at 10,000 bytes by default). */
export const NPY_MAX_HEADER_BYTES = 1 << 20;

/** The `descr` strings read, by dtype (the first spelling is numpy's; `<u1`/`>u1` are also accepted for bytes). */
export const NPY_DTYPES: Readonly<Record<NpyDType, { descr: string; bytes: number }>> = Object.freeze({
  uint8: { descr: '|u1', bytes: 1 },
  int8: { descr: '|i1', bytes: 1 },
  uint16: { descr: '<u2', bytes: 2 },
  int16: { descr: '<i2', bytes: 2 },
  uint32: { descr: '<u4', bytes: 4 },
  int32: { descr: '<i4', bytes: 4 },
  uint64: { descr: '<u8', bytes: 8 },
  int64: { descr: '<i8', bytes: 8 },
  float32: { descr: '<f4', bytes: 4 },
  float64: { descr: '<f8', bytes: 8 },
});

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

function dtypeOf(descr: string): NpyDType | undefined {
  const d = /^[<>|=]?[ui]1$/.test(descr) ? `|${descr.slice(-2)}` : descr;
  for (const [dtype, info] of Object.entries(NPY_DTYPES)) if (info.descr === d) return dtype as NpyDType;
  return undefined;
}

/** A list of dtypes for messages: `uint8 (|u1), float32 (<f4)`. */
export function describeDTypes(dtypes: readonly NpyDType[]): string {
  return dtypes.map((d) => `${d} (${NPY_DTYPES[d].descr})`).join(', ');
}

function unsupported(descr: string): string {
  if (/^>[uif][2-8]$/.test(descr))
    return `big-endian dtype '${descr}' (save it as little-endian: x.astype('<${descr.slice(1)}'))`;
  if (/^[<|]O/.test(descr)) return `object dtype '${descr}' (save a numeric array)`;
  if (/^[<>|=]?f2$/.test(descr)) return `float16 dtype '${descr}' (convert with x.astype('float32'))`;
  return `dtype '${descr}'`;
}

/**
 * Reads a `.npy` header from the start of `bytes`, validating magic, version, the dict's keys and
 * values, the dtype and the size limit. Returns `undefined` when `bytes` is too short to hold the
 * whole header yet.
 *
 * @param bytes - the first bytes of the file
 * @param source - file name for error messages
 * @param options - limits and accepted dtypes
 * @returns the header, or `undefined` if more bytes are needed
 * @throws NpyFormatError when the header is invalid
 */
export function readNpyHeader(
  bytes: Uint8Array,
  source: string,
  options: NpyReadOptions = {},
): NpyHeader | undefined {
  for (let i = 0; i < Math.min(bytes.length, MAGIC.length); i++) {
    if (bytes[i] !== MAGIC[i]) {
      const zip = bytes[0] === 0x50 && bytes[1] === 0x4b ? ' (this is a zip archive: an .npz file?)' : '';
      throw new NpyFormatError(
        source,
        'bad-magic',
        `not an .npy file: it does not start with \\x93NUMPY${zip}`,
      );
    }
  }
  if (bytes.length < 8) return undefined;
  const major = bytes[6]!;
  const minor = bytes[7]!;
  if (major < 1 || major > 3 || minor !== 0) {
    throw new NpyFormatError(
      source,
      'bad-version',
      `unsupported .npy format version ${major}.${minor} (1.0, 2.0 and 3.0 are read)`,
    );
  }
  const lengthBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lengthBytes) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  if (headerLength > NPY_MAX_HEADER_BYTES) {
    throw new NpyFormatError(
      source,
      'bad-header',
      `header length ${headerLength} is over the limit of ${NPY_MAX_HEADER_BYTES} bytes`,
    );
  }
  const dataOffset = 8 + lengthBytes + headerLength;
  if (bytes.length < dataOffset) return undefined;
  const raw = bytes.subarray(8 + lengthBytes, dataOffset);
  const text = major === 3 ? new TextDecoder('utf-8', { fatal: false }).decode(raw) : latin1(raw);
  const dict = parseHeaderDict(text, source);
  return checkHeader(dict, [major, minor], dataOffset, source, options);
}

function latin1(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 4096) s += String.fromCharCode(...bytes.subarray(i, i + 4096));
  return s;
}

function checkHeader(
  dict: Map<string, PyValue>,
  version: [number, number],
  dataOffset: number,
  source: string,
  options: NpyReadOptions,
): NpyHeader {
  const bad = (message: string) => new NpyFormatError(source, 'bad-header', message);
  const keys = [...dict.keys()].sort().join(', ');
  if (keys !== 'descr, fortran_order, shape') {
    throw bad(`header keys are {${keys}}, expected {descr, fortran_order, shape}`);
  }
  const descr = dict.get('descr');
  const fortran = dict.get('fortran_order');
  const shape = dict.get('shape');
  if (Array.isArray(descr)) {
    throw new NpyFormatError(
      source,
      'bad-dtype',
      'structured (record) dtypes are not supported: save a plain numeric array',
    );
  }
  if (typeof descr !== 'string') throw bad(`'descr' must be a dtype string, found ${show(descr)}`);
  if (typeof fortran !== 'boolean')
    throw bad(`'fortran_order' must be True or False, found ${show(fortran)}`);
  if (
    !(shape instanceof PyTuple) ||
    !shape.items.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0)
  ) {
    throw bad(`'shape' must be a tuple of non-negative integers, found ${show(shape)}`);
  }
  const dims = shape.items as number[];
  const accepted = options.dtypes ?? (Object.keys(NPY_DTYPES) as NpyDType[]);
  const dtype = dtypeOf(descr);
  const role = options.role === undefined ? '' : ` for ${options.role}`;
  if (dtype === undefined || !accepted.includes(dtype)) {
    const what = dtype === undefined ? unsupported(descr) : `${dtype} ('${descr}')`;
    throw new NpyFormatError(
      source,
      'bad-dtype',
      `${what} is not supported${role}; supported: ${describeDTypes(accepted)}`,
    );
  }
  let elements = 1;
  for (const d of dims) elements *= d;
  const dataBytes = elements * NPY_DTYPES[dtype].bytes;
  const maxBytes = options.maxBytes ?? NPY_DEFAULT_MAX_BYTES;
  if (!Number.isSafeInteger(dataBytes) || dataBytes > maxBytes) {
    throw new NpyFormatError(
      source,
      'too-large',
      `shape (${dims.join(', ')}) of ${dtype} declares ${dataBytes} data bytes, over the limit of ${maxBytes}`,
    );
  }
  return { version, descr, dtype, fortranOrder: fortran, shape: dims, dataOffset, dataBytes };
}
