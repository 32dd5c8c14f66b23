/**
 * CSV text to a rectangular table of strings, with missing values as `null`. Parsing is done by
 * Papa Parse (RFC 4180 quoting, CRLF/LF); this module adds the checks: a header, unique column
 * names, every record the same width (ragged rows are errors naming the line), missing-value
 * tokens. Pure: no Node built-ins.
 */
import Papa from 'papaparse';
import { CsvFormatError } from '../errors';

/** Cell texts treated as missing by default (after trimming). */
export const DEFAULT_MISSING_TOKENS: readonly string[] = Object.freeze([
  '',
  'NA',
  'N/A',
  'NaN',
  'nan',
  'null',
  'NULL',
  '?',
]);

/** A parsed CSV: header and rows of cell texts (`null` = missing). */
export interface CsvTable {
  /** File name (or label) the table came from, for messages. */
  readonly source: string;
  /** Column names from the first record. */
  readonly header: readonly string[];
  /** Data records; each has `header.length` cells. */
  readonly rows: readonly (readonly (string | null)[])[];
  /** 1-based line number where each data record starts (for messages). */
  readonly lines: readonly number[];
}

/** Options of {@link parseCsv}. */
export interface CsvParseOptions {
  /** Name for messages (default `<csv>`). */
  readonly source?: string;
  /** Field delimiter (default `,`). */
  readonly delimiter?: string;
  /** Cell texts meaning "missing" (default {@link DEFAULT_MISSING_TOKENS}). */
  readonly missing?: readonly string[];
  /** Trim spaces around cells (default true). */
  readonly trim?: boolean;
}

/**
 * Parses CSV text with a header record. Blank lines are skipped.
 *
 * @param text - the CSV
 * @param options - source name, delimiter, missing tokens, trimming
 * @returns the table
 * @throws CsvFormatError for an empty input, a bad or duplicate header, unterminated quotes, or a
 *   record whose width differs from the header's
 */
export function parseCsv(text: string, options: CsvParseOptions = {}): CsvTable {
  const { source = '<csv>', delimiter = ',', trim = true } = options;
  const missing = new Set(options.missing ?? DEFAULT_MISSING_TOKENS);
  const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: string[][] = [];
  const lines: number[] = [];
  let cursor = 0;
  let line = 1;
  let failure: CsvFormatError | undefined;
  Papa.parse<string[]>(input, {
    delimiter,
    skipEmptyLines: 'greedy',
    step(result, parser) {
      // Advance to the first character of this record, counting newlines on the way.
      let start = cursor;
      while (start < input.length && /[\r\n \t]/.test(input[start]!)) start++;
      for (let i = cursor; i < start; i++) if (input[i] === '\n') line++;
      const recordLine = line;
      const end = Math.min(result.meta.cursor, input.length);
      for (let i = start; i < end; i++) if (input[i] === '\n') line++;
      cursor = end;
      const error = result.errors[0];
      if (error !== undefined) {
        failure = new CsvFormatError(
          source,
          'malformed',
          `line ${recordLine}: ${error.message} (${error.code})`,
          records.length + 1,
        );
        parser.abort();
        return;
      }
      records.push(result.data);
      lines.push(recordLine);
    },
  });
  if (failure) throw failure;
  const [first, ...rest] = records;
  if (first === undefined) throw new CsvFormatError(source, 'empty', 'no header record: the CSV is empty');
  const header = first.map((h) => h.trim());
  const seen = new Set<string>();
  header.forEach((name, i) => {
    if (name === '') throw new CsvFormatError(source, 'malformed', `header column ${i + 1} has no name`, 1);
    if (seen.has(name))
      throw new CsvFormatError(source, 'duplicate-header', `column name "${name}" appears twice`, 1);
    seen.add(name);
  });
  const rows = rest.map((record, r) => {
    if (record.length !== header.length) {
      throw new CsvFormatError(
        source,
        'ragged-row',
        `line ${lines[r + 1]}: record has ${record.length} fields, the header has ${header.length}`,
        r + 2,
      );
    }
    return record.map((cell) => {
      const value = trim ? cell.trim() : cell;
      return missing.has(value) ? null : value;
    });
  });
  return { source, header, rows, lines: lines.slice(1) };
}
