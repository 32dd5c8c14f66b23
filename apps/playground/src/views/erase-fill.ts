/**
 * Erase and fill, under the drawing pad: the drawing's model input is shown large; the user erases
 * pixels of it (a brush, or the centre / bottom-half buttons) and the model fills them with
 * E[x_mis | x_obs] (infer-web's `inpaint`: Metropolis-within-Gibbs over the bundle's own graphs, the
 * chain `vae impute --method gibbs` runs). Shows the input with the erased pixels in red and the
 * filled picture; observed pixels are the input's own.
 */
import type { App } from '../app';
import { blank, h, paint, pixelCanvas } from '../dom';

/** On-screen size (px) of the erasable picture and of the filled one. */
const BOX = 168;
/** Sampler iterations (half burn-in): under a second for one 28x28 picture. */
const ITERS = 100;
/** The marker colour of erased pixels. */
const RED = [255, 0, 0] as const;

/** The view and what the pad tells it. */
export interface EraseFill {
  readonly root: HTMLElement;
  /** The drawing's new model input ([C, H, W] in data space), or null when the pad is empty. */
  setInput(x: Float32Array | null): void;
}

export function eraseFillView(app: App): EraseFill {
  const picture = pixelCanvas('erase-input', 1, 1, 1);
  // A crosshair for the brush; no scrolling while a finger erases.
  picture.style.cursor = 'crosshair';
  picture.style.touchAction = 'none';
  picture.setAttribute('role', 'img');
  picture.setAttribute('aria-label', 'The drawing as the model sees it: drag over it to erase pixels');
  const filled = pixelCanvas('erase-filled', 1, 1, 1);
  const centre = h('button', { id: 'erase-centre', type: 'button' }, 'Erase the centre');
  const bottom = h('button', { id: 'erase-bottom', type: 'button' }, 'Erase the bottom half');
  const reset = h('button', { id: 'erase-reset', type: 'button' }, 'Restore');
  const status = h('output', { id: 'erase-status', 'aria-live': 'polite' });
  let x: Float32Array | null = null;
  let missing: Float32Array | null = null;
  let version = 0;
  let erasing = false;

  const geometry = () => app.geometry()!;
  /** The input with its erased pixels in red (a grey model's picture is grey, so red stands out). */
  const drawMasked = () => {
    if (!x || !missing) return blank(picture);
    const g = geometry();
    const tile = app.tile(x, 1, 1, 0);
    const rgba = tile.rgba.slice();
    for (let p = 0; p < g.w * g.h; p++) if (missing[p]) rgba.set([...RED, 255], p * 4);
    paint(picture, rgba, tile.width, tile.height, BOX / Math.max(g.w, g.h));
  };
  const erased = () => (missing ? missing.reduce((a, v) => a + v, 0) : 0);
  const setButtons = () => {
    for (const b of [centre, bottom, reset]) b.disabled = !x;
  };

  async function fill(): Promise<void> {
    if (!x || !missing) return;
    const mine = ++version;
    const g = geometry();
    const count = erased() / g.c;
    if (count === 0) {
      blank(filled);
      status.value = 'Drag over the picture (or use a button) to erase pixels; the model fills them.';
      return;
    }
    status.value = 'Filling…';
    try {
      const r = await app.m.inpaint(x, missing, { iters: ITERS, key: 1, ...app.cOpt() });
      if (mine !== version) return; // erased more, or a new drawing
      const tile = app.tile(r.filled, 1, 1, 0);
      paint(filled, tile.rgba, tile.width, tile.height, BOX / Math.max(g.w, g.h));
      filled.dataset.rendered = String(mine);
      status.value = `Filled ${count} erased pixel${count === 1 ? '' : 's'} (Metropolis-within-Gibbs, ${ITERS} iterations, ${Math.round(r.acceptance * 100)}% of proposals accepted).`;
    } catch (e) {
      app.fail('Filling the erased pixels failed', e);
    }
  }

  /** Marks pixels missing in every channel; `pick(px, py)` says which. */
  const erase = (pick: (px: number, py: number) => boolean) => {
    if (!x || !missing) return;
    const g = geometry();
    for (let py = 0; py < g.h; py++)
      for (let px = 0; px < g.w; px++)
        if (pick(px, py)) for (let c = 0; c < g.c; c++) missing[c * g.w * g.h + py * g.w + px] = 1;
    drawMasked();
  };
  /** A round brush about a tenth of the picture wide, at a pointer position. */
  const brush = (e: PointerEvent) => {
    const g = geometry();
    const r = picture.getBoundingClientRect();
    const cx = ((e.clientX - r.left) / r.width) * g.w;
    const cy = ((e.clientY - r.top) / r.height) * g.h;
    const rad = Math.max(1, Math.max(g.w, g.h) / 20);
    erase((px, py) => (px + 0.5 - cx) ** 2 + (py + 0.5 - cy) ** 2 <= rad * rad);
  };
  picture.addEventListener('pointerdown', (e) => {
    if (!x) return;
    erasing = true;
    picture.setPointerCapture?.(e.pointerId);
    brush(e);
  });
  picture.addEventListener('pointermove', (e) => {
    if (erasing) brush(e);
  });
  const done = () => {
    if (!erasing) return;
    erasing = false;
    void fill();
  };
  picture.addEventListener('pointerup', done);
  picture.addEventListener('pointercancel', done);
  centre.addEventListener('click', () => {
    const g = geometry();
    const [w4, h4] = [g.w / 4, g.h / 4];
    erase((px, py) => px >= w4 && px < 3 * w4 && py >= h4 && py < 3 * h4);
    void fill();
  });
  bottom.addEventListener('click', () => {
    erase((_px, py) => py >= geometry().h / 2);
    void fill();
  });
  reset.addEventListener('click', () => {
    if (x) missing = new Float32Array(x.length);
    version++;
    drawMasked();
    blank(filled);
    status.value = '';
  });

  const root = h(
    'div',
    { id: 'erase-fill', class: 'erase-fill' },
    h('h3', {}, 'Erase and fill'),
    h('div', { class: 'controls' }, centre, bottom, reset),
    h(
      'div',
      { class: 'row' },
      h('div', { class: 'stack' }, h('span', {}, 'erased (red)'), picture),
      h('div', { class: 'stack' }, h('span', {}, 'filled by the model'), filled),
    ),
    h('p', {}, status),
    h(
      'p',
      { class: 'note' },
      'Erased pixels are filled with their expected value given the pixels you kept, from a Metropolis-within-Gibbs ' +
        'chain over the model (propose a code from the encoder, accept or reject it, redraw the erased pixels; ' +
        `${ITERS} rounds, the last half averaged). Kept pixels are shown as they were.`,
    ),
  );
  const setInput = (next: Float32Array | null) => {
    version++;
    x = next;
    missing = next ? new Float32Array(next.length) : null;
    drawMasked();
    blank(filled);
    status.value = next
      ? 'Drag over the picture (or use a button) to erase pixels; the model fills them.'
      : '';
    setButtons();
    root.hidden = !next; // shown once there is a drawing to erase
  };
  setInput(null);
  return { root, setInput };
}
