/**
 * Reads a CSV file from disk (UTF-8) into a {@link CsvTable}.
 */
import { readFile } from 'node:fs/promises';
import { DatasetError } from '../errors';
import { type CsvParseOptions, type CsvTable, parseCsv } from '../tabular/csv';
import { toDatasetError } from './fs-errors';

/**
 * Reads and parses a CSV file; errors name the file.
 *
 * @param path - the file
 * @param options - delimiter, missing tokens, trimming (`source` defaults to `path`)
 * @returns the table
 * @throws FileAccessError when the file cannot be read; CsvFormatError when its content is bad
 */
export async function readCsvFile(
  path: string,
  options: Omit<CsvParseOptions, 'source'> = {},
): Promise<CsvTable> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw toDatasetError(path, error);
  }
  try {
    return parseCsv(text, { ...options, source: path });
  } catch (error) {
    if (error instanceof DatasetError) throw error;
    throw new DatasetError(path, `cannot parse CSV (${(error as Error).message})`, { cause: error });
  }
}
