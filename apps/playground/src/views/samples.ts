/** A grid of prior samples: seed, temperature, re-sample; clicking a sample makes it the chosen point. */
import type { App } from '../app';
import { fitScale, h, paint, panel } from '../dom';

const N = 64;
const COLS = 8;
const GAP = 1;
/** On-screen size (px) of the grid's longer side: 28x28 tiles show 3x, 32x32 2x, 64x64 1x. */
const BOX = 720;

export function samplesView(app: App): HTMLElement {
  const canvas = h('canvas', {
    id: 'samples-canvas',
    class: 'pixels clickable',
    title: 'click a sample to choose it',
  });
  const seed = h('input', { id: 'samples-seed', type: 'number', value: 1, min: 0, step: 1 });
  const temp = h('input', {
    id: 'samples-temperature',
    type: 'range',
    min: 0,
    max: 1.5,
    step: 0.05,
    value: 1,
  });
  const tempOut = h('output', { id: 'samples-temperature-value', for: 'samples-temperature' }, '1.00');
  const resample = h('button', { id: 'samples-resample', type: 'button' }, 'Re-sample');
  const note = h('p', { class: 'note' }, 'Click a sample to make it the chosen point.');
  let z: Float32Array = new Float32Array(0);
  let version = 0;

  async function draw(): Promise<void> {
    if (!app.model || !app.geometry()) return;
    const mine = ++version;
    const t = Number(temp.value);
    tempOut.value = t.toFixed(2);
    try {
      const out = await app.sample(N, Number(seed.value) | 0, t);
      if (mine !== version) return; // a newer request superseded this one
      z = out.z;
      const g = await app.grid(out.params, N, COLS, GAP);
      paint(canvas, g.rgba, g.width, g.height, fitScale(g.width, g.height, BOX));
      canvas.dataset.seed = seed.value;
      canvas.dataset.temperature = String(t);
      canvas.dataset.rendered = String(mine);
    } catch (e) {
      app.fail('Sampling failed', e);
    }
  }

  resample.addEventListener('click', () => {
    seed.value = String((Number(seed.value) | 0) + 1);
    void draw();
  });
  seed.addEventListener('change', () => void draw());
  temp.addEventListener('input', () => void draw());
  canvas.addEventListener('click', (e) => {
    const g = app.geometry();
    if (!g || z.length === 0) return;
    const r = canvas.getBoundingClientRect();
    const px = ((e.clientX - r.left) / r.width) * canvas.width;
    const py = ((e.clientY - r.top) / r.height) * canvas.height;
    const col = Math.floor(px / (g.w + GAP));
    const row = Math.floor(py / (g.h + GAP));
    const i = row * COLS + col;
    if (col >= COLS || i >= N) return;
    app.setPoint(z.subarray(i * app.latent, (i + 1) * app.latent));
  });
  app.on('model', () => void draw());
  app.on('label', () => void draw());

  return panel(
    'samples',
    'Prior samples',
    h(
      'div',
      { class: 'controls' },
      h('label', {}, 'seed ', seed),
      h('label', {}, 'temperature ', temp, tempOut),
      resample,
    ),
    canvas,
    note,
  );
}
