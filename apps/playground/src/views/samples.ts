/**
 * A grid of prior samples: seed, temperature, re-sample, and a PNG download. Clicking a sample (or
 * picking it with the keyboard) makes it the chosen point; the tile whose z is the chosen point is
 * outlined, also when that point came from the page address.
 */
import type { App } from '../app';
import { fitScale, h, paint, panel } from '../dom';
import { downloadButton, saveCanvas } from '../download';
import { markFirstPicture } from '../first-picture/marks';
import type { Preview } from '../first-picture/preview';
import { helpTip } from '../help';
import { tileValues } from '../tile';
import { tilePicker } from '../tile-picker';
import { TEMPERATURE_RANGE } from '../view-state';

/** Samples in the grid (the start-up's interpreter decodes as many). */
export const SAMPLES_N = 64;
const N = SAMPLES_N;
const COLS = 8;
const GAP = 1;
/** On-screen size (px) of the grid's longer side: 28x28 tiles show 3x, 32x32 2x, 64x64 1x. */
const BOX = 720;

/** Index of the row of `rows` ([n, L]) equal to z, or null. */
function rowOf(rows: Float32Array, z: Float32Array): number | null {
  const L = z.length;
  if (L === 0) return null;
  for (let i = 0; i * L < rows.length; i++) if (z.every((v, d) => rows[i * L + d] === v)) return i;
  return null;
}

export function samplesView(app: App): HTMLElement {
  const canvas = h('canvas', { id: 'samples-canvas', class: 'pixels clickable', 'aria-hidden': 'true' });
  const seed = h('input', { id: 'samples-seed', type: 'number', value: app.seed, min: 0, step: 1 });
  const temp = h('input', {
    id: 'samples-temperature',
    type: 'range',
    min: TEMPERATURE_RANGE[0],
    max: TEMPERATURE_RANGE[1],
    step: 0.05,
    value: app.temperature,
  });
  const tempOut = h('output', { id: 'samples-temperature-value', for: 'samples-temperature' });
  const resample = h('button', { id: 'samples-resample', type: 'button' }, 'Re-sample');
  let z: Float32Array = new Float32Array(0);
  let version = 0;

  const pick = (i: number) => {
    if (i >= z.length / Math.max(app.latent, 1)) return;
    app.setPoint(z.subarray(i * app.latent, (i + 1) * app.latent), `sample ${i + 1} (seed ${app.seed})`);
  };
  const tiles = tilePicker(
    canvas,
    'Prior samples: arrow keys move, Enter chooses',
    (i) => `sample ${i + 1} (row ${Math.floor(i / COLS) + 1}, column ${(i % COLS) + 1})`,
    pick,
  );
  const mark = () => tiles.select(rowOf(z, app.point));

  async function draw(): Promise<void> {
    const g = app.geometry();
    if (!app.model || !g) return;
    const mine = ++version;
    const t = app.temperature;
    tempOut.value = t.toFixed(2);
    temp.setAttribute('aria-valuetext', `temperature ${t.toFixed(2)}`);
    try {
      const out = await app.sample(N, app.seed, t);
      if (mine !== version) return; // a newer request superseded this one
      z = out.z;
      const grid = await app.grid(out.params, N, COLS, GAP);
      paint(canvas, grid.rgba, grid.width, grid.height, fitScale(grid.width, grid.height, BOX));
      markFirstPicture('ort');
      tiles.layout({ n: N, cols: COLS, w: g.w, h: g.h, gap: GAP });
      mark();
      canvas.dataset.seed = String(app.seed);
      canvas.dataset.temperature = String(t);
      canvas.dataset.rendered = String(mine);
    } catch (e) {
      app.fail('Sampling failed', e);
    }
  }

  // The start-up's grid (interpreter), shown until the model draws its own: a picture only (the
  // tiles cannot be picked before a model is in use).
  const preview = (p: Preview) => {
    if (version !== 0 || app.model || p.seed !== app.seed || p.temperature !== app.temperature) return;
    const grid = tileValues(p.manifest, p.values, N, COLS, GAP);
    document.documentElement.dataset.firstPicture = 'interpreter'; // style.css shows this panel alone
    paint(canvas, grid.rgba, grid.width, grid.height, fitScale(grid.width, grid.height, BOX));
    markFirstPicture('interpreter');
  };

  const setSampling = () => app.setSampling(Math.max(0, Number(seed.value) | 0), Number(temp.value) || 0);
  resample.addEventListener('click', () => app.setSampling(app.seed + 1, app.temperature));
  seed.addEventListener('change', setSampling);
  temp.addEventListener('input', setSampling);
  canvas.addEventListener('click', (e) => {
    const g = app.geometry();
    if (!g || z.length === 0) return;
    const r = canvas.getBoundingClientRect();
    const col = Math.floor((((e.clientX - r.left) / r.width) * canvas.width) / (g.w + GAP));
    const row = Math.floor((((e.clientY - r.top) / r.height) * canvas.height) / (g.h + GAP));
    if (col < COLS && row * COLS + col < N) pick(row * COLS + col);
  });
  app.on('sampling', (s) => {
    seed.value = String(s.seed);
    if (Number(temp.value) !== s.temperature) temp.value = String(s.temperature);
    void draw();
  });
  app.on('point', mark);
  app.on('preview', preview);
  app.on('model', () => void draw());
  app.on('label', () => void draw());
  const download = downloadButton(
    'samples-download',
    'Download PNG',
    () => saveCanvas(canvas, `vae-samples-seed${app.seed}-t${app.temperature}.png`),
    (e) => app.fail('Saving the samples failed', e),
  );

  return panel(
    'samples',
    'Prior samples',
    h(
      'div',
      { class: 'controls' },
      h('label', {}, 'seed ', seed),
      ...helpTip('seed'),
      h('label', {}, 'temperature ', temp, tempOut),
      ...helpTip('temperature'),
      resample,
      download,
    ),
    tiles.element,
    h(
      'p',
      { class: 'note' },
      'Each tile decodes a z drawn from the prior. Click one (or Tab to the grid, then arrow keys and ' +
        'Enter) to make it the chosen point; it stays outlined.',
    ),
  );
}
