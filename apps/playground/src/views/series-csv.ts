/**
 * Pure helpers of the series view: reading the bundle's columns from a CSV, cutting the series into
 * windows ([n, C, W], as `vae train --series` does) and spreading per-window values back onto steps.
 */
import { type BundleSeries, InferError } from '@vae/infer-web';

/** A series: one array of values per column, all of length `steps`. */
export interface SeriesTable {
  columns: string[];
  values: Float64Array[];
  steps: number;
}

/**
 * Reads the bundle's columns (by name, any order, other columns ignored) from CSV text.
 * @throws InferError `input` naming a missing column or a cell that is not a number.
 */
export function readSeriesCsv(text: string, columns: readonly string[]): SeriesTable {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = (lines[0] ?? '').split(',').map((s) => s.trim().replace(/^"|"$/g, ''));
  const at = columns.map((c) => {
    const j = header.indexOf(c);
    if (j < 0) throw new InferError('input', `the CSV has no column ${c} (it needs ${columns.join(', ')})`);
    return j;
  });
  const rows = lines.slice(1);
  const values = columns.map(() => new Float64Array(rows.length));
  rows.forEach((row, t) => {
    const cells = row.split(',');
    at.forEach((j, c) => {
      const v = Number(cells[j]);
      if (cells[j] === undefined || cells[j]!.trim() === '' || !Number.isFinite(v))
        throw new InferError(
          'input',
          `row ${t + 2}, column ${columns[c]}: "${cells[j] ?? ''}" is not a number`,
        );
      values[c]![t] = v;
    });
  });
  return { columns: [...columns], values, steps: rows.length };
}

/** Start steps of the windows: 0, stride, 2 stride, ... while a whole window fits. */
export function windowStarts(steps: number, window: number, stride: number): number[] {
  const starts: number[] = [];
  for (let s = 0; s + window <= steps; s += stride) starts.push(s);
  return starts;
}

/**
 * The windows of a series, flat [n, C, W] in the CSV's units.
 * @throws InferError `input` when the series is shorter than one window.
 */
export function cutWindows(
  table: SeriesTable,
  s: Pick<BundleSeries, 'window' | 'stride'>,
): { starts: number[]; windows: Float32Array } {
  const starts = windowStarts(table.steps, s.window, s.stride);
  if (!starts.length)
    throw new InferError(
      'input',
      `the series has ${table.steps} steps, fewer than one window of ${s.window}`,
    );
  const C = table.values.length;
  const windows = new Float32Array(starts.length * C * s.window);
  starts.forEach((st, i) => {
    for (let c = 0; c < C; c++)
      windows.set(table.values[c]!.subarray(st, st + s.window), (i * C + c) * s.window);
  });
  return { starts, windows };
}

/**
 * Per step, the average over the windows covering it of their value at that step (`perWindow`
 * [n, W], e.g. the score graph's `steps`); NaN for steps no window covers.
 */
export function averageOverWindows(
  perWindow: ArrayLike<number>,
  starts: readonly number[],
  window: number,
  steps: number,
): Float64Array {
  const sum = new Float64Array(steps);
  const count = new Float64Array(steps);
  starts.forEach((st, i) => {
    for (let w = 0; w < window; w++) {
      sum[st + w]! += perWindow[i * window + w]!;
      count[st + w]! += 1;
    }
  });
  return sum.map((v, t) => (count[t] ? v / count[t]! : Number.NaN));
}
