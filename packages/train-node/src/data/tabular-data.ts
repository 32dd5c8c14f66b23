/**
 * CSV / tabular data for `vae train --model tabular`: read a table (a CSV file or the embedded
 * penguins), infer its schema, split its rows with a seeded permutation, fit the encoder on the
 * training rows only, and persist all of it in the run's config so eval, export and impute
 * rebuild exactly the same splits and encoding.
 */
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import type { TabularColumn } from '@vae/core';
import { TrainConfigError } from '@vae/core';
import {
  applySchema,
  type ColumnEncoding,
  type CsvTable,
  columnDecimals,
  DatasetError,
  fitTabularEncoder,
  inferUsableSchema,
  labelsFromColumn,
  PENGUINS_SPECIES,
  penguins,
  readCsvFile,
  subTable,
  TABULAR_TEST_FRACTION,
  TABULAR_VAL_FRACTION,
  TabularEncoder,
  type TabularSchema,
  tabularDataset,
  tabularSplitRows,
} from '@vae/datasets';
import { type RunConfig, RunError } from '../run/run-dir';
import type { RunData } from './run-data';

/** The embedded table `--dataset penguins` names (Palmer penguins, CC0). */
export const PENGUINS_DATASET = 'penguins';
/** Share of the rows held out for testing, and for validation unless `--val` says otherwise. */
export { TABULAR_TEST_FRACTION, TABULAR_VAL_FRACTION };

/** What a tabular run stores in `config.extra.tabular` to rebuild its data exactly. */
export interface TabularState {
  readonly version: 1;
  /** `penguins`, or the CSV's absolute path. */
  readonly source: string;
  /** Rows of the table and a SHA-256 of its parsed cells: a changed file is caught, not silently re-split. */
  readonly rows: number;
  readonly sha256: string;
  /** Split sizes (test rows first in the seeded permutation, then validation, then training). */
  readonly split: {
    readonly seed: number;
    readonly train: number;
    readonly val: number;
    readonly test: number;
  };
  /** Columns modelled, in feature order. */
  readonly schema: TabularSchema;
  /** Columns left out because nothing could be learned from them. */
  readonly dropped: readonly { readonly name: string; readonly reason: string }[];
  /** The encoder fitted on the training rows: per column offset, width, mean, std. */
  readonly encodings: readonly ColumnEncoding[];
  /** A label column (penguins: species) for class names and latent-map colours; it stays a model column too. */
  readonly labels: { readonly column: string; readonly classNames: readonly string[] } | null;
  /** Decimals each continuous column was written with, for generated rows (absent in older runs). */
  readonly decimals?: Readonly<Record<string, number>>;
}

/** A tabular dataset, split, encoded, with the state that reproduces it. */
export interface TabularData {
  readonly data: RunData;
  readonly state: TabularState;
  readonly encoder: TabularEncoder;
  /** The split tables (cell texts), for imputation and tests. */
  readonly tables: { readonly train: CsvTable; readonly val: CsvTable; readonly test: CsvTable };
}

/** True for `--dataset` values that name tabular data: `penguins` or a `.csv` path. */
export function isTabularDataset(name: string): boolean {
  return name === PENGUINS_DATASET || name.toLowerCase().endsWith('.csv');
}

/** Reads the table a `--dataset` value names. @throws DatasetError (e.g. FileAccessError) when it cannot be read */
export async function readTable(dataset: string): Promise<CsvTable> {
  return dataset === PENGUINS_DATASET ? penguins() : readCsvFile(dataset);
}

/** SHA-256 of a table's header and cells (missing cells as null). */
export function tableHash(table: CsvTable): string {
  return createHash('sha256')
    .update(JSON.stringify([table.header, table.rows]))
    .digest('hex');
}

export { inferUsableSchema };

/** Split sizes for `n` rows: 10% test, `valCount` (default 10%) validation, the rest training. */
export function splitSizes(n: number, valCount?: number) {
  const test = Math.round(n * TABULAR_TEST_FRACTION);
  const val = valCount ?? Math.round(n * TABULAR_VAL_FRACTION);
  if (!Number.isInteger(val) || val < 0 || val > n - test - 1)
    throw new TrainConfigError(`--val must be an integer in [0, ${n - test - 1}] for ${n} rows, got ${val}`);
  return { train: n - test - val, val, test };
}

