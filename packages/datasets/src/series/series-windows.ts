/**
 * Sliding windows over a multivariate time series, split in time order so that no window of the
 * validation or test period is seen in training: the series is cut into three consecutive periods
 * (train, then validation, then test), windows are taken inside each period only (none straddles a
 * boundary), and the standardisation is fitted on the training period alone. Each window is one
 * example shaped [C, W] (channels first, as a 1-D convolution takes it). Pure: no Node built-ins.
 */
import { createDataset, type Dataset } from '../dataset';
import { DatasetArgumentError } from '../errors';
import type { SeriesColumns } from './series-columns';

/** Options of {@link seriesWindows}. */
export interface SeriesWindowOptions {
  /** Time steps per window, >= 2. */
  readonly window: number;
  /** Steps between consecutive window starts (default 1). */
  readonly stride?: number;
  /** Share of the steps, at the end, held out as the test period (default 0.2; 0 for none). */
  readonly testFraction?: number;
  /** Share of the steps, just before the test period, held out for validation (default 0.1; 0 for none). */
  readonly valFraction?: number;
}

/** One period of the series: time steps [start, end) and its windows. */
export interface SeriesPeriod {
  readonly start: number;
  readonly end: number;
  /** Windows [count, C, W], standardised with the training period's statistics. */
  readonly windows: Dataset<'float32'>;
  /** First time step of each window (absolute, into the whole series). */
  readonly starts: Int32Array;
}

/** The windows of every period, and what is needed to map them back to the series. */
export interface SeriesWindows {
  readonly columns: readonly string[];
  readonly window: number;
  readonly stride: number;
  /** Per-column mean and standard deviation of the training period (population, float64). */
  readonly mean: readonly number[];
  readonly std: readonly number[];
  /** The whole series standardised, [T, C] row-major. */
  readonly standardized: Float32Array;
  readonly train: SeriesPeriod;
  /** Absent when `valFraction` is 0. */
  readonly val: SeriesPeriod | undefined;
  /** Absent when `testFraction` is 0. */
  readonly test: SeriesPeriod | undefined;
}

/**
 * Cuts a series into train / validation / test periods and windows each.
 *
 * Window starts in a period are `start, start + stride, ...`; when the stride does not land the last
 * window on the period's last step, one more window ending there is added, so every step of every
 * period is covered (per-step scores need that).
 *
 * @param series - the columns, [T, C] (see `seriesColumns`)
 * @param options - window, stride, test and validation fractions
 * @param name - a label for messages and dataset names
 * @returns the periods' windows and the training statistics
 * @throws DatasetArgumentError for a bad window, stride or fraction, or a period shorter than a window
 */
export function seriesWindows(
  series: SeriesColumns,
  options: SeriesWindowOptions,
  name = 'series',
): SeriesWindows {
  const { window, stride = 1, testFraction = 0.2, valFraction = 0.1 } = options;
  const fail = (msg: string): never => {
    throw new DatasetArgumentError(name, msg);
  };
  if (!Number.isInteger(window) || window < 2) fail(`window must be an integer >= 2, got ${window}`);
  if (!Number.isInteger(stride) || stride < 1) fail(`stride must be an integer >= 1, got ${stride}`);
  for (const [what, f] of [
    ['test fraction', testFraction],
    ['validation fraction', valFraction],
  ] as const) {
    if (!(f >= 0 && f < 1)) fail(`${what} must be in [0, 1), got ${f}`);
  }
  const T = series.steps;
  const C = series.columns.length;
  const nTest = Math.round(T * testFraction);
  const nVal = Math.round(T * valFraction);
  const trainEnd = T - nTest - nVal;
  const bounds = { train: [0, trainEnd], val: [trainEnd, trainEnd + nVal], test: [trainEnd + nVal, T] };
  for (const [period, [a, b]] of Object.entries(bounds)) {
    const n = b! - a!;
    if ((period === 'train' || n > 0) && n < window) {
      fail(
        `the ${period === 'val' ? 'validation' : period} period has ${n} of the ${T} steps, fewer than one window of ${window}; use a shorter --window or a smaller test/validation fraction`,
      );
    }
  }
  const { mean, std } = columnStats(series.values, C, 0, trainEnd);
  const standardized = new Float32Array(T * C);
  for (let t = 0; t < T; t++) {
    for (let j = 0; j < C; j++) {
      standardized[t * C + j] = (series.values[t * C + j]! - mean[j]!) / std[j]!;
    }
  }
  const period = (key: keyof typeof bounds): SeriesPeriod => {
    const [start, end] = bounds[key] as [number, number];
    const starts = windowStarts(start, end, window, stride);
    const data = new Float32Array(starts.length * C * window);
    starts.forEach((s, w) => {
      for (let j = 0; j < C; j++) {
        for (let u = 0; u < window; u++) data[(w * C + j) * window + u] = standardized[(s + u) * C + j]!;
      }
    });
    const windows = createDataset({
      name: `${name}/${key}`,
      dtype: 'float32',
      data,
      exampleShape: [C, window],
    });
    return { start, end, windows, starts };
  };
  return {
    columns: series.columns,
    window,
    stride,
    mean,
    std,
    standardized,
    train: period('train'),
    val: nVal > 0 ? period('val') : undefined,
    test: nTest > 0 ? period('test') : undefined,
  };
}

/** Window starts in [start, end): every `stride` steps, plus one ending at `end` if not already. */
export function windowStarts(start: number, end: number, window: number, stride: number): Int32Array {
  const out: number[] = [];
  for (let s = start; s + window <= end; s += stride) out.push(s);
  const last = end - window;
  if (out.length > 0 && out[out.length - 1] !== last) out.push(last);
  return Int32Array.from(out);
}

/** Population mean and std per column over rows [a, b), in float64; a constant column gets std 1. */
function columnStats(
  values: Float64Array,
  c: number,
  a: number,
  b: number,
): { mean: number[]; std: number[] } {
  const n = b - a;
  const mean = new Array<number>(c).fill(0);
  const std = new Array<number>(c).fill(0);
  for (let j = 0; j < c; j++) {
    let s = 0;
    for (let t = a; t < b; t++) s += values[t * c + j]!;
    const m = s / n;
    let ss = 0;
    for (let t = a; t < b; t++) ss += (values[t * c + j]! - m) ** 2;
    const sd = Math.sqrt(ss / n);
    mean[j] = m;
    // A constant column would divide by 0; 1 keeps it finite and at 0 after centring.
    std[j] = sd > 1e-12 ? sd : 1;
  }
  return { mean, std };
}
