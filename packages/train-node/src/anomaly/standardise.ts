/**
 * Combining anomaly scores without anomaly labels: each score is standardised by the mean and
 * standard deviation of its values on NORMAL validation examples (a one-class run's validation
 * split), and the standardised scores are summed. Normal data alone fix the scales, so nothing is
 * chosen by how well it separates anomalies: the weights are 1 by construction.
 */
import { UserError } from '@vae/core';

/** Thrown when a score cannot be standardised (too few, non-finite or constant validation values). */
export class StandardiseError extends UserError {
  override name = 'StandardiseError';
}

/** Mean and standard deviation (n - 1 denominator) of normal validation scores. */
export interface ScoreScale {
  readonly mean: number;
  readonly std: number;
}

/**
 * The scale of one score on normal validation examples.
 * @throws StandardiseError for fewer than 2 values, a non-finite value or zero spread
 */
export function validationScale(val: ArrayLike<number>, name = 'score'): ScoreScale {
  const n = val.length;
  if (n < 2) throw new StandardiseError(`${name}: need at least 2 normal validation scores, got ${n}`);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(val[i]!)) throw new StandardiseError(`${name}: validation score ${i} is ${val[i]}`);
    sum += val[i]!;
  }
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (val[i]! - mean) ** 2;
  const std = Math.sqrt(ss / (n - 1));
  if (!(std > 0)) throw new StandardiseError(`${name}: validation scores do not vary (std 0)`);
  return { mean, std };
}

/**
 * sum_m (scores_m - mean_m) / std_m, the mean and std of score m on the normal validation
 * examples `val[m]`. Higher = more anomalous, as each part.
 * @throws StandardiseError when the lists differ in length or a part's scores differ in count
 */
export function standardisedSum(
  scores: readonly ArrayLike<number>[],
  val: readonly ArrayLike<number>[],
  names: readonly string[] = [],
): Float64Array {
  if (scores.length === 0 || scores.length !== val.length)
    throw new StandardiseError(
      `need one validation set per score: ${scores.length} scores, ${val.length} sets`,
    );
  const n = scores[0]!.length;
  const out = new Float64Array(n);
  scores.forEach((s, m) => {
    if (s.length !== n) throw new StandardiseError(`score ${m} has ${s.length} values, score 0 has ${n}`);
    const { mean, std } = validationScale(val[m]!, names[m]);
    for (let i = 0; i < n; i++) out[i]! += (s[i]! - mean) / std;
  });
  return out;
}
