import type { TopLevelSpec } from 'vega-lite';

// `vae score --plot` on a series run: each column of the series over the scored steps, its score
// underneath with the threshold, flagged steps marked in red on every panel (and labelled anomalies
// shaded, when labels were given). vega-lite, rendered by views/plot.ts (SVG) and embed/raster.ts (PNG).

/** What the plot shows. */
export interface SeriesPlot {
  readonly title: string;
  /** First step drawn (absolute) and, per column, its values in the CSV's units. */
  readonly from: number;
  readonly columns: readonly { readonly name: string; readonly values: ArrayLike<number> }[];
  readonly score: ArrayLike<number>;
  /** Scores >= this are flagged (null: no threshold). */
  readonly threshold: number | null;
  /** 1 where a step is a labelled anomaly (null: no labels). */
  readonly labels: ArrayLike<number> | null;
}

/** Panel size in CSS px (the PNG is rendered at twice this). */
export const PLOT_WIDTH = 900;
const PANEL_HEIGHT = 110;

/** Runs of 1s as [first, last] step pairs (absolute). */
function runs(labels: ArrayLike<number>, from: number): { a: number; b: number }[] {
  const out: { a: number; b: number }[] = [];
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] !== 1) continue;
    const start = i;
    while (i + 1 < labels.length && labels[i + 1] === 1) i++;
    out.push({ a: from + start - 0.5, b: from + i + 0.5 });
  }
  return out;
}

/** One panel: a line of `field` over `step`, shaded anomalies, red flagged points, an optional rule. */
function panel(
  title: string,
  values: { step: number; v: number; flagged: boolean }[],
  shade: { a: number; b: number }[],
  rule: number | null,
): unknown {
  const x = { field: 'step', type: 'quantitative', title: null, scale: { zero: false, nice: false } };
  const layers: unknown[] = [];
  if (shade.length > 0)
    layers.push({
      data: { values: shade },
      mark: { type: 'rect', color: '#f4b400', opacity: 0.25 },
      encoding: { x: { ...x, field: 'a' }, x2: { field: 'b' } },
    });
  layers.push(
    {
      mark: { type: 'line', strokeWidth: 1, color: '#1f77b4' },
      encoding: { x, y: { field: 'v', type: 'quantitative', title, scale: { zero: false } } },
    },
    {
      transform: [{ filter: 'datum.flagged' }],
      mark: { type: 'point', filled: true, size: 14, color: '#d62728' },
      encoding: { x, y: { field: 'v', type: 'quantitative' } },
    },
  );
  if (rule !== null)
    layers.push({
      data: { values: [{ t: rule }] },
      mark: { type: 'rule', strokeDash: [5, 4], color: '#d62728' },
      encoding: { y: { field: 't', type: 'quantitative' } },
    });
  return { width: PLOT_WIDTH, height: PANEL_HEIGHT, data: { values }, layer: layers };
}

/** The vega-lite spec: one panel per column, then the score with its threshold. */
export function seriesPlotSpec(p: SeriesPlot): TopLevelSpec {
  const n = p.score.length;
  const flagged = (i: number) => p.threshold !== null && p.score[i]! >= p.threshold;
  const shade = p.labels ? runs(p.labels, p.from) : [];
  const rows = (get: (i: number) => number) =>
    Array.from({ length: n }, (_, i) => ({ step: p.from + i, v: get(i), flagged: flagged(i) })).filter((r) =>
      Number.isFinite(r.v),
    );
  const panels = [
    ...p.columns.map((c) =>
      panel(
        c.name,
        rows((i) => c.values[i]!),
        shade,
        null,
      ),
    ),
    panel(
      'score (nats)',
      rows((i) => p.score[i]!),
      shade,
      p.threshold,
    ),
  ];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: p.title,
    vconcat: panels,
  } as TopLevelSpec;
}
