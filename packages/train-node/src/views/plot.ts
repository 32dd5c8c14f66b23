import { existsSync, readFileSync, statSync } from 'node:fs';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { writeOutput } from '../render/png-grid';
import { RunError, runPaths } from '../run/run-dir';
import { parseMetrics } from '../train/metrics-log';

/** `vae plot` options. */
export interface PlotCommandOptions {
  /** Run folder holding metrics.jsonl. */
  readonly run: string;
  /** Output SVG path. */
  readonly svg: string;
}

/** What `vae plot` drew. */
export interface PlotResult {
  readonly svg: string;
  /** Epochs with at least one value. */
  readonly epochs: number;
  /** Series drawn, in legend order (e.g. `train loss`, `val -ELBO`). */
  readonly series: readonly string[];
  readonly bytes: number;
  /** Lines of metrics.jsonl that were not JSON and were left out (1-based; usually none). */
  readonly skippedLines: readonly number[];
}

/** Help text for the CLI. */
export const PLOT_HELP =
  'Plot training curves from <run>/metrics.jsonl as SVG: the training loss (the beta-weighted ' +
  'objective) and the validation -ELBO per epoch, both in nats per example.';

/** One point of a curve. */
export interface CurvePoint {
  readonly epoch: number;
  readonly series: string;
  readonly value: number;
}

const SERIES = [
  ['train_loss', 'train loss'],
  ['val_elbo', 'val -ELBO'],
] as const;

/**
 * The curves in a metrics.jsonl text: `epoch` lines only, the last line of an epoch wins,
 * non-finite values dropped; `skipped` numbers the lines that were not JSON (a killed run's torn
 * last line, or damage).
 */
export function readCurves(text: string): { points: CurvePoint[]; skipped: number[] } {
  const { records, skipped } = parseMetrics(text);
  const byEpoch = new Map<number, Record<string, unknown>>();
  for (const rec of records)
    if (rec.type === 'epoch' && typeof rec.epoch === 'number' && Number.isFinite(rec.epoch))
      byEpoch.set(rec.epoch, rec);
  const points: CurvePoint[] = [];
  for (const [epoch, rec] of [...byEpoch].sort((a, b) => a[0] - b[0]))
    for (const [field, series] of SERIES) {
      const v = rec[field];
      if (typeof v === 'number' && Number.isFinite(v)) points.push({ epoch, series, value: v });
    }
  return { points, skipped };
}

/** A vega-lite line chart of the curves: one line per series, nats on y. */
export function curvesSpec(points: readonly CurvePoint[], title: string): TopLevelSpec {
  const series = SERIES.map(([, s]) => s).filter((s) => points.some((p) => p.series === s));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: 480,
    height: 280,
    data: { values: points.map((p) => ({ ...p })) },
    mark: { type: 'line', point: false, strokeWidth: 2 },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1 } },
      y: { field: 'value', type: 'quantitative', title: 'nats per example', scale: { zero: false } },
      color: { field: 'series', type: 'nominal', title: null, sort: series },
    },
  } as TopLevelSpec;
}

/** Renders a vega-lite spec to SVG text headless (no canvas, no browser). */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * `vae plot`: reads `<run>/metrics.jsonl` and writes the loss and validation curves as SVG.
 * @throws RunError when the run folder or its metrics are missing, or no epoch has finished yet.
 */
export async function plotCommand(o: PlotCommandOptions): Promise<PlotResult> {
  if (!existsSync(o.run) || !statSync(o.run).isDirectory())
    throw new RunError(`run folder ${o.run} does not exist`);
  const path = runPaths(o.run).metrics;
  if (!existsSync(path))
    throw new RunError(`${o.run} has no metrics.jsonl: train it first (\`vae train --out ${o.run}\`)`);
  const { points, skipped } = readCurves(readFileSync(path, 'utf8'));
  if (points.length === 0)
    throw new RunError(
      `${path} has no finished epochs yet: nothing to plot (wait for the first epoch to end)`,
    );
  const spec = curvesSpec(points, `training curves: ${o.run}`);
  const svg = await renderSvg(spec);
  writeOutput(o.svg, svg);
  const series = SERIES.map(([, s]) => s).filter((s) => points.some((p) => p.series === s));
  return {
    svg: o.svg,
    epochs: new Set(points.map((p) => p.epoch)).size,
    series,
    bytes: Buffer.byteLength(svg),
    skippedLines: skipped,
  };
}
