import { TrainConfigError } from '@vae/core';
import type { SeriesMissing } from '@vae/datasets';
import { parseGaussianScale } from '../run/likelihood-flags';
import type { Recipe } from '../run/run-dir';
import { SERIES_MODELS, type SeriesModel } from './series-types';

// `vae train --series COLS --window W [--stride S] [--series-missing error|interpolate]`: a VAE over
// sliding windows of numeric CSV columns. These checks run before any file is read; the windows
// themselves are cut by series-data.ts.

/** The series flags as typed (absent: undefined). */
export interface SeriesFlags {
  readonly series?: readonly string[];
  readonly window?: number;
  readonly stride?: number;
  readonly seriesMissing?: string;
}

/** Whether `--model` names a series model. */
export const isSeriesModel = (m: string | undefined): m is SeriesModel =>
  (SERIES_MODELS as readonly string[]).includes(m ?? '');

/** Share of the steps, at the end, that a series run tests on when `--test-fraction` is not given. */
export const SERIES_TEST_FRACTION = 0.2;
/** Share of the steps, before the test period, that validate when `--val` is not given. */
export const SERIES_VAL_FRACTION = 0.1;

/** What the other flags of {@link seriesRecipe} need to see. */
interface OtherFlags extends SeriesFlags {
  readonly dataset?: string;
  readonly model?: string;
  readonly likelihood?: string;
  readonly binarize?: string;
  readonly gaussianScale?: string;
  readonly denoise?: string;
  readonly conditional?: boolean;
  readonly classes?: readonly string[];
  readonly testFraction?: number;
}

const fail = (m: string): never => {
  throw new TrainConfigError(m);
};

/** Refuses `--window`, `--stride`, `--series-missing` and series models without `--series`. */
function refuseWithoutSeries(o: OtherFlags): void {
  const given = (
    [
      ['--window', o.window],
      ['--stride', o.stride],
      ['--series-missing', o.seriesMissing],
    ] as const
  ).find(([, v]) => v !== undefined);
  if (given)
    fail(`${given[0]} is for time series: give --series COL[,COL...] (CSV columns) too, or drop ${given[0]}`);
  if (isSeriesModel(o.model))
    fail(`--model ${o.model} is for time series: give --series COL[,COL...] and --window W`);
}

/** Refuses the image flags a series model has no use for, naming the flag. */
function refuseImageFlags(o: OtherFlags): void {
  if (o.likelihood !== undefined && o.likelihood !== 'gaussian')
    fail(
      `--likelihood ${o.likelihood} is for images; series models are Gaussian with a learned scale: drop --likelihood`,
    );
  if (o.binarize !== undefined)
    fail('--binarize is for image pixels; a series is not binarised: drop --binarize');
  if (o.denoise !== undefined) fail('--denoise corrupts image pixels; it is not for series: drop --denoise');
  if (o.conditional) fail('--conditional needs class labels; a series has none: drop --conditional');
  if (o.classes !== undefined) fail('--classes selects image classes; a series has none: drop --classes');
}

/**
 * The recipe fields of a series run (`series`, the Gaussian likelihood, `testFraction`), or nothing
 * without `--series`; each flag checked, and the ones that need `--series` refused without it.
 * @throws TrainConfigError naming the flag
 */
export function seriesRecipe(
  o: OtherFlags,
): Pick<Recipe, 'series' | 'likelihood' | 'binarize' | 'gaussianScale' | 'testFraction'> {
  if (o.series === undefined) {
    refuseWithoutSeries(o);
    return {};
  }
  const columns = o.series.map((c) => c.trim());
  if (columns.length === 0 || columns.some((c) => c === ''))
    fail(
      `--series takes CSV column names separated by commas, e.g. temp,wind; got ${JSON.stringify(o.series.join(','))}`,
    );
  if (new Set(columns).size !== columns.length) fail(`--series names a column twice: ${columns.join(',')}`);
  if (!o.dataset?.toLowerCase().endsWith('.csv'))
    fail(
      `--series reads columns of a CSV file; --dataset ${o.dataset ?? '(none)'} is not one: give --dataset FILE.csv`,
    );
  if (o.model !== undefined && !isSeriesModel(o.model))
    fail(`--model ${o.model} is not a series model; use --model conv1d (default) or gru with --series`);
  if (o.window === undefined) fail('--series needs --window W: the time steps per window (at least 2)');
  const window = o.window!;
  if (!Number.isSafeInteger(window) || window < 2) fail(`--window must be an integer >= 2, got ${window}`);
  const stride = o.stride ?? 1;
  if (!Number.isSafeInteger(stride) || stride < 1) fail(`--stride must be a positive integer, got ${stride}`);
  const missing = o.seriesMissing ?? 'error';
  if (missing !== 'error' && missing !== 'interpolate')
    fail(`--series-missing must be error or interpolate, got ${JSON.stringify(missing)}`);
  refuseImageFlags(o);
  const t = o.testFraction ?? SERIES_TEST_FRACTION;
  if (!(Number.isFinite(t) && t > 0 && t < 1))
    fail(`--test-fraction must be a number between 0 and 1 (exclusive), got ${t}`);
  return {
    series: { columns, window, stride, missing: missing as SeriesMissing },
    likelihood: 'gaussian',
    binarize: 'none',
    gaussianScale: parseGaussianScale(o.gaussianScale ?? 'shared'),
    testFraction: t,
  };
}

type Check = readonly [flag: string, given: (f: SeriesFlags) => unknown, saved: (r: Recipe) => unknown];

/** `--resume` checks: a run keeps its columns and windows (absent in runs that are not series). */
export const SERIES_CHECKS: readonly Check[] = [
  ['series', (f) => f.series, (r) => r.series?.columns ?? null],
  ['window', (f) => f.window, (r) => r.series?.window ?? null],
  ['stride', (f) => f.stride, (r) => r.series?.stride ?? null],
  ['series-missing', (f) => f.seriesMissing, (r) => r.series?.missing ?? null],
];
