import type { TopLevelSpec } from 'vega-lite';
import { renderSvg } from '../views/plot';
import type { RocPoint } from './ranking';

/** Most points drawn per curve: a 10k-example ROC curve thinned evenly (ends kept) draws the same. */
const MAX_POINTS = 800;

function thin(points: readonly RocPoint[]): RocPoint[] {
  if (points.length <= MAX_POINTS) return [...points];
  const step = (points.length - 1) / (MAX_POINTS - 1);
  return Array.from({ length: MAX_POINTS }, (_, i) => points[Math.round(i * step)]!);
}

/** What the ROC plot shows: the curve, its AUROC, and the operating point of the chosen threshold. */
export interface RocPlot {
  readonly curve: readonly RocPoint[];
  readonly auroc: number;
  readonly title: string;
  /** Test rates at the threshold chosen on validation data, if any. */
  readonly operating?: { readonly fpr: number; readonly tpr: number; readonly label: string };
}

/** A vega-lite spec of a ROC curve: TPR against FPR, the chance diagonal, the operating point. */
export function rocSpec(p: RocPlot): TopLevelSpec {
  const axis = (title: string) => ({ type: 'quantitative', title, scale: { domain: [0, 1] } });
  const layers: unknown[] = [
    {
      data: {
        values: [
          { fpr: 0, tpr: 0 },
          { fpr: 1, tpr: 1 },
        ],
      },
      mark: { type: 'line', strokeDash: [4, 4], color: '#999' },
      encoding: {
        x: { field: 'fpr', ...axis('false positive rate') },
        y: { field: 'tpr', ...axis('true positive rate') },
      },
    },
    {
      data: { values: thin(p.curve).map((c) => ({ fpr: c.fpr, tpr: c.tpr })) },
      mark: { type: 'line', strokeWidth: 2, interpolate: 'linear' },
      encoding: { x: { field: 'fpr', type: 'quantitative' }, y: { field: 'tpr', type: 'quantitative' } },
    },
  ];
  if (p.operating)
    layers.push({
      data: { values: [p.operating] },
      layer: [
        { mark: { type: 'point', filled: true, size: 80, color: '#d62728' } },
        { mark: { type: 'text', align: 'left', dx: 8, dy: 10 }, encoding: { text: { field: 'label' } } },
      ],
      encoding: { x: { field: 'fpr', type: 'quantitative' }, y: { field: 'tpr', type: 'quantitative' } },
    });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: p.title, subtitle: `AUROC ${p.auroc.toFixed(4)}` },
    width: 360,
    height: 360,
    layer: layers,
  } as TopLevelSpec;
}

/** The ROC plot as SVG text. */
export const rocSvg = (p: RocPlot): Promise<string> => renderSvg(rocSpec(p));
