import type { BundleTabularColumn, TabularColumn } from '@vae/core';
import {
  applySchema,
  columnDecimals,
  DatasetError,
  fitTabularEncoder,
  inferUsableSchema,
  parseCsv,
  subTable,
  TABULAR_TEST_FRACTION,
  TABULAR_VAL_FRACTION,
  type TabularEncoder,
  tabularBundleColumns,
  tabularDataset,
  tabularSplitRows,
} from '@vae/datasets/pure';
import { RecipeError, TrainDataError } from '../errors';
import type { RunData, TabularInfo } from './run-data';

// A CSV table as `vae train --dataset file.csv` prepares it, with the same @vae/datasets helpers:
// usable columns inferred, rows split by the run's seed (10% test, 10% validation), one-hot
// categories and standardised numbers fitted on the training rows.

/**
 * A CSV's splits and encoding, as `vae train --dataset file.csv --seed <seed>` makes them.
 * @throws TrainDataError for a CSV that cannot be read or has no usable columns or rows
 */
export function readCsvData(text: string, seed: number): RunData {
  if (typeof text !== 'string') throw new TrainDataError('csv data need text (a string)');
  try {
    const table = parseCsv(text, { source: 'data.csv' });
    const n = table.rows.length;
    if (n < 10) throw new TrainDataError(`data.csv has ${n} data rows: too few to split (at least 10)`);
    const test = Math.round(n * TABULAR_TEST_FRACTION);
    const val = Math.round(n * TABULAR_VAL_FRACTION);
    const rows = tabularSplitRows(n, { seed, test, val, train: n - test - val });
    const { schema } = inferUsableSchema(table);
    const encoder: TabularEncoder = fitTabularEncoder(applySchema(subTable(table, rows.train), schema), {
      categorical: 'one-hot',
      standardize: true,
    });
    const make = (name: 'train' | 'val' | 'test') =>
      tabularDataset(encoder.encode(applySchema(subTable(table, rows[name]), schema)), {
        name: `data.csv/${name}`,
      });
    return {
      train: make('train'),
      val: make('val'),
      test: make('test'),
      tabular: { encodings: encoder.encodings, decimals: columnDecimals(table, schema) },
      name: 'data.csv',
    };
  } catch (e) {
    // Bad CSV text, schemas, encodings: datasets' errors, about the data given.
    if (e instanceof DatasetError) throw new TrainDataError(e.message, { cause: e });
    throw e;
  }
}

/** The model's columns (what `tabularVAE` takes) from the fitted encoding. */
export function modelColumns(info: TabularInfo): TabularColumn[] {
  return info.encodings.map(({ column, width }): TabularColumn => {
    if (column.kind !== 'categorical') return { name: column.name, type: column.kind };
    if (width !== column.categories.length)
      throw new RecipeError(`column "${column.name}": tabular models take one-hot categorical columns`);
    return { name: column.name, type: 'categorical', categories: width };
  });
}

/** The bundle's column schema in user units (`data.tabular`), as `vae export` writes it. */
export const bundleTabularColumns = (info: TabularInfo): BundleTabularColumn[] => tabularBundleColumns(info);
