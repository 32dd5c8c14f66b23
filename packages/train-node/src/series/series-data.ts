/**
 * A series run's data: the CSV's columns cut into train / validation / test periods and windowed by
 * `@vae/datasets`' `seriesWindows` (time order, no window across a period boundary, standardised
 * with the training period's statistics). What rebuilds the same windows is saved in the run's
 * `config.extra.series` and checked on every reload: the file's hash, the periods, the statistics.
 */
import { resolve } from 'node:path';
import { TrainConfigError } from '@vae/core';
import {
  createDataset,
  type Dataset,
  readCsvFile,
  type SeriesColumns,
  type SeriesWindows,
  seriesColumns,
  seriesWindows,
} from '@vae/datasets';
import type { RunData } from '../data/run-data';
import { tableHash } from '../data/tabular-data';
import { type Recipe, type RunConfig, RunError } from '../run/run-dir';
import { SERIES_VAL_FRACTION } from './series-flags';
import type { SeriesRecipe } from './series-types';

/** What a series run stores in `config.extra.series` to rebuild its windows exactly. */
export interface SeriesState {
  readonly version: 1;
  /** The CSV's absolute path, its data rows and a SHA-256 of its parsed cells. */
  readonly source: string;
  readonly rows: number;
  readonly sha256: string;
  readonly columns: readonly string[];
  readonly window: number;
  readonly stride: number;
  readonly missing: SeriesRecipe['missing'];
  /** The fractions handed to seriesWindows (validation: `--val` steps / all steps). */
  readonly testFraction: number;
  readonly valFraction: number;
  /** Per-column mean and standard deviation of the training period (the standardisation). */
  readonly mean: readonly number[];
  readonly std: readonly number[];
  /** Time steps [start, end) of each period (val and test absent when empty). */
  readonly periods: Readonly<Record<'train' | 'val' | 'test', readonly [number, number] | null>>;
  /** Cells filled by interpolation, per column. */
  readonly filled: readonly number[];
}

/** A series run's windows, the columns they came from and the state that reproduces them. */
export interface SeriesData {
  readonly data: RunData;
  readonly windows: SeriesWindows;
  readonly series: SeriesColumns;
  readonly state: SeriesState;
}

const bounds = (p: { start: number; end: number } | undefined) => (p ? ([p.start, p.end] as const) : null);

/** An empty split of [C, W] windows (a run trained with `--val 0`). */
const empty = (name: string, shape: readonly number[]): Dataset =>
  createDataset({ name, dtype: 'float32', data: new Float32Array(0), exampleShape: [...shape] });

function assemble(windows: SeriesWindows, series: SeriesColumns, state: SeriesState): SeriesData {
  const shape = [series.columns.length, windows.window];
  const data: RunData = {
    train: windows.train.windows,
    val: windows.val?.windows ?? empty(`${state.source}/val`, shape),
    test: windows.test?.windows ?? empty(`${state.source}/test`, shape),
    classNames: null,
    image: null,
  };
  return { data, windows, series, state };
}

/**
 * Reads and windows a fresh series run's CSV as its recipe says.
 * @param valSteps - `--val`: time steps in the validation period (default 10% of the steps)
 * @throws DatasetError for an unreadable file, a missing or non-numeric column, a period shorter
 *   than one window; TrainConfigError for `--val` out of range or fewer windows than one batch
 */
export async function prepareSeries(recipe: Recipe, valSteps: number | undefined): Promise<SeriesData> {
  const s = recipe.series!;
  const table = await readCsvFile(recipe.dataset);
  const series = seriesColumns(table, s.columns, s.missing);
  const T = series.steps;
  const val = valSteps ?? Math.round(T * SERIES_VAL_FRACTION);
  if (!Number.isSafeInteger(val) || val < 0 || val >= T)
    throw new TrainConfigError(
      `--val is the time steps of the validation period; ${recipe.dataset} has ${T} steps, got ${val}`,
    );
  const testFraction = recipe.testFraction!;
  const valFraction = val / T;
  const windows = seriesWindows(
    series,
    { window: s.window, stride: s.stride, testFraction, valFraction },
    table.source,
  );
  if (windows.train.windows.count < recipe.batchSize)
    throw new TrainConfigError(
      `${recipe.dataset}: the training period holds ${windows.train.windows.count} windows of ${s.window} steps, fewer than one batch of ${recipe.batchSize}: lower --batch, --stride or --window`,
    );
  const state: SeriesState = {
    version: 1,
    // Absolute, so eval and score find the file from any folder.
    source: resolve(recipe.dataset),
    rows: T,
    sha256: tableHash(table),
    ...s,
    testFraction,
    valFraction,
    mean: windows.mean,
    std: windows.std,
    periods: { train: bounds(windows.train), val: bounds(windows.val), test: bounds(windows.test) },
    filled: series.filled,
  };
  return assemble(windows, series, state);
}

/** The series state of a run's config, or null for a run that is not a series run. */
export function seriesState(config: RunConfig): SeriesState | null {
  const s = config.extra?.series as SeriesState | undefined;
  if (!config.recipe.series) return null;
  if (s?.version !== 1 || !Array.isArray(s.mean))
    throw new RunError(
      'this series run has no window state (config.json extra.series): the run folder is damaged',
    );
  return s;
}

/**
 * Rebuilds a series run's windows exactly as it trained on them (the same bytes).
 * @throws RunError when the CSV changed since training; DatasetError when it is gone
 */
export async function loadSeriesData(config: RunConfig): Promise<SeriesData> {
  const state = seriesState(config);
  if (!state) throw new RunError('not a series run (trained without --series)');
  const table = await readCsvFile(state.source);
  if (table.rows.length !== state.rows || tableHash(table) !== state.sha256)
    throw new RunError(
      `${state.source} changed since this run was trained (${table.rows.length} rows now, ${state.rows} then; content hash differs): its windows cannot be rebuilt`,
    );
  const series = seriesColumns(table, state.columns, state.missing);
  const windows = seriesWindows(
    series,
    {
      window: state.window,
      stride: state.stride,
      testFraction: state.testFraction,
      valFraction: state.valFraction,
    },
    table.source,
  );
  const same = (a: readonly number[], b: readonly number[]) => a.every((v, i) => v === b[i]);
  if (!same(windows.mean, state.mean) || !same(windows.std, state.std))
    throw new RunError(
      `${state.source}: the training period's statistics differ from the run's: its windows cannot be rebuilt`,
    );
  return assemble(windows, series, state);
}
