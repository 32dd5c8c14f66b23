/**
 * The numeric columns of a time-series CSV as one [T, C] float64 array, in file order (rows are time
 * steps). Missing cells are an error naming the column and line, or, when asked, filled by linear
 * interpolation between the nearest observed neighbours (the nearest one at either end).
 */
import { SchemaError } from '../errors';
import type { CsvTable } from '../tabular/csv';
import { parseNumber } from '../tabular/schema';

/** What to do with a missing cell of a series column. */
export type SeriesMissing = 'error' | 'interpolate';

/** The chosen columns of a series, row-major [T, C], and how many cells were interpolated per column. */
export interface SeriesColumns {
  readonly columns: readonly string[];
  readonly steps: number;
  readonly values: Float64Array;
  readonly filled: readonly number[];
}

/**
 * Reads `columns` of `table` as numbers.
 *
 * @param table - the parsed CSV (rows in time order)
 * @param columns - the series columns, at least one
 * @param missing - `'error'` (default) or `'interpolate'`
 * @returns the values, [T, C] row-major
 * @throws SchemaError for an unknown column, a non-numeric cell, a missing cell (with `'error'`), or a
 *   column with no value at all
 */
export function seriesColumns(
  table: CsvTable,
  columns: readonly string[],
  missing: SeriesMissing = 'error',
): SeriesColumns {
  if (columns.length === 0) {
    throw new SchemaError(table.source, 'missing-column', 'name at least one series column');
  }
  const steps = table.rows.length;
  const c = columns.length;
  const values = new Float64Array(steps * c);
  const filled: number[] = [];
  columns.forEach((name, j) => {
    const col = table.header.indexOf(name);
    if (col < 0) {
      throw new SchemaError(
        table.source,
        'unknown-column',
        `no column "${name}"; the columns are ${table.header.join(', ')}`,
        name,
      );
    }
    const gaps: number[] = [];
    for (let t = 0; t < steps; t++) {
      const text = table.rows[t]![col];
      if (text === null || text === undefined) {
        if (missing === 'error') {
          throw new SchemaError(
            table.source,
            'not-numeric',
            `column "${name}" is missing a value at line ${table.lines[t]}; fill it, or let missing values be interpolated`,
            name,
            table.lines[t],
          );
        }
        gaps.push(t);
        values[t * c + j] = Number.NaN;
        continue;
      }
      const v = parseNumber(text);
      if (v === undefined) {
        throw new SchemaError(
          table.source,
          'not-numeric',
          `column "${name}" has the non-number "${text}" at line ${table.lines[t]}; a series column must be numeric`,
          name,
          table.lines[t],
        );
      }
      values[t * c + j] = v;
    }
    if (gaps.length === steps) {
      throw new SchemaError(table.source, 'not-numeric', `column "${name}" has no values`, name);
    }
    interpolateColumn(values, steps, c, j);
    filled.push(gaps.length);
  });
  return { columns: [...columns], steps, values, filled };
}

/** Fills NaNs of column j in place: linear between observed neighbours, the nearest one at the ends. */
function interpolateColumn(values: Float64Array, steps: number, c: number, j: number): void {
  let prev = -1;
  for (let t = 0; t <= steps; t++) {
    if (t < steps && Number.isNaN(values[t * c + j]!)) continue;
    // t is observed (or the end); fill prev+1 .. t-1.
    for (let u = prev + 1; u < t; u++) {
      const a = prev >= 0 ? values[prev * c + j]! : undefined;
      const b = t < steps ? values[t * c + j]! : undefined;
      values[u * c + j] =
        a === undefined ? b! : b === undefined ? a : a + ((b - a) * (u - prev)) / (t - prev);
    }
    prev = t;
  }
}
