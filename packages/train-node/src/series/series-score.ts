import { extname } from 'node:path';
import { EVAL_SEED, fold, key, TrainConfigError } from '@vae/core';
import { rankable } from '../anomaly/anomaly-report';
import { auprc, auroc, ratesAt, thresholdAtFpr } from '../anomaly/ranking';
import { openScoreWriter, scoreFormat } from '../anomaly/score-writer';
import { OrtBackend } from '../backend/ort-backend';
import { svgToPng } from '../embed/raster';
import { writeOutput } from '../render/png-grid';
import { loadRun } from '../run/run-dir';
import { renderSvg } from '../views/plot';
import { loadSeriesData, type SeriesData } from './series-data';
import { seriesPlotSpec } from './series-plot';
import { readStepLabels } from './step-labels';
import { type PeriodScores, periodScores } from './step-scores';

/** Posterior samples per window behind every per-step score. */
export const SERIES_PARTICLES = 16;

/** Noise keys of the scored period's windows and the validation period's (the threshold's). */
export const SCORE_KEYS = {
  scored: fold(fold(key(EVAL_SEED), 21), 0),
  val: fold(fold(key(EVAL_SEED), 21), 1),
};

/** `vae score` on a series run. */
export interface SeriesScoreOptions {
  readonly run: string;
  /** Per-step table: `.csv` (step, the columns in the CSV's units, score, ...) or `.npy`. */
  readonly out: string;
  /** Per-window table (`.csv` or `.npy`): window, start, neg_elbo, recon, kl. */
  readonly windowsOut?: string;
  /** The series, its score, the threshold and flagged steps: `.svg` or `.png`. */
  readonly plot?: string;
  readonly split?: 'test' | 'val' | 'train';
  /** `step,label` CSV: AUROC / AUPRC per time step. */
  readonly anomalyLabels?: string;
  /** False-alarm rate of the threshold chosen on the validation period's steps (default 0.05). */
  readonly fpr?: number;
  readonly threads?: number;
}

/** The threshold chosen on the validation period. */
export interface SeriesThreshold {
  readonly fpr_target: number;
  readonly value: number;
  readonly val_steps: number;
  readonly val_fpr: number;
  /** Scored steps at or above it. */
  readonly flagged: number;
}

/** What `vae score` prints for a series run. */
export interface SeriesScoreResult {
  readonly out: string;
  readonly windows_out: string | null;
  readonly plot: string | null;
  readonly split: string;
  /** The scored steps [from, to) (rows of the CSV, 0-based). */
  readonly from: number;
  readonly to: number;
  readonly windows: number;
  readonly window: number;
  readonly particles: number;
  readonly columns: readonly string[];
  readonly window_columns: readonly string[] | null;
  readonly unit: 'nats';
  readonly threshold: SeriesThreshold | null;
  readonly threshold_note?: string;
  /** With `--anomaly-labels`: time-step AUROC / AUPRC (no point-adjust) and the threshold's rates. */
  readonly report?: {
    readonly labels: string;
    readonly n_anomalous: number;
    readonly n_normal: number;
    readonly auroc: number;
    readonly auprc: number;
    readonly tpr: number | null;
    readonly fpr: number | null;
  };
}

function plotFormat(path: string): 'svg' | 'png' {
  const ext = extname(path).slice(1).toLowerCase();
  if (ext !== 'svg' && ext !== 'png')
    throw new TrainConfigError(`--plot must end in .svg or .png, got ${JSON.stringify(path)}`);
  return ext;
}

/** Checks the flags that need no file. */
function plan(o: SeriesScoreOptions) {
  scoreFormat(o.out);
  if (o.windowsOut !== undefined) scoreFormat(o.windowsOut);
  const fpr = o.fpr ?? 0.05;
  if (!(fpr > 0 && fpr < 1)) throw new TrainConfigError(`--fpr must be a number between 0 and 1, got ${fpr}`);
  const split = o.split ?? 'test';
  if (!['test', 'val', 'train'].includes(split))
    throw new TrainConfigError(`--split must be test, val or train, got ${split}`);
  return { fpr, split, plot: o.plot === undefined ? null : plotFormat(o.plot) };
}

/** Writes the per-window table. */
function writeWindows(path: string, s: PeriodScores, w: number): string[] {
  const columns = ['window', 'start', 'end', 'neg_elbo', 'recon', 'kl'];
  const n = s.starts.length;
  const writer = openScoreWriter(path, columns, n);
  writer.write([
    Float64Array.from({ length: n }, (_, i) => i),
    Float64Array.from(s.starts),
    Float64Array.from(s.starts, (v) => v + w - 1),
    s.negElbo,
    s.negElbo.map((v, i) => v - s.kl[i]!),
    s.kl,
  ]);
  writer.close();
  return columns;
}

