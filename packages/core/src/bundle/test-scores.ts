/**
 * The test set's score distribution of a bundle (`testScores`, see {@link BundleTestScores}): the
 * writer's summary of per-example scores, and the reader's percentile of one score among them.
 * Browser-safe: plain arithmetic on arrays.
 */
import type { BundleTestScores } from './manifest';

/** Percentiles stored: 0, 1, ..., 100. */
export const TEST_SCORE_QUANTILES = 101;

/** Histogram bins `summarizeTestScores` writes unless told otherwise. */
export const TEST_SCORE_BINS = 40;

/**
 * The p-th percentile (0..100) of sorted `xs` by linear interpolation between order statistics
 * (R's type 7, numpy's default): position (n - 1) p / 100.
 */
function percentileOfSorted(xs: Float64Array, p: number): number {
  const h = ((xs.length - 1) * p) / 100;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, xs.length - 1);
  return xs[lo]! + (h - lo) * (xs[hi]! - xs[lo]!);
}

/**
 * Summarises per-example scores (nats) for a manifest's `testScores`: 101 percentiles and a
 * histogram of `bins` equal-width bins over [lowest, highest] (a bin is [a, b), the last one [a, b]).
 * When every score is the same, the one bin is [v - 0.5, v + 0.5] so its edges still increase.
 * @throws RangeError for no scores or a non-finite one
 */
export function summarizeTestScores(
  scores: ArrayLike<number>,
  how: { k: number; seed: number; bins?: number },
): BundleTestScores {
  const xs = Float64Array.from(scores).sort();
  if (xs.length === 0) throw new RangeError('summarizeTestScores: no scores');
  if (!xs.every(Number.isFinite)) throw new RangeError('summarizeTestScores: a score is not finite');
  const quantiles = Array.from({ length: TEST_SCORE_QUANTILES }, (_, p) => percentileOfSorted(xs, p));
  const lo = xs[0]!;
  const hi = xs[xs.length - 1]!;
  const bins = hi > lo ? (how.bins ?? TEST_SCORE_BINS) : 1;
  const [a, b] = hi > lo ? [lo, hi] : [lo - 0.5, lo + 0.5];
  const edges = Array.from({ length: bins + 1 }, (_, i) => (i === bins ? b : a + ((b - a) * i) / bins));
  const counts = new Array<number>(bins).fill(0);
  for (const x of xs) counts[Math.min(bins - 1, Math.floor(((x - a) / (b - a)) * bins))]! += 1;
  return {
    measure: 'iwae',
    k: how.k,
    seed: how.seed,
    n: xs.length,
    split: 'test',
    quantiles,
    histogram: { edges, counts },
  };
}

/**
 * The percentage (0..100) of test examples that score below `score`, read off the stored
 * percentiles by linear interpolation (the inverse of how they were computed): 0 below the lowest
 * test score, 100 above the highest. Within a run of equal percentiles it gives the run's middle.
 */
export function scorePercentile(t: Pick<BundleTestScores, 'quantiles'>, score: number): number {
  const q = t.quantiles;
  const last = q.length - 1;
  if (Number.isNaN(score)) return Number.NaN;
  if (score < q[0]!) return 0;
  if (score > q[last]!) return 100;
  // The run of percentiles equal to `score` (ties), else the segment q[i] < score < q[i + 1].
  let first = q.findIndex((v) => v >= score);
  if (q[first] === score) {
    let end = first;
    while (end < last && q[end + 1] === score) end++;
    return ((first + end) / 2 / last) * 100;
  }
  first -= 1;
  const frac = (score - q[first]!) / (q[first + 1]! - q[first]!);
  return ((first + frac) / last) * 100;
}
