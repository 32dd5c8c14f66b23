import type { CAC } from 'cac';
import { type ScoreResult, scoreCommand } from '../../anomaly/score-command';
import { SCORE_HELP } from '../../anomaly/score-methods';
import { DEFAULT_SCORE } from '../../anomaly/score-options';
import { chunkProgress } from '../../render/progress';
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
      help: `method, or a comma list whose first is the score column (default ${DEFAULT_SCORE}). ${SCORE_HELP}`,
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
    THREADS_FLAG,
    QUIET_FLAG,
  ]).action(async (f: Record<string, unknown>) => {
    const quiet = f.quiet === true;
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