/**
 * `vae score` on a series run: each time step of `--split`'s period (default test) gets the mean,
 * over the windows covering it, of the window's -ELBO share at that step (see step-scores.ts),
 * written with the series' values; a threshold is chosen on the validation period's steps at
 * `--fpr`; with labels, AUROC and AUPRC over time steps (no point-adjust).
 * @throws TrainConfigError for bad flags or a run without the period asked for
 */
export async function seriesScoreCommand(o: SeriesScoreOptions): Promise<SeriesScoreResult> {
  const p = plan(o);
  const run = loadRun(o.run);
  const data: SeriesData = await loadSeriesData(run.config);
  const period = data.windows[p.split as 'test'];
  if (!period)
    throw new TrainConfigError(
      `${o.run} has no ${p.split} period (trained with --val 0?): choose another --split`,
    );
  const T = data.series.steps;
  const labels = o.anomalyLabels ? await readStepLabels(o.anomalyLabels, period.start, period.end) : null;
  const backend = new OrtBackend({ threads: o.threads });
  let scored: PeriodScores;
  let val: PeriodScores | null = null;
  try {
    scored = await periodScores(backend, run, period, T, SCORE_KEYS.scored, SERIES_PARTICLES);
    if (data.windows.val)
      val = await periodScores(backend, run, data.windows.val, T, SCORE_KEYS.val, SERIES_PARTICLES);
  } finally {
    await backend.dispose();
  }
  const score = scored.steps;
  const n = score.length;
  let threshold: SeriesThreshold | null = null;
  if (val) {
    const t = thresholdAtFpr(rankable(val.steps).scores, p.fpr);
    const flagged = rankable(score).scores.filter((v) => v >= t.threshold).length;
    threshold = {
      fpr_target: p.fpr,
      value: t.threshold,
      val_steps: val.steps.length,
      val_fpr: t.fpr,
      flagged,
    };
  }
  const C = data.series.columns.length;
  const columnValues = data.series.columns.map((_, j) =>
    Float64Array.from({ length: n }, (_, i) => data.series.values[(period.start + i) * C + j]!),
  );
  const ranked = rankable(score).scores;
  const columns = [
    'step',
    ...data.series.columns,
    'score',
    ...(threshold ? ['flagged'] : []),
    ...(labels ? ['label'] : []),
  ];
  const writer = openScoreWriter(o.out, columns, n);
  writer.write([
    Float64Array.from({ length: n }, (_, i) => period.start + i),
    ...columnValues,
    score,
    ...(threshold ? [Float64Array.from(ranked, (v) => (v >= threshold.value ? 1 : 0))] : []),
    ...(labels ? [Float64Array.from(labels)] : []),
  ]);
  writer.close();
  const windowColumns = o.windowsOut ? writeWindows(o.windowsOut, scored, data.windows.window) : null;
  if (o.plot) {
    const spec = seriesPlotSpec({
      title: `vae score: ${data.state.source} (${p.split} steps ${period.start}..${period.end - 1})`,
      from: period.start,
      columns: data.series.columns.map((name, j) => ({ name, values: columnValues[j]! })),
      score,
      threshold: threshold?.value ?? null,
      labels,
    });
    const svg = await renderSvg(spec);
    writeOutput(o.plot, p.plot === 'png' ? await svgToPng(svg) : svg);
  }
  const report = labels && {
    labels: o.anomalyLabels!,
    n_anomalous: labels.reduce((a, v) => a + v, 0),
    n_normal: labels.length - labels.reduce((a, v) => a + v, 0),
    auroc: auroc(ranked, labels),
    auprc: auprc(ranked, labels),
    ...(threshold ? ratesAt(ranked, labels, threshold.value) : { tpr: null, fpr: null }),
  };
  return {
    out: o.out,
    windows_out: o.windowsOut ?? null,
    plot: o.plot ?? null,
    split: p.split,
    from: period.start,
    to: period.end,
    windows: scored.starts.length,
    window: data.windows.window,
    particles: SERIES_PARTICLES,
    columns,
    window_columns: windowColumns,
    unit: 'nats',
    threshold,
    ...(threshold ? {} : { threshold_note: `${o.run} has no validation period (--val 0)` }),
    ...(report ? { report } : {}),
  };
}
