/**
 * A drawing pad for grey image models: the drawing is centred like MNIST, encoded, reconstructed and
 * scored (−log p(x), placed on the test set's score histogram); its posterior mean becomes the chosen point.
 * Mouse, touch or keyboard (arrow keys move a pen, Space lifts and lowers it). Colour models have no
 * pad (the panel says so; the upload box takes pictures).
 */
import type { BundleManifest } from '@vae/infer-web';
import type { App } from '../app';
import { blank, fitScale, h, paint, panel, pixelCanvas } from '../dom';
import { drawingPixels } from '../drawing';
import { helpTip } from '../help';
import { pixelsToInput } from '../image-input';
import { scoreSettings, scoreText } from '../metrics';
import { eraseFillView } from './erase-fill';
import { scoreHistogram } from './score-histogram';

const PAD = 224;
const BRUSH = 16;
/** On-screen size (px) of the input and reconstruction. */
const BOX = 120;
/** Keyboard pen steps (pad pixels; Shift: the larger). */
const STEP = 8;
const BIG_STEP = 24;

/** What to ask for: "a digit" when the bundle's labels are the digits, else nothing in particular. */
export function drawPrompt(m: BundleManifest | undefined): string {
  const labels = m?.data.labels ?? m?.condition?.labels;
  const digits = labels && labels.length > 0 && labels.every((l) => /^\d$/.test(l));
  return digits ? 'Draw a digit on the pad.' : 'Draw on the pad.';
}

export function drawPadView(app: App): HTMLElement {
  const pad = h('canvas', {
    id: 'draw-pad',
    width: PAD,
    height: PAD,
    class: 'pad',
    tabindex: 0,
    role: 'application',
    'aria-roledescription': 'drawing pad',
    'aria-label':
      'Drawing pad: draw with the mouse, or with the keyboard: arrow keys move the pen, Space puts it down ' +
      'and lifts it (the drawing is encoded when the pen lifts)',
  });
  const pen = h('div', { class: 'pen', 'aria-hidden': 'true' });
  const input = pixelCanvas('draw-input', 1, 1, BOX);
  const recon = pixelCanvas('draw-recon', 1, 1, BOX);
  const clear = h('button', { id: 'draw-clear', type: 'button' }, 'Clear');
  const score = h('output', { id: 'draw-score', 'aria-live': 'polite' });
  const context = h('p', { id: 'draw-context', class: 'note' });
  const hist = scoreHistogram('draw-hist');
  const eraser = eraseFillView(app);
  const ctx = pad.getContext('2d', { willReadFrequently: true })!;
  let drawing = false;
  let last: [number, number] | null = null;
  let version = 0;
  /** The keyboard pen's position (pad pixels). */
  let at: [number, number] = [PAD / 2, PAD / 2];

  /** Empties the pad, the model input, the reconstruction and the score. */
  const wipe = () => {
    version++; // an analysis under way is stale now
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, PAD, PAD);
    blank(input);
    blank(recon);
    score.value = drawPrompt(app.model?.manifest);
    context.textContent = '';
    hist.clear();
    eraser.setInput(null);
    delete score.dataset.score;
  };
  const pos = (e: PointerEvent): [number, number] => {
    const r = pad.getBoundingClientRect();
    return [((e.clientX - r.left) / r.width) * PAD, ((e.clientY - r.top) / r.height) * PAD];
  };
  const stroke = (to: [number, number]) => {
    ctx.strokeStyle = '#fff';
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
      const r = await app.m.reconstruct(x, app.cond());
      const { k, seed } = scoreSettings(app.m.manifest); // the test scores' measure
      const s = await app.m.score(x, k, seed, app.cOpt());
      const p = await app.picture(r.params);
      if (mine !== version) return; // cleared, or a newer drawing
      const shown = app.tile(x, 1, 1, 0);
      paint(input, shown.rgba, shown.width, shown.height, scale);
      paint(recon, p.rgba, p.width, p.height, scale);
      const t = scoreText(app.m.manifest, s[0]!, k);
      score.value = t.score;
      context.textContent = t.context;
      hist.show(app.m.manifest, s[0]!);
      score.dataset.score = String(s[0]);
      app.setPoint(r.loc, 'your drawing');
      eraser.setInput(x);
    } catch (e) {
      app.fail('Encoding the drawing failed', e);
    }
  }

  const end = () => {
    if (!drawing) return;
    drawing = false;
    last = null;
    pen.classList.remove('down');
    void analyse();
  };
  pad.addEventListener('pointerdown', (e) => {
    drawing = true;
    last = null;
    pad.setPointerCapture?.(e.pointerId);
    stroke(pos(e));
  });
  pad.addEventListener('pointermove', (e) => {
    if (drawing) stroke(pos(e));
  });
  pad.addEventListener('pointerup', end);
  pad.addEventListener('pointercancel', end);

  const showPen = () => {
    pen.style.left = `${(100 * at[0]) / PAD}%`;
    pen.style.top = `${(100 * at[1]) / PAD}%`;
  };
  pad.addEventListener('keydown', (e) => {
    const d = e.shiftKey ? BIG_STEP : STEP;
    const move = { ArrowLeft: [-d, 0], ArrowRight: [d, 0], ArrowUp: [0, -d], ArrowDown: [0, d] }[e.key];
    if (move) {
      at = [Math.max(0, Math.min(PAD, at[0] + move[0]!)), Math.max(0, Math.min(PAD, at[1] + move[1]!))];
      if (drawing) stroke(at);
      showPen();
    } else if (e.key === ' ' || e.key === 'Enter') {
      if (drawing) end();
      else {
        drawing = true;
        last = null;
        pen.classList.add('down');
        stroke(at);
      }
    } else if (e.key === 'Escape') end();
    else return;
    e.preventDefault();
  });
  pad.addEventListener('blur', end);
  clear.addEventListener('click', wipe);
  app.on('label', () => void analyse());
  showPen();

  const body = h(
    'div',
    { id: 'draw-body' },
    h('div', { class: 'controls' }, clear),
    h(
      'div',
      { class: 'row' },
      h('div', { class: 'pad-wrap' }, pad, pen),
      h(
        'div',
        { class: 'stack' },
        h('span', {}, 'model input'),
        input,
        h('span', {}, 'reconstruction'),
        recon,
      ),
    ),
    h('p', { class: 'score-line' }, score, ' ', ...helpTip('score')),
    context,
    hist.root,
    eraser.root,
    h(
      'p',
      { class: 'note' },
      'The drawing is encoded, reconstructed from its posterior mean and scored with the importance-sampled ' +
        'bound; its posterior mean becomes the chosen point (ringed on the map). Keyboard: Tab to the pad, ' +
        'arrow keys move the pen, Space puts it down and lifts it.',
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
    wipe();
  });
  wipe();
  return root;
}
