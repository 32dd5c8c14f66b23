/**
 * Per-time-step scores from per-window ones: each step gets the mean, over the windows that cover
 * it, of that window's score at the step (or of the window's whole score when there is one number
 * per window). Steps no window covers get NaN.
 */
import { DatasetArgumentError } from '../errors';

/**
 * Averages window scores onto the time steps they cover.
 *
 * @param starts - first step of each window (absolute)
 * @param window - steps per window
 * @param scores - [windows, window] per-step scores, or [windows] one score per window
 * @param steps - length of the series (the result's length)
 * @returns per-step mean scores (NaN where no window covers the step)
 * @throws DatasetArgumentError when the sizes disagree or a window runs past the series
 */
export function stepScores(
  starts: ArrayLike<number>,
  window: number,
  scores: ArrayLike<number>,
  steps: number,
): Float64Array {
  const n = starts.length;
  const perStep = scores.length === n * window;
  if (!perStep && scores.length !== n) {
    throw new DatasetArgumentError(
      'series',
      `${scores.length} scores for ${n} windows of ${window} steps; need one per window or one per window step`,
    );
  }
  const sum = new Float64Array(steps);
  const count = new Float64Array(steps);
  for (let w = 0; w < n; w++) {
    const s = starts[w]!;
    if (s < 0 || s + window > steps) {
      throw new DatasetArgumentError(
        'series',
        `window ${w} covers steps ${s}..${s + window - 1}, outside 0..${steps - 1}`,
      );
    }
    for (let u = 0; u < window; u++) {
      sum[s + u]! += perStep ? scores[w * window + u]! : scores[w]!;
      count[s + u]! += 1;
    }
  }
  return sum.map((v, t) => (count[t]! > 0 ? v / count[t]! : Number.NaN));
}
