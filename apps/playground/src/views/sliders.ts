/**
 * Per-dimension sliders around the chosen latent point, the decoded picture, and a traversal strip
 * of one dimension (the last moved, or the one picked in its menu) that says what it shows. The
 * chosen z downloads as JSON, the strip as PNG.
 */
import type { App } from '../app';
import { fitScale, h, paint, panel, pixelCanvas } from '../dom';
import { downloadButton, saveCanvas, saveJson } from '../download';
import { helpTip } from '../help';

const RANGE = 3;
const MAX_SLIDERS = 32;
/** More sliders than this lay out in two columns (one on narrow screens). */
const ONE_COLUMN = 16;
const TRAVERSE = 9;
/** On-screen sizes (px): the decoded picture (28x28 shows 6x) and the traversal strip (2x). */
const BOX = 180;
const STRIP_BOX = 600;

const signed = (v: number) => (v >= 0 ? `+${v.toFixed(2)}` : v.toFixed(2));

export function slidersView(app: App): HTMLElement {
  const box = h('div', { id: 'sliders-list', class: 'sliders' });
  const canvas = pixelCanvas('sliders-canvas', 1, 1, BOX);
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', 'the chosen point moved by the sliders, decoded');
  const strip = h('canvas', { id: 'sliders-traverse', class: 'pixels', role: 'img' });
  const stripCaption = h('p', { class: 'note', id: 'sliders-traverse-caption' });
  const caption = h('p', { class: 'note', id: 'sliders-caption' });
  const source = h('output', { id: 'point-source' });
  const dimPick = h('select', { id: 'sliders-dim' });
  const reset = h('button', { id: 'sliders-reset', type: 'button' }, 'Reset to chosen point');
  const commit = h('button', { id: 'sliders-commit', type: 'button' }, 'Make this the chosen point');
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
    box.classList.toggle('many', shown > ONE_COLUMN);
    box.style.setProperty('--rows', String(Math.ceil(shown / 2)));
    dimPick.replaceChildren(
      ...Array.from({ length: L }, (_, d) => h('option', { value: d, selected: d === dim }, `z${d}`)),
    );
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
        setDim(d);
        schedule();
      });
      inputs.push(input);
      values.push(out);
      box.append(h('label', { class: 'slider' }, h('span', {}, `z${d}`), input, out));
    }
    caption.textContent =
      `Each slider adds an offset in [-${RANGE}, ${RANGE}] to one dimension of the chosen point; ` +
      'the number is the resulting value' +
      (L > shown ? ` (first ${shown} of ${L} dimensions).` : '.');
  }

  function setDim(d: number): void {
    dim = d;
    dimPick.value = String(d);
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
        inputs[d]!.setAttribute(
          'aria-valuetext',
          `z${d} = ${z[d]!.toFixed(2)} (offset ${signed(Number(inputs[d]!.value))})`,
        );
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
      const [from, to] = [along[0]!.toFixed(2), along[TRAVERSE - 1]!.toFixed(2)];
      stripCaption.textContent =
        `Traversal of z${dim} from ${from} to ${to} (its current value ${z[dim]!.toFixed(2)} ± ${RANGE}) ` +
        `in ${TRAVERSE} steps, the other dimensions as above; the middle picture is the current point.`;
      strip.setAttribute('aria-label', `traversal of z${dim} from ${from} to ${to}`);
      strip.dataset.dim = String(dim);
      strip.dataset.from = String(along[0]);
      strip.dataset.to = String(along[TRAVERSE - 1]);
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
    source.value = `Chosen point: ${app.pointSource}.`;
    schedule();
  };
  reset.addEventListener('click', resetAll);
  commit.addEventListener('click', () => app.setPoint(current(), 'the sliders'));
  dimPick.addEventListener('change', () => {
    setDim(Number(dimPick.value));
    schedule();
  });
  app.on('model', () => {
    dim = 0;
    build();
    resetAll();
  });
  app.on('point', resetAll);
  app.on('label', () => schedule());

  const fail = (what: string) => (e: unknown) => app.fail(`Saving the ${what} failed`, e);
  const saveStrip = downloadButton(
    'sliders-download-strip',
    'Download traversal PNG',
    () => saveCanvas(strip, `vae-traversal-z${dim}.png`),
    fail('traversal'),
  );
  const saveZ = downloadButton(
    'point-download',
    'Download chosen z (JSON)',
    () => saveJson(chosenJson(app), 'vae-z.json'),
    fail('chosen point'),
  );

  return panel(
    'sliders',
    'Latent sliders',
    h('div', { class: 'controls' }, source, ...helpTip('chosen'), saveZ),
    h('div', { class: 'controls' }, reset, commit),
    h('div', { class: 'row' }, box, canvas),
    caption,
    h('div', { class: 'controls' }, h('label', {}, 'traverse ', dimPick), ...helpTip('traversal'), saveStrip),
    strip,
    stripCaption,
  );
}

/** The chosen point as a JSON document: z, where it came from, and which model it belongs to. */
function chosenJson(app: App) {
  const m = app.m.manifest;
  const names = m.condition?.labels ?? m.data.labels;
  const label = m.condition ? { label: app.label, labelName: names?.[app.label] ?? String(app.label) } : {};
  return {
    z: Array.from(app.point),
    latent: app.latent,
    source: app.pointSource,
    ...label,
    bundle: app.source,
    decoderSha256: m.files[m.decoder.file]?.sha256,
    link: location.href,
  };
}
