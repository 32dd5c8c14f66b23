/**
 * Reads a UTF-8 text file into a character corpus (one sequence per line).
 */
import { readFile } from 'node:fs/promises';
import { DatasetError } from '../errors';
import { type CharCorpus, type CharCorpusOptions, charCorpus } from '../text/char-corpus';
import { toDatasetError } from './fs-errors';

/**
 * Reads `path` and encodes its lines; errors name the file.
 *
 * @param path - a UTF-8 text file, one sequence per line
 * @param options - maximum length, lower-casing, a fixed vocabulary (`name` defaults to `path`)
 * @returns the corpus
 * @throws FileAccessError when the file cannot be read; DatasetError when it is not UTF-8 text;
 *   DatasetArgumentError when no line fits
 */
export async function readCharCorpus(path: string, options: CharCorpusOptions): Promise<CharCorpus> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw toDatasetError(path, error);
  }
  let text: string;
  try {
    // fatal: a binary file (or another encoding) is refused, not read as replacement characters.
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new DatasetError(path, 'is not UTF-8 text; give a text file with one sequence per line');
  }
  if (text.includes('\u0000')) {
    throw new DatasetError(path, 'contains NUL bytes, so it is not a text file; give one sequence per line');
  }
  return charCorpus(text, { ...options, name: options.name ?? path });
}
