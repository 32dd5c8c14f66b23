/**
 * Series windows in user units (the CSV's) <-> the standardised [C, W] features a series bundle's
 * graphs read and write. The one mapping browsers use (infer-web); training standardises with
 * `@vae/datasets`' `seriesWindows` by the same per-column mean and std (train-node's tests hold the
 * two to the same features).
 */
import { UserError } from '../errors/user-error';
import type { BundleSeries } from './manifest';

/** Windows that do not fit the model's [C, W] layout, or non-finite values. */
export class SeriesWindowError extends UserError {
  override name = 'SeriesWindowError';
  constructor(
    message: string,
    /** Index of the window at fault. */
    readonly window: number,
  ) {
    super(message);
  }
}

/** Windows as a caller gives them: a flat [n, C, W] array, or one [C][W] array of arrays per window. */
export type SeriesWindowsInput = Float32Array | readonly (readonly (readonly number[])[])[];

/** The flat [n, C, W] user-unit values of windows, checked against the layout. */
function flat(series: BundleSeries, windows: SeriesWindowsInput): { n: number; values: Float32Array } {
  const c = series.columns.length;
  const w = series.window;
  if (windows instanceof Float32Array) {
    if (windows.length === 0 || windows.length % (c * w) !== 0)
      throw new SeriesWindowError(
        `windows have ${windows.length} values: expected a non-zero multiple of ${c} x ${w}`,
        0,
      );
    return { n: windows.length / (c * w), values: windows };
  }
  if (!Array.isArray(windows) || windows.length === 0)
    throw new SeriesWindowError('windows must be a Float32Array or a non-empty array of [C][W] arrays', 0);
  const values = new Float32Array(windows.length * c * w);
  windows.forEach((win, i) => {
    if (!Array.isArray(win) || win.length !== c || win.some((r) => r?.length !== w))
      throw new SeriesWindowError(
        `window ${i} must be ${c} columns (${series.columns.join(', ')}) of ${w} steps`,
        i,
      );
    win.forEach((r, j) => {
      values.set(r, (i * c + j) * w);
    });
  });
  return { n: windows.length, values };
}

/**
 * Standardised features [n, C, W] of windows in user units: (value - mean[c]) / std[c].
 * @throws SeriesWindowError for a shape that is not [n, C, W] or a non-finite value
 */
export function featuresFromWindows(
  series: BundleSeries,
  windows: SeriesWindowsInput,
): { n: number; x: Float32Array } {
  const { n, values } = flat(series, windows);
  const w = series.window;
  const c = series.columns.length;
  const x = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v))
      throw new SeriesWindowError(
        `window ${Math.floor(i / (c * w))} holds a non-finite value`,
        Math.floor(i / (c * w)),
      );
    const col = Math.floor(i / w) % c;
    x[i] = (v - series.mean[col]!) / series.std[col]!;
  }
  return { n, x };
}

/**
 * Windows in user units [n, C, W] from standardised features: value = feature * std[c] + mean[c].
 * @throws SeriesWindowError when the length is not a multiple of C x W
 */
export function windowsFromFeatures(series: BundleSeries, features: ArrayLike<number>): Float32Array {
  const w = series.window;
  const c = series.columns.length;
  if (features.length % (c * w) !== 0)
    throw new SeriesWindowError(`${features.length} values are not a multiple of ${c} x ${w}`, 0);
  const out = new Float32Array(features.length);
  for (let i = 0; i < features.length; i++) {
    const col = Math.floor(i / w) % c;
    out[i] = features[i]! * series.std[col]! + series.mean[col]!;
  }
  return out;
}
