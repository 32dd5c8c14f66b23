/**
 * How a table becomes a training run's data, shared by every trainer (`vae train --dataset
 * file.csv` in Node and the browser's trainer): the usable columns, the seeded row split, the
 * decimals the data were written with, and the column schema a bundle records. Pure.
 */
import { DatasetError, SchemaError } from '../errors';
import { dataKey, foldIn, permutation } from '../random';
import type { CsvTable } from './csv';
import type { ColumnEncoding } from './encoder';
import { type ColumnSchema, inferSchema, type TabularSchema } from './schema';

/** Share of the rows held out for testing, and for validation unless the caller says otherwise. */
export const TABULAR_TEST_FRACTION = 0.1;
export const TABULAR_VAL_FRACTION = 0.1;
/** Stream of the split permutation, apart from the trainer's streams of the same seed. */
const SPLIT_STREAM = 7;
/** Most decimals kept for display (float64 carries about 15 significant digits). */
const MAX_DECIMALS = 15;

/**
 * Infers a schema column by column, leaving out columns nothing can be learned from (no values, or
 * free text with too many distinct values, like names or ids). A column mixing numbers and text is
 * still an error: it is a data problem to fix.
 * @throws DatasetError when no usable column is left
 */
export function inferUsableSchema(
  table: CsvTable,
  exclude: readonly string[] = [],
): { schema: TabularSchema; dropped: { name: string; reason: string }[] } {
  const columns: ColumnSchema[] = [];
  const dropped: { name: string; reason: string }[] = [];
  for (const name of table.header) {
    if (exclude.includes(name)) continue;
    try {
      columns.push(...inferSchema(table, { columns: [name] }).columns);
    } catch (e) {
      if (!(e instanceof SchemaError && e.problem === 'bad-schema')) throw e;
      dropped.push({ name, reason: e.message.slice(table.source.length + 2) });
    }
  }
  if (columns.length === 0)
    throw new DatasetError(
      table.source,
      `no usable columns (${dropped.map((d) => `${d.name}: ${d.reason}`).join('; ') || 'the header is empty'})`,
    );
  return { schema: { columns }, dropped };
}

/** Sizes of a table's splits: test rows first in the seeded permutation, then validation, then training. */
export interface TabularSplit {
  readonly seed: number;
  readonly train: number;
  readonly val: number;
  readonly test: number;
}

/** Row indices of each split (each in file order), from the seed's permutation of the rows. */
export function tabularSplitRows(n: number, split: TabularSplit) {
  const perm = permutation(foldIn(dataKey(split.seed), SPLIT_STREAM), n);
  const part = (from: number, to: number) => Array.from(perm.subarray(from, to)).sort((a, b) => a - b);
  return {
    test: part(0, split.test),
    val: part(split.test, split.test + split.val),
    train: part(split.test + split.val, n),
  };
}

/** The table's rows `rows`, in that order. */
export const subTable = (t: CsvTable, rows: readonly number[]): CsvTable => ({
  source: t.source,
  header: t.header,
  rows: rows.map((r) => t.rows[r]!),
  lines: rows.map((r) => t.lines[r]!),
});

/**
 * Decimal places each continuous column's values were written with (the most in the column), so
 * generated numbers look like the data (`39.1`, `3750`). A column with exponent notation (`1e-3`)
 * has no fixed precision and is left out.
 */
export function columnDecimals(table: CsvTable, schema: TabularSchema): Record<string, number> {
  const out: Record<string, number> = {};
  for (const column of schema.columns) {
    if (column.kind !== 'continuous') continue;
    const j = table.header.indexOf(column.name);
    let most = 0;
    let fixed = j >= 0;
    for (const row of table.rows) {
      const cell = row[j];
      if (cell == null) continue;
      if (/e/i.test(cell)) {
        fixed = false;
        break;
      }
      const dot = cell.indexOf('.');
      most = Math.max(most, dot < 0 ? 0 : cell.length - dot - 1);
    }
    if (fixed) out[column.name] = Math.min(most, MAX_DECIMALS);
  }
  return out;
}

/**
 * One column as a bundle records it (`data.tabular` of `@vae/core`'s manifest, declared here because
 * this package does not import core): names, kinds, categories or binary values, the training
 * standardisation and feature offset, and the data's decimals when known.
 */
export type TabularBundleColumn =
  | { name: string; type: 'categorical'; offset: number; categories: string[] }
  | { name: string; type: 'binary'; offset: number; values: [string, string] }
  | { name: string; type: 'continuous'; offset: number; mean: number; std: number; decimals?: number };

/** The bundle's columns for a fitted encoding (and the decimals the data were written with). */
export function tabularBundleColumns(state: {
  readonly encodings: readonly ColumnEncoding[];
  readonly decimals?: Readonly<Record<string, number>>;
}): TabularBundleColumn[] {
  return state.encodings.map(({ column, offset, mean, std }): TabularBundleColumn => {
    if (column.kind === 'categorical')
      return { name: column.name, type: 'categorical', offset, categories: [...column.categories] };
    if (column.kind === 'binary')
      return { name: column.name, type: 'binary', offset, values: [column.values[0], column.values[1]] };
    const decimals = state.decimals?.[column.name];
    return {
      name: column.name,
      type: 'continuous',
      offset,
      mean,
      std,
      ...(decimals !== undefined ? { decimals } : {}),
    };
  });
}
