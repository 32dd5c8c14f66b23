/**
 * Reads IDX files from disk, plain or gzip-compressed (detected from the content, not the name).
 * Gzip is decompressed as a stream straight into the single data buffer: the file is never held
 * twice in memory.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { FileAccessError } from '../errors';
import type { IdxArray, IdxReadOptions } from '../idx/idx-format';
import { IdxAccumulator, type IdxAccumulatorOptions } from '../idx/idx-parser';
import { toDatasetError } from './fs-errors';

/**
 * Decodes an IDX stream (already decompressed) chunk by chunk.
 *
 * @param chunks - the bytes, e.g. a Node `Readable` or any async iterable of `Uint8Array`
 * @param source - file name for error messages
 * @param options - limits, expectations, known total length
 * @returns the decoded array
 * @throws IdxFormatError / FileAccessError naming `source`
 */
export async function readIdxStream(
  chunks: AsyncIterable<Uint8Array>,
  source: string,
  options: IdxAccumulatorOptions = {},
): Promise<IdxArray> {
  const acc = new IdxAccumulator(source, options);
  try {
    for await (const chunk of chunks) acc.push(chunk);
    return acc.finish();
  } catch (error) {
    throw toDatasetError(source, error);
  }
}

/**
 * Reads an IDX file (plain, or gzip detected by its magic bytes 1f 8b).
 *
 * @param path - the file
 * @param options - limits and expectations (dtype, rank, maxBytes)
 * @returns the decoded array
 * @throws FileAccessError when the file cannot be read; IdxFormatError when its content is bad
 */
export async function readIdxFile(path: string, options: IdxReadOptions = {}): Promise<IdxArray> {
  let size: number;
  let gzip: boolean;
  try {
    const handle = await open(path, 'r');
    try {
      const stat = await handle.stat();
      if (!stat.isFile()) throw new FileAccessError(path, 'not a regular file');
      size = stat.size;
      const head = new Uint8Array(2);
      const { bytesRead } = await handle.read(head, 0, 2, 0);
      gzip = bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw toDatasetError(path, error);
  }
  const file = createReadStream(path, { highWaterMark: 1 << 20 });
  if (!gzip) return readIdxStream(file, path, { ...options, totalBytes: size });
  const gunzip = createGunzip({ chunkSize: 1 << 20 });
  // pipeline forwards errors from either side and destroys both when iteration stops early.
  const decompressed = pipeline(file, gunzip, () => {});
  return readIdxStream(decompressed, path, options);
}
