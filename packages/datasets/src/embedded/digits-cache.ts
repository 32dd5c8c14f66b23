/**
 * The compact binary cache of the embedded digits: a 32-byte header, then the uint8 images and
 * labels. Pure encoding/decoding (no Node built-ins); checksums are verified by the caller.
 *
 * Layout (little-endian):
 * ```
 * 0   8   magic "VAEDIGIT"
 * 8   4   format version (1)
 * 12  4   count
 * 16  4   rows
 * 20  4   cols
 * 24  8   reserved (0)
 * 32  ... images, count * rows * cols bytes (0..255)
 * ... ... labels, count bytes
 * ```
 */
import { DatasetShapeError } from '../errors';

const MAGIC = 'VAEDIGIT';
const VERSION = 1;
/** Length of the cache header in bytes. */
export const DIGITS_CACHE_HEADER_BYTES = 32;

/** The contents of a digits cache. */
export interface DigitsCacheContents {
  /** Number of examples. */
  readonly count: number;
  /** Image height. */
  readonly rows: number;
  /** Image width. */
  readonly cols: number;
  /** Pixels, `count * rows * cols` bytes. */
  readonly images: Uint8Array;
  /** Labels, `count` bytes. */
  readonly labels: Uint8Array;
}

/**
 * Serialises digits to the cache format.
 *
 * @param contents - images and labels
 * @returns the file bytes
 */
export function encodeDigitsCache(contents: DigitsCacheContents): Uint8Array {
  const { count, rows, cols, images, labels } = contents;
  const out = new Uint8Array(DIGITS_CACHE_HEADER_BYTES + images.length + labels.length);
  const view = new DataView(out.buffer);
  for (let i = 0; i < MAGIC.length; i++) out[i] = MAGIC.charCodeAt(i);
  view.setUint32(8, VERSION, true);
  view.setUint32(12, count, true);
  view.setUint32(16, rows, true);
  view.setUint32(20, cols, true);
  out.set(images, DIGITS_CACHE_HEADER_BYTES);
  out.set(labels, DIGITS_CACHE_HEADER_BYTES + images.length);
  return out;
}

/**
 * Parses cache bytes, checking magic, version and that the length matches the header exactly.
 * The returned arrays are views into `bytes`.
 *
 * @param bytes - the file
 * @param source - file name for messages
 * @returns the contents
 * @throws DatasetShapeError when the bytes are not a complete, well-formed cache
 */
export function decodeDigitsCache(bytes: Uint8Array, source: string): DigitsCacheContents {
  if (bytes.length < DIGITS_CACHE_HEADER_BYTES) {
    throw new DatasetShapeError(source, `digits cache is ${bytes.length} bytes, shorter than its header`);
  }
  let magic = '';
  for (let i = 0; i < MAGIC.length; i++) magic += String.fromCharCode(bytes[i]!);
  if (magic !== MAGIC) throw new DatasetShapeError(source, 'not a digits cache (bad magic)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, DIGITS_CACHE_HEADER_BYTES);
  const version = view.getUint32(8, true);
  if (version !== VERSION)
    throw new DatasetShapeError(source, `digits cache version ${version}, expected ${VERSION}`);
  const count = view.getUint32(12, true);
  const rows = view.getUint32(16, true);
  const cols = view.getUint32(20, true);
  const imageBytes = count * rows * cols;
  const expected = DIGITS_CACHE_HEADER_BYTES + imageBytes + count;
  if (bytes.length !== expected) {
    throw new DatasetShapeError(source, `digits cache is ${bytes.length} bytes, header says ${expected}`);
  }
  const start = DIGITS_CACHE_HEADER_BYTES;
  return {
    count,
    rows,
    cols,
    images: bytes.subarray(start, start + imageBytes),
    labels: bytes.subarray(start + imageBytes, expected),
  };
}
