import { TrainConfigError } from '@vae/core';
import type { CAC } from 'cac';
import { type ScoreResult, scoreCommand } from '../../anomaly/score-command';
import { SCORE_HELP } from '../../anomaly/score-methods';
import { DEFAULT_SCORE } from '../../anomaly/score-options';
import { chunkProgress } from '../../render/progress';
import { readConfig } from '../../run/run-dir';
import { type SeriesScoreResult, seriesScoreCommand } from '../../series/series-score';
import {
  need,
  num,
  optInt,
  optNum,
  optThreads,
  printResult,
  QUIET_FLAG,
  RUN_FLAG,
  SPLIT_FLAG,
  THREADS_FLAG,
  withFlags,
} from '../flags';
import { plural } from '../summary';

/** An optional text flag (cac reads `--normal-class 3` as a number). */
const optText = (v: unknown) => (v === undefined ? undefined : String(v));

/** What was scored and, with a report, how well the score ranks, in words. */
function scoreSummary(r: ScoreResult): string[] {
  const lines = [
    `scored ${plural(r.n, 'example')} of ${r.dataset} (${r.split}) with ${r.score} (${r.unit}, higher = more anomalous): ${r.out}`,
  ];
  const rep = r.report;
  if (!rep) return lines;
  lines.push(
    `  normal = ${rep.normal}: AUROC ${rep.auroc.toFixed(4)}, AUPRC ${rep.auprc.toFixed(4)} (${rep.n_normal} normal, ${rep.n_anomalous} anomalies); ROC curve ${rep.roc_svg}`,
  );
  const t = rep.threshold;
  lines.push(
    t
      ? `  threshold ${t.value.toPrecision(6)} (false alarms ${t.val_fpr.toFixed(3)} on ${t.val_n} normal validation examples): TPR ${t.tpr.toFixed(3)}, FPR ${t.fpr.toFixed(3)} here`
      : `  no threshold: ${rep.threshold_note}`,
  );
  return lines;
}

/** A series run's per-step scores, in words. */
function seriesSummary(r: SeriesScoreResult): string[] {
  const t = r.threshold;
  const lines = [
    `scored steps ${r.from}..${r.to - 1} (${r.split}, ${plural(r.windows, 'window')} of ${r.window}) per time step (nats, higher = more anomalous): ${r.out}${r.windows_out ? `; per window: ${r.windows_out}` : ''}${r.plot ? `; plot: ${r.plot}` : ''}`,
    t
      ? `  threshold ${t.value.toPrecision(6)} (false alarms ${t.val_fpr.toFixed(3)} on ${t.val_steps} validation steps): ${plural(t.flagged, 'step')} flagged`
      : `  no threshold: ${r.threshold_note}`,
  ];
  const rep = r.report;
  if (rep)
    lines.push(
      `  labels ${rep.labels}: AUROC ${rep.auroc.toFixed(4)}, AUPRC ${rep.auprc.toFixed(4)} per time step, no point-adjust (${rep.n_anomalous} anomalous of ${rep.n_anomalous + rep.n_normal} steps)${rep.tpr === null ? '' : `; at the threshold TPR ${rep.tpr.toFixed(3)}, FPR ${rep.fpr!.toFixed(3)}`}`,
    );
  return lines;
}

/** Flags of `vae score` that image and tabular runs have and series runs do not, and vice versa. */
const NOT_SERIES = ['score', 'dataset', 'normalClass', 'background', 'regretSteps', 'limit', 'roc'] as const;
const SERIES_ONLY = ['windowsOut', 'plot'] as const;
const kebab = (k: string) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** `vae score` on a series run (its own command, src/series/series-score.ts). */
async function seriesScore(f: Record<string, unknown>, run: string): Promise<void> {
  const bad = NOT_SERIES.find((k) => f[k] !== undefined);
  if (bad)
    throw new TrainConfigError(
      `${kebab(bad)} is for image and tabular runs; ${run} is a series run (scored per time step): drop ${kebab(bad)}`,
    );
  const r = await seriesScoreCommand({
    run,
    out: need('out', f.out),
    windowsOut: f.windowsOut === undefined ? undefined : need('windows-out', f.windowsOut),
    plot: f.plot === undefined ? undefined : need('plot', f.plot),
    split: String(f.split) as 'test',
    anomalyLabels: f.anomalyLabels === undefined ? undefined : need('anomaly-labels', f.anomalyLabels),
    fpr: num('fpr', f.fpr),
    threads: optThreads(f.threads),
  });
  printResult(r, seriesSummary(r), f.quiet === true);
}