/** The model's columns for an encoder: one-hot categorical (K), binary, continuous. */
export function modelColumns(encoder: TabularEncoder): TabularColumn[] {
  return encoder.encodings.map(({ column, width }): TabularColumn => {
    if (column.kind === 'categorical') {
      if (width !== column.categories.length)
        throw new TrainConfigError(
          `column "${column.name}": tabular models take one-hot categorical columns`,
        );
      return { name: column.name, type: 'categorical', categories: width };
    }
    return { name: column.name, type: column.kind };
  });
}

/** Feature index where each column starts (the feeder's `maskColumns`). */
export const maskColumnsOf = (encoder: TabularEncoder): number[] => encoder.encodings.map((e) => e.offset);

/** Builds the encoded splits for a table and a state (the encoder comes from the state). */
function assemble(table: CsvTable, state: TabularState, encoder: TabularEncoder): TabularData {
  const rows = tabularSplitRows(table.rows.length, state.split);
  const tables = {
    train: subTable(table, rows.train),
    val: subTable(table, rows.val),
    test: subTable(table, rows.test),
  };
  const classNames = state.labels?.classNames ?? null;
  const make = (name: 'train' | 'val' | 'test') => {
    const t = tables[name];
    const labels = state.labels
      ? labelsFromColumn(t, state.labels.column, state.labels.classNames).labels
      : undefined;
    return tabularDataset(encoder.encode(applySchema(t, state.schema)), {
      name: `${state.source}/${name}`,
      ...(labels && classNames ? { labels, classNames } : {}),
    });
  };
  const data: RunData = {
    train: make('train'),
    val: make('val'),
    test: make('test'),
    classNames,
    image: null,
  };
  return { data, state, encoder, tables };
}

/**
 * Reads, splits and encodes a tabular dataset for training: schema inferred from the whole table
 * (kinds and categories only), standardisation statistics from the training rows only.
 * @param dataset - `penguins` or a CSV path
 * @param o - split seed, validation rows (default 10%), batch size (the training split must hold one)
 * @throws DatasetError for a missing or unreadable CSV or one with no usable columns;
 *   TrainConfigError when the training split is smaller than one batch
 */
export async function prepareTabular(
  dataset: string,
  o: { readonly seed: number; readonly valCount?: number; readonly batchSize: number },
): Promise<TabularData> {
  const table = await readTable(dataset);
  const n = table.rows.length;
  if (n === 0) throw new DatasetError(table.source, 'no data rows: the CSV has a header only');
  const split = { seed: o.seed, ...splitSizes(n, o.valCount) };
  if (split.train < o.batchSize)
    throw new TrainConfigError(
      `${table.source}: ${split.train} training rows (of ${n}; ${split.val} validation, ${split.test} test) ` +
        `are fewer than one batch of ${o.batchSize}: lower --batch or use more data`,
    );
  const labels = dataset === PENGUINS_DATASET ? { column: 'species', classNames: PENGUINS_SPECIES } : null;
  const { schema, dropped } = inferUsableSchema(table);
  const rows = tabularSplitRows(n, split);
  const encoder = fitTabularEncoder(applySchema(subTable(table, rows.train), schema), {
    categorical: 'one-hot',
    standardize: true,
  });
  const state: TabularState = {
    version: 1,
    source: dataset === PENGUINS_DATASET ? PENGUINS_DATASET : resolve(dataset),
    rows: n,
    sha256: tableHash(table),
    split,
    schema,
    dropped,
    encodings: encoder.encodings,
    labels,
    decimals: columnDecimals(table, schema),
  };
  return assemble(table, state, encoder);
}

/** The tabular state of a run's config. @throws RunError when the run is not a tabular one */
export function tabularState(config: RunConfig): TabularState {
  const s = config.extra?.tabular as TabularState | undefined;
  if (s?.version !== 1 || !Array.isArray(s.encodings))
    throw new RunError(
      'this run has no tabular data state (config.json extra.tabular): it was not trained on a CSV',
    );
  return s;
}

/** The encoder a run was trained with (its fitted statistics, not refitted). */
export const encoderOf = (state: TabularState): TabularEncoder =>
  new TabularEncoder(state.schema, state.encodings, 'one-hot');

/**
 * Rebuilds a tabular run's data exactly as it was trained.
 * @throws DatasetError when the CSV is gone; RunError when its content changed since training
 */
export async function loadTabularData(config: RunConfig): Promise<TabularData> {
  const state = tabularState(config);
  const table = await readTable(state.source);
  if (table.rows.length !== state.rows || tableHash(table) !== state.sha256)
    throw new RunError(
      `${state.source} changed since this run was trained (${table.rows.length} rows now, ${state.rows} then; ` +
        'content hash differs): its splits and encoding cannot be rebuilt',
    );
  return assemble(table, state, encoderOf(state));
}
