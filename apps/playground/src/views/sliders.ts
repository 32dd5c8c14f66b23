/** Per-dimension sliders around the chosen latent point, and a traversal strip of the last moved one. */
import type { App } from '../app';
import { fitScale, h, paint, panel, pixelCanvas } from '../dom';

const RANGE = 3;
const MAX_SLIDERS = 32;
const TRAVERSE = 9;
/** On-screen sizes (px): the decoded picture (28x28 shows 6x) and the traversal strip (2x). */
const BOX = 180;
const STRIP_BOX = 600;

export function slidersView(app: App): HTMLElement {
  const box = h('div', { id: 'sliders-list', class: 'sliders' });
  const canvas = pixelCanvas('sliders-canvas', 1, 1, BOX);
  const strip = h('canvas', { id: 'sliders-traverse', class: 'pixels' });
  const caption = h('p', { class: 'note', id: 'sliders-caption' });
  const reset = h('button', { id: 'sliders-reset', type: 'button' }, 'Reset to chosen point');
  let inputs: HTMLInputElement[] = [];
  let values: HTMLOutputElement[] = [];
  let dim = 0;
  let running = false;
  let dirty = false;

  const current = () => {
    const z = app.point.slice();
    inputs.forEach((el, d) => {
      z[d] = z[d]! + Number(el.value);
    });
    return z;
  };

  function build(): void {
    const L = app.latent;
    const shown = Math.min(L, MAX_SLIDERS);
    inputs = [];
    values = [];
    box.replaceChildren();
    for (let d = 0; d < shown; d++) {
      const input = h('input', {
        type: 'range',
        min: -RANGE,
        max: RANGE,
        step: 0.05,
        value: 0,
        'data-dim': d,
        'aria-label': `z${d} offset`,
      });
      const out = h('output', {});
      input.addEventListener('input', () => {
        dim = d;
        schedule();
      });
      inputs.push(input);
      values.push(out);
      box.append(h('label', { class: 'slider' }, h('span', {}, `z${d}`), input, out));
    }
    caption.textContent =
      `Offsets in [-${RANGE}, ${RANGE}] around the chosen point` +
      (L > shown ? ` (first ${shown} of ${L} dimensions).` : '.');
  }

  function schedule(): void {
    if (running) {
      dirty = true;
      return;
    }
    running = true;
    requestAnimationFrame(() => void draw());
  }

  async function draw(): Promise<void> {
    try {
      if (!app.model || !app.geometry()) return;
      const z = current();
      values.forEach((o, d) => {
        o.value = z[d]!.toFixed(2);
      });
      const out = await app.decode(z);
      const p = await app.picture(out.params);
      paint(canvas, p.rgba, p.width, p.height, fitScale(p.width, p.height, BOX));
      canvas.dataset.z = JSON.stringify(Array.from(z));
      const along = Array.from(
        { length: TRAVERSE },
        (_, i) => z[dim]! + ((i / (TRAVERSE - 1)) * 2 - 1) * RANGE,
      );
      const tr = await app.m.traverse(z, dim, along, app.cond());
      const g = await app.grid(tr.params, TRAVERSE, TRAVERSE, 1);
      paint(strip, g.rgba, g.width, g.height, fitScale(g.width, g.height, STRIP_BOX));
      strip.title = `z${dim} from ${along[0]!.toFixed(2)} to ${along[TRAVERSE - 1]!.toFixed(2)}`;
    } catch (e) {
      app.fail('Decoding the slider point failed', e);
    } finally {
      running = false;
      if (dirty) {
        dirty = false;
        schedule();
      }
    }
  }

  const resetAll = () => {
    for (const el of inputs) el.value = '0';
    schedule();
  };
  reset.addEventListener('click', resetAll);
  app.on('model', () => {
    build();
    dim = 0;
    schedule();
  });
  app.on('point', resetAll);
  app.on('label', () => schedule());

  return panel(
    'sliders',
    'Latent sliders',
    h('div', { class: 'controls' }, reset),
    h('div', { class: 'row' }, box, canvas),
    strip,
    caption,
  );
}
