/** An interpolation strip between two picked latent points (slerp by default), and its PNG. */
import type { App } from '../app';
import { fitScale, h, paint, panel } from '../dom';
import { downloadButton, saveCanvas } from '../download';
import { helpTip } from '../help';

const STEPS = 10;
const GAP = 1;
/** On-screen width (px) of the strip: 28x28 and 32x32 tiles show 2x. */
const BOX = 660;

export function interpolateView(app: App): HTMLElement {
  const canvas = h('canvas', {
    id: 'interp-canvas',
    class: 'pixels',
    role: 'img',
    'aria-label': `${STEPS} decoded points from A (left) to B (right)`,
  });
  const mode = h(
    'select',
    { id: 'interp-mode' },
    h('option', { value: 'slerp', selected: true }, 'slerp'),
    h('option', { value: 'lerp' }, 'lerp'),
  );
  const setA = h('button', { id: 'interp-set-a', type: 'button' }, 'A ← chosen point');
  const setB = h('button', { id: 'interp-set-b', type: 'button' }, 'B ← chosen point');
  const swap = h('button', { id: 'interp-swap', type: 'button' }, 'Swap');
  let version = 0;

  async function draw(): Promise<void> {
    if (!app.model || !app.geometry()) return;
    const mine = ++version;
    try {
      const t0 = performance.now();
      const out = await app.m.interpolate(app.a, app.b, STEPS, mode.value as 'slerp' | 'lerp', app.cond());
      if (mine !== version) return;
      const g = await app.grid(out.params, STEPS, STEPS, GAP);
      paint(canvas, g.rgba, g.width, g.height, fitScale(g.width, g.height, BOX));
      canvas.dataset.ms = String(performance.now() - t0);
      canvas.dataset.rendered = String(mine);
    } catch (e) {
      app.fail('Interpolation failed', e);
    }
  }

  setA.addEventListener('click', () => app.setEnd('a', app.point));
  setB.addEventListener('click', () => app.setEnd('b', app.point));
  swap.addEventListener('click', () => {
    const { a, b } = app;
    app.a = b;
    app.setEnd('b', a);
  });
  mode.addEventListener('change', () => void draw());
  app.on('model', () => void draw());
  app.on('label', () => void draw());
  app.on('ends', () => void draw());

  const download = downloadButton(
    'interp-download',
    'Download PNG',
    () => saveCanvas(canvas, `vae-interpolation-${mode.value}.png`),
    (e) => app.fail('Saving the interpolation failed', e),
  );

  return panel(
    'interpolate',
    'Interpolation',
    h(
      'div',
      { class: 'controls' },
      setA,
      setB,
      swap,
      h('label', {}, 'path ', mode),
      ...helpTip('slerp'),
      download,
    ),
    canvas,
    h(
      'p',
      { class: 'note' },
      `${STEPS} points from A (left) to B (right), decoded in one batch; the endpoints are exact. ` +
        'The buttons copy the chosen point into A or B.',
    ),
  );
}
