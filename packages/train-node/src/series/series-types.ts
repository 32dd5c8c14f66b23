import type { SeriesMissing } from '@vae/datasets';

// The recipe's words for series runs, apart from the checks so run-dir.ts can name them without a
// circle of imports.

/** The models of series runs, the first the default. */
export const SERIES_MODELS = ['conv1d', 'gru'] as const;
export type SeriesModel = (typeof SERIES_MODELS)[number];

/** What a series recipe records, besides `testFraction` and `valCount` (the validation steps). */
export interface SeriesRecipe {
  readonly columns: readonly string[];
  readonly window: number;
  readonly stride: number;
  readonly missing: SeriesMissing;
}