/** `vae score`: its flags, and the result it prints (one JSON object, and {@link scoreSummary}). */
export function register(cli: CAC): void {
  const help =
    'Anomaly scores, one per example (higher = more anomalous), with their parts, to CSV or NPY; with --normal-class or --anomaly-labels, AUROC, AUPRC, a ROC plot and a threshold';
  withFlags(cli.command('score', help), [
    RUN_FLAG,
    {
      name: '--out <file>',
      help: 'the table: FILE.csv (with a header) or FILE.npy (float64 [n, columns]; the columns are printed)',
    },
    {
      name: '--score <methods>',
      help: `method, or a comma list whose first is the score column (default ${DEFAULT_SCORE}); a+b sums the methods' scores, each standardised on the normal validation examples (unit: sd). ${SCORE_HELP}`,
    },
    {
      name: '--dataset <name>',
      help: "score another dataset with the run's model (as vae train --dataset; same image size)",
    },
    SPLIT_FLAG,
    {
      name: '--iw <k>',
      help: 'importance samples for -log p(x) (0: the -ELBO stands in)',
      default: 100,
    },
    {
      name: '--normal-class <c>',
      help: 'report: examples of class c (name or id) are normal, all others anomalies (one-class protocol)',
    },
    {
      name: '--anomaly-labels <file>',
      help: 'report: one label per scored example, 1 anomaly / 0 normal (.npy of integers, or text, one per line)',
    },
    {
      name: '--fpr <rate>',
      help: 'false-alarm rate of the threshold chosen on normal validation examples',
      default: 0.05,
    },
    { name: '--roc <file>', help: 'the ROC plot, SVG (default: --out with .roc.svg)' },
    {
      name: '--background <dir>',
      help: 'run of --score ratio: a model of background data (e.g. perturbed normal images)',
    },
    { name: '--regret-steps <n>', help: 'Adam steps of --score regret per example (default 50)' },
    { name: '--limit <n>', help: 'only the first n examples of the split' },
    {
      name: '--windows-out <file>',
      help: 'series runs: per-window table, FILE.csv or FILE.npy (window, start, end, neg_elbo, recon, kl)',
    },
    {
      name: '--plot <file>',
      help: 'series runs: the series, its per-step score, the threshold and flagged steps, FILE.svg or FILE.png',
    },
    THREADS_FLAG,
    QUIET_FLAG,
  ]).action(async (f: Record<string, unknown>) => {
    const quiet = f.quiet === true;
    const dir = need('run', f.run);
    if (readConfig(dir).recipe.series) return seriesScore(f, dir);
    const only = SERIES_ONLY.find((k) => f[k] !== undefined);
    if (only)
      throw new TrainConfigError(`${kebab(only)} is for series runs; ${dir} is not one: drop ${kebab(only)}`);
    const bar = chunkProgress('scoring', { quiet });
    const r = await scoreCommand({
      run: need('run', f.run),
      out: need('out', f.out),
      score: f.score === undefined ? undefined : String(f.score).split(','),
      dataset: optText(f.dataset),
      split: String(f.split) as 'test',
      iw: num('iw', f.iw),
      normalClass: optText(f.normalClass),
      anomalyLabels: f.anomalyLabels === undefined ? undefined : need('anomaly-labels', f.anomalyLabels),
      fpr: num('fpr', f.fpr),
      roc: f.roc === undefined ? undefined : need('roc', f.roc),
      background: f.background === undefined ? undefined : need('background', f.background),
      regretSteps: optInt('regret-steps', f.regretSteps),
      limit: optNum('limit', f.limit),
      threads: optThreads(f.threads),
      onProgress: (done, total) => bar.onChunk(Math.floor(done), total),
    }).finally(bar.stop);
    printResult(r, scoreSummary(r), quiet);
  });
}
