/**
 * What one `--score` entry asks for: a single method (`regret`), or a combination of methods
 * (`elbo+regret`): each part standardised by its mean and standard deviation on normal validation
 * examples, and the standardised parts summed (standardise.ts). Normal data alone fix the scales,
 * so a combination has no weight chosen by how well it separates anomalies.
 */
import { TrainConfigError } from '@vae/core';
import {
  isScoreMethod,
  methodScores,
  SCORE_METHOD_NAMES,
  SCORE_METHODS,
  type ScoreMethodName,
  type ScoreParts,
} from './score-methods';
import { type ScoreScale, validationScale } from './standardise';

/** One `--score` entry. */
export interface ScoreSpec {
  /** As given, normalised: `regret`, `elbo+regret`. */
  readonly name: string;
  /** Its methods: one for a single method, two or more for a combination. */
  readonly parts: readonly ScoreMethodName[];
}

/** A score's unit: a method's own, or standard deviations of normal validation scores. */
export type ScoreUnit = 'nats' | 'bits' | 'sd';

/** Whether the entry is a combination (and so needs normal validation data). */
export const isCombination = (s: ScoreSpec): boolean => s.parts.length > 1;

/** Its unit. */
export const specUnit = (s: ScoreSpec): ScoreUnit =>
  isCombination(s) ? 'sd' : SCORE_METHODS[s.parts[0]!].unit;

/**
 * Parses one `--score` entry.
 * @throws TrainConfigError for an unknown method, an empty part or a method repeated in a combination
 */
export function parseScoreSpec(text: string): ScoreSpec {
  const parts = text.split('+').map((p) => p.trim());
  for (const p of parts) {
    if (p === '')
      throw new TrainConfigError(
        `--score: ${JSON.stringify(text)} has an empty part; combine methods as elbo+regret`,
      );
    if (!isScoreMethod(p))
      throw new TrainConfigError(
        `--score: unknown method ${JSON.stringify(p)}; methods: ${SCORE_METHOD_NAMES.join(', ')} (or a sum such as elbo+regret)`,
      );
  }
  if (new Set(parts).size !== parts.length)
    throw new TrainConfigError(`--score: ${JSON.stringify(text)} names a method twice; give each once`);
  return { name: parts.join('+'), parts: parts as ScoreMethodName[] };
}

/**
 * The scales of a combination's parts on normal validation examples (none for a single method).
 * @throws StandardiseError when a part cannot be standardised (too few, non-finite or constant)
 */
export function partScales(spec: ScoreSpec, val: ScoreParts): readonly ScoreScale[] {
  if (!isCombination(spec)) return [];
  const n = val.neg_elbo.length;
  return spec.parts.map((m) => validationScale(methodScores(m, val, n), `--score ${spec.name}: ${m}`));
}

/** The entry's score of each example: the method's, or the sum of the standardised parts. */
export function specScores(
  spec: ScoreSpec,
  parts: ScoreParts,
  n: number,
  scales: readonly ScoreScale[],
): Float64Array {
  if (!isCombination(spec)) return methodScores(spec.parts[0]!, parts, n);
  const out = new Float64Array(n);
  spec.parts.forEach((m, k) => {
    const { mean, std } = scales[k]!;
    const s = methodScores(m, parts, n);
    for (let i = 0; i < n; i++) out[i]! += (s[i]! - mean) / std;
  });
  return out;
}
