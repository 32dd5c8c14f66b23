import type { ColumnEncoding, Dataset } from '@vae/datasets/pure';

/** What a tabular run keeps besides its datasets: the fitted encoding and each column's decimals. */
export interface TabularInfo {
  readonly encodings: readonly ColumnEncoding[];
  readonly decimals: Readonly<Record<string, number>>;
}

/**
 * The splits a run trains, validates and tests on: images as channel-major `[c, h, w]` uint8, tables
 * as encoded float32 features with a per-feature mask.
 */
export interface RunData {
  readonly train: Dataset;
  readonly val: Dataset;
  readonly test: Dataset;
  /** Images: their geometry. */
  readonly image?: { readonly h: number; readonly w: number; readonly c: number };
  /** Tables: the fitted encoding. */
  readonly tabular?: TabularInfo;
  readonly classNames?: readonly string[];
  /** What the data are, for the bundle's manifest (`mnist-default` for the digits). */
  readonly name: string;
}
