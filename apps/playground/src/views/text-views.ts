/**
 * Text views for text bundles (`data.kind: 'text'`): strings drawn from the prior with a seed and a
 * softmax temperature (0: greedy, as `vae sample --temperature 0`), and a greedy interpolation
 * between two typed words (as `vae interp --from --to`). They replace the picture views (sequence.css).
 */
import type { App } from '../app';
import { h, panel } from '../dom';
import './sequence.css';

/** Strings per draw. */
export const TEXT_SAMPLES = 8;

/** An ordered list of strings; each item keeps the raw string in `data-value` (for tests). */
function fill(list: HTMLOListElement, strings: readonly string[]): void {
  list.replaceChildren(
    ...strings.map((s) =>
      h('li', { 'data-value': s }, s === '' ? h('span', { class: 'note' }, '(empty)') : s),
    ),
  );
  list.dataset.rendered = String(Number(list.dataset.rendered ?? 0) + 1);
}

/** The sampled-strings panel: seed, temperature slider and a Sample button. */
function samplesPanel(app: App): HTMLElement {
  const seed = h('input', { id: 'text-seed', type: 'number', value: 1, min: 0, step: 1 });
  const temp = h('input', { id: 'text-temperature', type: 'range', min: 0, max: 2, step: 0.1, value: 1 });
  const tempOut = h('output', { id: 'text-temperature-value', for: 'text-temperature' }, '1.0');
  const go = h('button', { id: 'text-sample', type: 'button' }, 'Sample');
  const list = h('ol', { id: 'text-samples-list', class: 'text-lines', 'aria-live': 'polite' });
  let version = 0;

  async function draw(): Promise<void> {
    if (app.model?.manifest.data.kind !== 'text') return;
    const mine = ++version;
    const t = Number(temp.value);
    try {
      const strings = await app.m.sampleText(TEXT_SAMPLES, Number(seed.value) | 0, { temperature: t });
      if (mine !== version) return;
      list.dataset.seed = seed.value;
      list.dataset.temperature = String(t);
      fill(list, strings);
    } catch (e) {
      app.fail('Sampling text failed', e);
    }
  }
  temp.addEventListener('input', () => {
    tempOut.textContent = Number(temp.value).toFixed(1);
  });
  go.addEventListener('click', () => void draw());
  app.on('model', () => void draw());
  return panel(
    'text-samples',
    'Sampled strings',
    h(
      'div',
      { class: 'controls' },
      h('label', {}, 'seed ', seed),
      h('label', {}, 'temperature ', temp, ' ', tempOut),
      go,
    ),
    list,
    h('p', { class: 'note' }, 'z from the prior, then each character drawn at this temperature (0: greedy).'),
  );
}

/** The interpolation panel: two words, the number of steps, greedy decoding of each point. */
function interpPanel(app: App): HTMLElement {
  const from = h('input', { id: 'text-from', type: 'text', value: 'cat', maxlength: 64 });
  const to = h('input', { id: 'text-to', type: 'text', value: 'dog', maxlength: 64 });
  const steps = h('input', { id: 'text-steps', type: 'number', value: 6, min: 2, max: 32, step: 1 });
  const go = h('button', { id: 'text-interpolate', type: 'button' }, 'Interpolate');
  const list = h('ol', { id: 'text-interp-list', class: 'text-lines', 'aria-live': 'polite' });

  async function run(): Promise<void> {
    if (app.model?.manifest.data.kind !== 'text') return;
    try {
      const n = Math.min(32, Math.max(2, Number(steps.value) | 0));
      fill(list, await app.m.interpolateText(from.value, to.value, n));
    } catch (e) {
      app.fail('Interpolating text failed', e);
    }
  }
  go.addEventListener('click', () => void run());
  app.on('model', () => void run());
  return panel(
    'text-interp',
    'Interpolate between two words',
    h(
      'div',
      { class: 'controls' },
      h('label', {}, 'from ', from),
      h('label', {}, 'to ', to),
      h('label', {}, 'steps ', steps),
      go,
    ),
    list,
    h(
      'p',
      { class: 'note' },
      'Posterior means of both words, slerp between them, each point decoded greedily.',
    ),
  );
}

/** Both text panels in one container (hidden unless a text bundle is loaded). */
export function textViews(app: App): HTMLElement {
  return h('div', { class: 'text-views' }, samplesPanel(app), interpPanel(app));
}
