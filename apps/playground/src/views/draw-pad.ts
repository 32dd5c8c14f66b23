/**
 * A drawing pad for grey image models: the drawing is centred like MNIST, encoded, reconstructed and
 * scored (-log p(x)). Colour models have no pad (the panel says so; the upload box takes pictures).
 */
import type { App } from '../app';
import { fitScale, h, paint, panel, pixelCanvas } from '../dom';
import { pixelsToInput } from '../image-input';

const PAD = 224;
const BRUSH = 16;
/** Importance samples for the anomaly score. */
const K = 64;
/** On-screen size (px) of the input and reconstruction. */
const BOX = 120;

/**
 * The drawing as a w x h RGBA picture: strokes in a (0.7 * size) box, centred by mass (as MNIST was
 * prepared); null for an empty pad.
 */
export function drawingPixels(src: HTMLCanvasElement, w: number, hh: number): Uint8ClampedArray | null {
  const big = src.getContext('2d')!.getImageData(0, 0, src.width, src.height).data;
  let [x0, y0, x1, y1] = [src.width, src.height, -1, -1];
  for (let y = 0; y < src.height; y++)
    for (let x = 0; x < src.width; x++)
      if (big[(y * src.width + x) * 4]! > 20) {
        x0 = Math.min(x0, x);
        x1 = Math.max(x1, x);
        y0 = Math.min(y0, y);
        y1 = Math.max(y1, y);
      }
  if (x1 < 0) return null;
  const small = document.createElement('canvas');
  small.width = w;
  small.height = hh;
  const ctx = small.getContext('2d', { willReadFrequently: true })!;
  ctx.fillStyle = '#000';
  ctx.fillRect(0, 0, w, hh);
  const bw = x1 - x0 + 1;
  const bh = y1 - y0 + 1;
  const s = (0.7 * Math.min(w, hh)) / Math.max(bw, bh);
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(src, x0, y0, bw, bh, (w - bw * s) / 2, (hh - bh * s) / 2, bw * s, bh * s);
  const g = ctx.getImageData(0, 0, w, hh).data;
  // Shift the centre of mass to the centre (as MNIST was prepared).
  let [m, cx, cy] = [0, 0, 0];
  for (let i = 0; i < w * hh; i++) {
    const v = g[i * 4]! / 255;
    m += v;
    cx += v * (i % w);
    cy += v * Math.floor(i / w);
  }
  const dx = Math.round((w - 1) / 2 - cx / m);
  const dy = Math.round((hh - 1) / 2 - cy / m);
  if (!(dx || dy)) return g;
  const copy = ctx.getImageData(0, 0, w, hh);
  ctx.fillRect(0, 0, w, hh);
  ctx.putImageData(copy, dx, dy);
  return ctx.getImageData(0, 0, w, hh).data;
}

export function drawPadView(app: App): HTMLElement {
  const pad = h('canvas', { id: 'draw-pad', width: PAD, height: PAD, class: 'pad' });
  const input = pixelCanvas('draw-input', 1, 1, BOX);
  const recon = pixelCanvas('draw-recon', 1, 1, BOX);
  const clear = h('button', { id: 'draw-clear', type: 'button' }, 'Clear');
  const score = h('output', { id: 'draw-score' }, 'draw a digit');
  const ctx = pad.getContext('2d', { willReadFrequently: true })!;
  let drawing = false;
  let last: [number, number] | null = null;
  let version = 0;

  const blank = () => {
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, PAD, PAD);
    score.value = 'draw a digit';
    delete score.dataset.score;
  };
  const pos = (e: PointerEvent): [number, number] => {
    const r = pad.getBoundingClientRect();
    return [((e.clientX - r.left) / r.width) * PAD, ((e.clientY - r.top) / r.height) * PAD];
  };
  const stroke = (to: [number, number]) => {
    ctx.strokeStyle = '#fff';
    ctx.fillStyle = '#fff';
    ctx.lineWidth = BRUSH;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.beginPath();
    const from = last ?? to;
    ctx.moveTo(from[0], from[1]);
    ctx.lineTo(to[0], to[1]);
    ctx.stroke();
    last = to;
  };

  async function analyse(): Promise<void> {
    const g = app.geometry();
    if (!app.model || !g || g.c !== 1) return;
    const mine = ++version;
    const pixels = drawingPixels(pad, g.w, g.h);
    if (!pixels) return;
    const scale = fitScale(g.w, g.h, BOX);
    try {
      const x = pixelsToInput(pixels, g, app.m.manifest.data);
      const shown = app.tile(x, 1, 1, 0);
      paint(input, shown.rgba, shown.width, shown.height, scale);
      const r = await app.m.reconstruct(x, app.cond());
      const s = await app.m.score(x, K, 7, app.cOpt());
      if (mine !== version) return;
      const p = await app.picture(r.params);
      paint(recon, p.rgba, p.width, p.height, scale);
      const nats = s[0]!;
      score.value = `anomaly score −log p(x) ≈ ${nats.toFixed(1)} nats (k = ${K})`;
      score.dataset.score = String(nats);
      const ref = app.m.manifest.metrics.test_elbo;
      if (ref !== undefined) score.value += ` · test-set −ELBO ${ref.toFixed(1)}`;
      app.setPoint(r.loc);
    } catch (e) {
      app.fail('Encoding the drawing failed', e);
    }
  }

  pad.addEventListener('pointerdown', (e) => {
    drawing = true;
    last = null;
    pad.setPointerCapture?.(e.pointerId);
    stroke(pos(e));
  });
  pad.addEventListener('pointermove', (e) => {
    if (drawing) stroke(pos(e));
  });
  const end = () => {
    if (!drawing) return;
    drawing = false;
    last = null;
    void analyse();
  };
  pad.addEventListener('pointerup', end);
  pad.addEventListener('pointercancel', end);
  clear.addEventListener('click', blank);
  app.on('label', () => void analyse());
  blank();

  const body = h(
    'div',
    { id: 'draw-body' },
    h('div', { class: 'controls' }, clear),
    h(
      'div',
      { class: 'row' },
      pad,
      h(
        'div',
        { class: 'stack' },
        h('span', {}, 'model input'),
        input,
        h('span', {}, 'reconstruction'),
        recon,
      ),
    ),
    h('p', {}, score),
    h(
      'p',
      { class: 'note' },
      'Draw with the mouse; the drawing is encoded, reconstructed from its posterior mean and scored with the importance-sampled bound.',
    ),
  );
  const absent = h('p', { id: 'draw-absent', class: 'note' });
  absent.hidden = true;
  const root = panel('draw', 'Drawing pad', body, absent);
  app.on('model', (model) => {
    const img = model.manifest.data.image;
    // A white-on-black drawing only means something to a grey model; pictures need no pad otherwise.
    root.hidden = !img;
    body.hidden = img?.channels !== 1;
    absent.hidden = !body.hidden;
    absent.textContent = img
      ? `This model sees ${img.channels}-channel (colour) pictures, so there is no drawing pad: try the upload box.`
      : '';
  });
  return root;
}
