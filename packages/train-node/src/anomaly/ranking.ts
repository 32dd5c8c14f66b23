/**
 * Ranking metrics of an anomaly score (higher = more anomalous) against binary labels (1 =
 * anomaly, 0 = normal): AUROC, AUPRC (average precision) and the ROC curve. Exact with ties: tied
 * scores form one threshold, so a tie between an anomaly and a normal example counts one half in
 * the AUROC (the Mann-Whitney U statistic), and the ROC curve takes one diagonal step across a tie.
 * Pure, no I/O; O(n log n).
 */

/** One point of a ROC curve: the rates when every score >= `threshold` is called an anomaly. */
export interface RocPoint {
  readonly threshold: number;
  readonly fpr: number;
  readonly tpr: number;
  /** Precision at this threshold (1 at the empty start point). */
  readonly precision: number;
}

/** Distinct-threshold counts, from the highest score down. */
interface Steps {
  readonly positives: number;
  readonly negatives: number;
  /** For each distinct score (descending): that score, and the anomalies / normals at or above it. */
  readonly thresholds: number[];
  readonly tp: number[];
  readonly fp: number[];
}

function check(scores: ArrayLike<number>, labels: ArrayLike<number>): void {
  if (scores.length !== labels.length)
    throw new RangeError(`${scores.length} scores but ${labels.length} labels`);
  for (let i = 0; i < scores.length; i++) {
    if (Number.isNaN(scores[i]!)) throw new RangeError(`score ${i} is NaN`);
    if (labels[i] !== 0 && labels[i] !== 1) throw new RangeError(`label ${i} is ${labels[i]}, not 0 or 1`);
  }
}

function steps(scores: ArrayLike<number>, labels: ArrayLike<number>): Steps {
  check(scores, labels);
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  let positives = 0;
  for (let i = 0; i < labels.length; i++) positives += labels[i]!;
  const out: Steps = { positives, negatives: labels.length - positives, thresholds: [], tp: [], fp: [] };
  let tp = 0;
  let fp = 0;
  for (let r = 0; r < order.length; r++) {
    const i = order[r]!;
    if (labels[i] === 1) tp++;
    else fp++;
    // Close a threshold only after the last of a run of tied scores.
    const next = order[r + 1];
    if (next === undefined || scores[next] !== scores[i]) {
      out.thresholds.push(scores[i]!);
      out.tp.push(tp);
      out.fp.push(fp);
    }
  }
  return out;
}

function needBoth(s: Steps, what: string): void {
  if (s.positives === 0 || s.negatives === 0)
    throw new RangeError(
      `${what} needs anomalies and normal examples; got ${s.positives} anomalies and ${s.negatives} normal`,
    );
}

/**
 * Area under the ROC curve: P(score of a random anomaly > score of a random normal example), ties
 * counted 1/2 (the trapezoid rule over distinct thresholds gives exactly that).
 * @throws RangeError when either class is empty, lengths differ, a score is NaN or a label not 0/1
 */
export function auroc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const s = steps(scores, labels);
  needBoth(s, 'AUROC');
  let area = 0;
  let tp0 = 0;
  let fp0 = 0;
  for (let t = 0; t < s.thresholds.length; t++) {
    area += ((s.fp[t]! - fp0) * (s.tp[t]! + tp0)) / 2;
    tp0 = s.tp[t]!;
    fp0 = s.fp[t]!;
  }
  return area / (s.positives * s.negatives);
}

/**
 * Area under the precision-recall curve as average precision (scikit-learn's
 * `average_precision_score`): sum over distinct thresholds of (recall gained) x (precision there).
 * @throws RangeError as {@link auroc}
 */
export function auprc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const s = steps(scores, labels);
  needBoth(s, 'AUPRC');
  let ap = 0;
  let tp0 = 0;
  for (let t = 0; t < s.thresholds.length; t++) {
    const tp = s.tp[t]!;
    ap += ((tp - tp0) / s.positives) * (tp / (tp + s.fp[t]!));
    tp0 = tp;
  }
  return ap;
}

/**
 * The ROC curve: (0, 0) at threshold +Infinity, then one point per distinct score, descending, to
 * (1, 1).
 * @throws RangeError as {@link auroc}
 */
export function rocCurve(scores: ArrayLike<number>, labels: ArrayLike<number>): RocPoint[] {
  const s = steps(scores, labels);
  needBoth(s, 'a ROC curve');
  const points: RocPoint[] = [{ threshold: Number.POSITIVE_INFINITY, fpr: 0, tpr: 0, precision: 1 }];
  for (let t = 0; t < s.thresholds.length; t++)
    points.push({
      threshold: s.thresholds[t]!,
      fpr: s.fp[t]! / s.negatives,
      tpr: s.tp[t]! / s.positives,
      precision: s.tp[t]! / (s.tp[t]! + s.fp[t]!),
    });
  return points;
}

/**
 * The threshold whose false-alarm rate on normal scores is at most `fpr`: the smallest t such that
 * the share of normal scores >= t is <= `fpr` (an example is an anomaly when its score >= t). With
 * n normal scores the attained rate is a multiple of 1/n, so it is returned with the threshold.
 * @throws RangeError for no scores or `fpr` outside [0, 1]
 */
export function thresholdAtFpr(
  normalScores: ArrayLike<number>,
  fpr: number,
): { threshold: number; fpr: number } {
  const n = normalScores.length;
  if (n === 0) throw new RangeError('no normal scores to choose a threshold on');
  if (!(fpr >= 0 && fpr <= 1)) throw new RangeError(`false-alarm rate must be in [0, 1], got ${fpr}`);
  const sorted = Float64Array.from(normalScores).sort().reverse(); // descending
  const allowed = Math.floor(fpr * n + 1e-9);
  // Flag the `allowed` highest scores, unless a tie straddles the cut: then flag fewer.
  let k = allowed;
  while (k > 0 && k < n && sorted[k - 1] === sorted[k]) k--;
  const threshold = k === 0 ? nextUp(sorted[0]!) : sorted[k - 1]!;
  return { threshold, fpr: k / n };
}

/** The smallest double above x (so a threshold there flags nothing at or below x). */
function nextUp(x: number): number {
  if (x === Number.POSITIVE_INFINITY) return x;
  if (x === 0) return Number.MIN_VALUE;
  const b = new Float64Array([x]);
  const bits = new BigInt64Array(b.buffer);
  bits[0] = bits[0]! + (x > 0 ? 1n : -1n);
  return b[0]!;
}

/** The rates of a threshold on labelled scores: TPR (anomalies flagged) and FPR (normals flagged). */
export function ratesAt(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  threshold: number,
): { tpr: number; fpr: number } {
  check(scores, labels);
  let tp = 0;
  let fp = 0;
  let p = 0;
  for (let i = 0; i < scores.length; i++) {
    const flagged = scores[i]! >= threshold;
    if (labels[i] === 1) {
      p++;
      if (flagged) tp++;
    } else if (flagged) fp++;
  }
  const n = scores.length - p;
  return { tpr: p ? tp / p : Number.NaN, fpr: n ? fp / n : Number.NaN };
}
