import { writeOutput } from '../render/png-grid';
import { auprc, auroc, ratesAt, rocCurve, thresholdAtFpr } from './ranking';
import { rocSvg } from './roc-plot';
import type { ScoreParts } from './score-methods';
import { type ScoreSpec, specScores, specUnit } from './score-specs';
import type { ScoreScale } from './standardise';

/** The threshold chosen on validation data, and how it does on the scored split. */
export interface ThresholdReport {
  /** The false-alarm rate asked for (`--fpr`). */
  readonly fpr_target: number;
  /** Scores >= this are called anomalies. */
  readonly value: number;
  /** Normal validation examples it was chosen on, and the share of them it flags. */
  readonly val_n: number;
  readonly val_fpr: number;
  /** On the scored split: anomalies flagged (TPR) and normal examples flagged (FPR). */
  readonly tpr: number;
  readonly fpr: number;
}

/** What `--normal-class` / `--anomaly-labels` add to `vae score`'s result. */
export interface AnomalyReport {
  /** Which examples are normal: `class 1 (Trouser)`, or `labels from FILE`. */
  readonly normal: string;
  readonly n_normal: number;
  readonly n_anomalous: number;
  /** The primary score (the first `--score`): its AUROC and AUPRC (average precision). */
  readonly score: string;
  readonly auroc: number;
  readonly auprc: number;
  /**
   * Every `--score` method's AUROC and AUPRC, in the order given, and how many of its scores were
   * not numbers (ranked as the most anomalous, see {@link rankable}).
   */
  readonly by_score: Readonly<Record<string, { auroc: number; auprc: number; nan: number }>>;
  /** null when no normal validation examples were there to choose it on ... */
  readonly threshold: ThresholdReport | null;
  /** ... and then why. */
  readonly threshold_note?: string;
  /** The ROC curve of the primary score, as SVG. */
  readonly roc_svg: string;
}

/** What {@link anomalyReport} needs. */
export interface ReportInput {
  readonly methods: readonly ScoreSpec[];
  /** Per method, its parts' scales on normal validation data (combinations only; see score-specs.ts). */
  readonly scales: readonly (readonly ScoreScale[])[];
  readonly parts: ScoreParts;
  /** 1 = anomaly, 0 = normal, per scored example. */
  readonly labels: Uint8Array;
  readonly normal: string;
  /** Parts of the normal validation examples (null: none to choose a threshold on). */
  readonly valParts: ScoreParts | null;
  readonly valNote?: string;
  readonly fpr: number;
  readonly rocPath: string;
}

/**
 * Scores as ranked: NaN as +Infinity, with their count. A score is NaN when the model cannot score
 * the example at all (e.g. a network output that overflows for an input far from the training
 * data): an anomaly by any measure. (A posterior scale that underflows to 0 no longer makes NaN:
 * log q(z|x) is computed from the log-scale and eps, see core's Normal.logProb.)
 */
export function rankable(scores: Float64Array): { scores: Float64Array; nan: number } {
  const out = scores.map((v) => (Number.isNaN(v) ? Number.POSITIVE_INFINITY : v));
  return { scores: out, nan: scores.filter(Number.isNaN).length };
}

/** AUROC / AUPRC of each method, the threshold at `fpr` on validation data, and the ROC plot. */
export async function anomalyReport(r: ReportInput): Promise<AnomalyReport> {
  const n = r.labels.length;
  const byScore: Record<string, { auroc: number; auprc: number; nan: number }> = {};
  r.methods.forEach((m, k) => {
    const { scores: s, nan } = rankable(specScores(m, r.parts, n, r.scales[k]!));
    byScore[m.name] = { auroc: auroc(s, r.labels), auprc: auprc(s, r.labels), nan };
  });
  const primary = r.methods[0]!;
  const scores = rankable(specScores(primary, r.parts, n, r.scales[0]!)).scores;
  let threshold: ThresholdReport | null = null;
  if (r.valParts) {
    const valN = r.valParts.neg_elbo.length;
    const val = rankable(specScores(primary, r.valParts, valN, r.scales[0]!)).scores;
    const t = thresholdAtFpr(val, r.fpr);
    const at = ratesAt(scores, r.labels, t.threshold);
    threshold = { fpr_target: r.fpr, value: t.threshold, val_n: val.length, val_fpr: t.fpr, ...at };
  }
  const anomalous = r.labels.reduce((s, v) => s + v, 0);
  const { auroc: a, auprc: p } = byScore[primary.name]!;
  const unit = specUnit(primary);
  const svg = await rocSvg({
    curve: rocCurve(scores, r.labels),
    auroc: a,
    title: `vae score --score ${primary.name} (${unit}): normal = ${r.normal}`,
    ...(threshold
      ? {
          operating: {
            fpr: threshold.fpr,
            tpr: threshold.tpr,
            label: `threshold: val FPR ${threshold.val_fpr.toFixed(3)}, TPR ${threshold.tpr.toFixed(3)}`,
          },
        }
      : {}),
  });
  writeOutput(r.rocPath, svg);
  return {
    normal: r.normal,
    n_normal: n - anomalous,
    n_anomalous: anomalous,
    score: primary.name,
    auroc: a,
    auprc: p,
    by_score: byScore,
    threshold,
    ...(threshold ? {} : { threshold_note: r.valNote ?? 'no normal validation examples' }),
    roc_svg: r.rocPath,
  };
}
