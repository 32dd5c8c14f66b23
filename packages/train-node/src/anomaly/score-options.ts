import { extname } from 'node:path';
import { TrainConfigError } from '@vae/core';
import { type ExtraPart, SCORE_METHOD_NAMES, SCORE_METHODS, type ScoreMethodName } from './score-methods';
import { parseScoreSpec, type ScoreSpec } from './score-specs';
import { scoreFormat } from './score-writer';

/** The score `vae score` ranks by when `--score` is not given (chosen by measurement: bench/anomaly). */
export const DEFAULT_SCORE: ScoreMethodName = 'regret';

/** `vae score` settings (CLI flags after parsing). */
export interface ScoreCommandOptions {
  readonly run: string;
  /** Score another dataset with the run's model (a built-in name or a path, like `vae train --dataset`). */
  readonly dataset?: string;
  readonly split?: 'test' | 'val' | 'train';
  /**
   * Methods, the first the primary score (default {@link DEFAULT_SCORE}); an entry `a+b` sums the
   * methods' scores standardised on normal validation examples (score-specs.ts).
   */
  readonly score?: readonly string[];
  /** Importance samples for nll_iw (0: the -ELBO stands in for -log p(x)). Default 100. */
  readonly iw?: number;
  /** `.csv` or `.npy`. */
  readonly out: string;
  /** The background run of `--score ratio`. */
  readonly background?: string;
  /** One-class report: examples of this class (name or id) are normal, all others anomalies. */
  readonly normalClass?: string;
  /** Report against these labels (one per scored example, 1 = anomaly). */
  readonly anomalyLabels?: string;
  /** False-alarm rate the threshold is chosen at on validation data (default 0.05). */
  readonly fpr?: number;
  /** Where the ROC plot goes (default: `--out` with `.roc.svg`). */
  readonly roc?: string;
  /** Score the first `limit` examples of the split only. */
  readonly limit?: number;
  /** Adam steps of `--score regret`'s per-example fit (default 50). */
  readonly regretSteps?: number;
  readonly threads?: number;
  readonly onProgress?: (done: number, total: number) => void;
}

/** The checked settings. */
export interface ScorePlan {
  /** The `--score` entries, the primary first. */
  readonly methods: readonly ScoreSpec[];
  readonly needs: ReadonlySet<ExtraPart>;
  readonly iw: number;
  readonly split: 'test' | 'val' | 'train';
  readonly fpr: number;
  readonly report: boolean;
  readonly rocPath: string;
}

const listMethods = () => SCORE_METHOD_NAMES.join(', ');

/**
 * Checks the options that need no file: methods, numbers, `--out`, and which flags go together.
 * @throws TrainConfigError naming the flag
 */
export function planScore(o: ScoreCommandOptions): ScorePlan {
  const names = (o.score ?? [DEFAULT_SCORE]).map((s) => s.trim()).filter((s) => s !== '');
  if (names.length === 0) throw new TrainConfigError(`--score needs a method: ${listMethods()}`);
  const specs = names.map(parseScoreSpec);
  const methods = specs.filter((s, i) => specs.findIndex((t) => t.name === s.name) === i);
  const used = new Set<ScoreMethodName>(methods.flatMap((s) => s.parts));
  const iw = o.iw ?? 100;
  if (!Number.isInteger(iw) || iw < 0)
    throw new TrainConfigError(`--iw must be a non-negative integer, got ${iw}`);
  const split = o.split ?? 'test';
  if (!['test', 'val', 'train'].includes(split))
    throw new TrainConfigError(`--split must be test, val or train, got ${split}`);
  const fpr = o.fpr ?? 0.05;
  if (!(fpr > 0 && fpr < 1)) throw new TrainConfigError(`--fpr must be a number between 0 and 1, got ${fpr}`);
  if (o.limit !== undefined && (!Number.isInteger(o.limit) || o.limit < 1))
    throw new TrainConfigError(`--limit must be a positive integer, got ${o.limit}`);
  if (o.regretSteps !== undefined && (!Number.isInteger(o.regretSteps) || o.regretSteps < 1))
    throw new TrainConfigError(`--regret-steps must be a positive integer, got ${o.regretSteps}`);
  scoreFormat(o.out);
  if (o.normalClass !== undefined && o.anomalyLabels !== undefined)
    throw new TrainConfigError(
      '--normal-class and --anomaly-labels both say which examples are anomalies: give one',
    );
  const ratio = used.has('ratio');
  if (ratio && o.background === undefined)
    throw new TrainConfigError(
      '--score ratio needs --background RUN: a run trained on background data (e.g. perturbed normal images)',
    );
  if (!ratio && o.background !== undefined)
    throw new TrainConfigError(
      '--background is the model of --score ratio; add ratio to --score or drop --background',
    );
  if (o.roc !== undefined && extname(o.roc).toLowerCase() !== '.svg')
    throw new TrainConfigError(`--roc must end in .svg, got ${JSON.stringify(o.roc)}`);
  const report = o.normalClass !== undefined || o.anomalyLabels !== undefined;
  if (o.roc !== undefined && !report)
    throw new TrainConfigError('--roc plots against labels: give --normal-class or --anomaly-labels too');
  const needs = new Set<ExtraPart>([...used].flatMap((m) => SCORE_METHODS[m].needs));
  const rocPath = o.roc ?? `${o.out.slice(0, o.out.length - extname(o.out).length)}.roc.svg`;
  return { methods, needs, iw, split, fpr, report, rocPath };
}
