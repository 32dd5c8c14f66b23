/**
 * The "Train here" panel's 4 x 4 grid of samples from the model being trained (`samples(16, seed)`
 * of @vae/train-web: decoder means of prior draws, in data space [0, 1]), painted crisp.
 */
import { gridRGBA } from '@vae/infer-web';
import { fitScale, h, paint } from '../dom';

export const GRID_N = 16;
const COLS = 4;
const GAP = 1;
/** On-screen size (px) of the grid's longer side: 4 x 28 px digits show 3x (fits 420 px screens). */
const BOX = 360;

/** Samples as train-web returns them: `n` examples of `shape` ([c, h, w] or [h, w]) flattened. */
export interface Samples {
  n: number;
  shape: readonly number[];
  means: Float32Array;
}

/** Picture geometry of the training data (an MLP's samples come flat, `shape` [h * w * c]). */
export interface Geometry {
  h: number;
  w: number;
  c: number;
}

/** The geometry of samples: the data's when known, else from a [c, h, w] shape, else a square grey. */
export function geometryOf(shape: readonly number[], known?: Geometry): Geometry {
  if (known) return known;
  if (shape.length === 3) return { c: shape[0]!, h: shape[1]!, w: shape[2]! };
  const side = Math.round(Math.sqrt(shape.reduce((a, b) => a * b, 1)));
  return { c: 1, h: side, w: side };
}

export function sampleGrid(id: string): {
  element: HTMLElement;
  show(s: Samples, caption: string, geometry?: Geometry): void;
  /** No pictures to show (e.g. a table's model): the caption says why. */
  note(text: string): void;
} {
  const canvas = h('canvas', { id, class: 'pixels', role: 'img', 'aria-label': 'no samples yet' });
  const cap = h('figcaption', { id: `${id}-caption` }, 'Samples appear once training starts.');
  let rendered = 0;
  const show = (s: Samples, caption: string, geometry?: Geometry) => {
    const n = Math.min(s.n, GRID_N);
    const grid = gridRGBA(s.means, geometryOf(s.shape, geometry), n, COLS, { gap: GAP, range: [0, 1] });
    paint(canvas, grid.rgba, grid.width, grid.height, fitScale(grid.width, grid.height, BOX));
    cap.textContent = caption;
    canvas.setAttribute('aria-label', `${n} samples from the model being trained: ${caption}`);
    canvas.dataset.rendered = String(++rendered);
  };
  const note = (text: string) => {
    canvas.hidden = true;
    cap.textContent = text;
  };
  const shown = (s: Samples, caption: string, geometry?: Geometry) => {
    canvas.hidden = false;
    show(s, caption, geometry);
  };
  return { element: h('figure', { class: 'train-samples' }, canvas, cap), show: shown, note };
}
