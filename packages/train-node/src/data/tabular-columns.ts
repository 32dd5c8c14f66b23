/**
 * A tabular run's column schema in user units, as its bundle records it (`data.tabular`) and as
 * `vae sample --csv` and `vae impute` map features with (`@vae/core`'s rowsFromFeatures): one
 * schema, built from what training saved, by `@vae/datasets`' tabularBundleColumns (which the
 * browser's trainer uses too).
 */
import type { BundleTabularColumn } from '@vae/core';
import { type ColumnEncoding, tabularBundleColumns } from '@vae/datasets';

/** The bundle contract's columns for a run (its `TabularState`: encodings and decimals). */
export const bundleTabularColumns = (state: {
  readonly encodings: readonly ColumnEncoding[];
  readonly decimals?: Readonly<Record<string, number>>;
}): BundleTabularColumn[] => tabularBundleColumns(state);
