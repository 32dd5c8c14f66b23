/**
 * Incremental IDX decoding: push chunks as they arrive (from a file stream, a gunzip stream, or a
 * browser `DecompressionStream`), then `finish()`. The data buffer is allocated once, after the
 * header has been validated and the declared size checked against the limit. Pure: no Node
 * built-ins.
 */
import { IdxFormatError } from '../errors';
import {
  decodeIdxValues,
  type IdxArray,
  type IdxHeader,
  type IdxReadOptions,
  readIdxHeader,
} from './idx-format';

/** Options of an {@link IdxAccumulator}. */
export interface IdxAccumulatorOptions extends IdxReadOptions {
  /**
   * Total length of the (uncompressed) input, when known in advance (e.g. a plain file's size):
   * a mismatch with the header is reported before the data buffer is allocated.
   */
  readonly totalBytes?: number;
}

/** Collects IDX bytes chunk by chunk and validates them against the header. */
export class IdxAccumulator {
  /** File name used in error messages. */
  readonly source: string;
  readonly #options: IdxAccumulatorOptions;
  #head: Uint8Array = new Uint8Array(0);
  #header: IdxHeader | undefined;
  #data: Uint8Array | undefined;
  #filled = 0;
  #done = false;

  /**
   * @param source - file name for error messages
   * @param options - limits, expectations, known total length
   */
  constructor(source: string, options: IdxAccumulatorOptions = {}) {
    this.source = source;
    this.#options = options;
  }

  /** The header, once enough bytes have arrived. */
  get header(): IdxHeader | undefined {
    return this.#header;
  }

  /**
   * Adds the next chunk of the file.
   *
   * @param chunk - the bytes (not retained; copied into the data buffer)
   * @throws IdxFormatError on an invalid header, a size mismatch, or more data than declared
   */
  push(chunk: Uint8Array): void {
    if (this.#done) throw new Error('IdxAccumulator: push after finish');
    let rest = chunk;
    if (this.#header === undefined) {
      const joined = new Uint8Array(this.#head.length + chunk.length);
      joined.set(this.#head);
      joined.set(chunk, this.#head.length);
      const header = readIdxHeader(joined, this.source, this.#options);
      if (header === undefined) {
        this.#head = joined;
        return;
      }
      this.#header = header;
      this.#head = new Uint8Array(0);
      this.#checkTotal(header);
      this.#data = new Uint8Array(header.dataBytes);
      rest = joined.subarray(header.headerBytes);
    }
    const data = this.#data!;
    if (this.#filled + rest.length > data.length) {
      throw new IdxFormatError(
        this.source,
        'trailing-data',
        `header dimensions [${this.#header.shape.join(', ')}] declare ${data.length} data bytes, ` +
          `but the file has more (at least ${this.#filled + rest.length})`,
      );
    }
    data.set(rest, this.#filled);
    this.#filled += rest.length;
  }

  /**
   * Ends the input and returns the decoded array.
   *
   * @returns the array
   * @throws IdxFormatError when the header or the data is incomplete
   */
  finish(): IdxArray {
    this.#done = true;
    const header = this.#header;
    if (header === undefined) {
      const have = this.#head.length;
      const need = have >= 4 ? `${4 + 4 * this.#head[3]!} for rank ${this.#head[3]}` : 'at least 8';
      throw new IdxFormatError(
        this.source,
        'truncated',
        `truncated IDX header: only ${have} bytes, the header needs ${need}`,
      );
    }
    if (this.#filled < header.dataBytes) {
      throw new IdxFormatError(
        this.source,
        'truncated',
        `truncated: header dimensions [${header.shape.join(', ')}] of ${header.dtype} declare ` +
          `${header.dataBytes} data bytes, but only ${this.#filled} follow the header`,
      );
    }
    return { dtype: header.dtype, shape: header.shape, data: decodeIdxValues(header.dtype, this.#data!) };
  }

  #checkTotal(header: IdxHeader): void {
    const total = this.#options.totalBytes;
    if (total === undefined) return;
    const expected = header.headerBytes + header.dataBytes;
    if (total === expected) return;
    const problem = total < expected ? 'truncated' : 'trailing-data';
    throw new IdxFormatError(
      this.source,
      problem,
      `header dimensions [${header.shape.join(', ')}] of ${header.dtype} need ${expected} bytes in all, ` +
        `but the file has ${total}`,
    );
  }
}

/**
 * Parses a complete IDX file held in memory (uncompressed).
 *
 * @param bytes - the whole file
 * @param source - file name for error messages (default `<bytes>`)
 * @param options - limits and expectations
 * @returns the decoded array (`uint8` data is a copy, independent of `bytes`)
 * @throws IdxFormatError when the bytes are not a valid IDX file
 */
export function parseIdx(bytes: Uint8Array, source = '<bytes>', options: IdxReadOptions = {}): IdxArray {
  const acc = new IdxAccumulator(source, { ...options, totalBytes: bytes.length });
  acc.push(bytes);
  return acc.finish();
}
