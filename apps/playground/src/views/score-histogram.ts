/**
 * Where one example's −log p(x) falls among the test set's (the bundle's `testScores`, measured by
 * `vae export` on the same measure the page scores with): a small SVG histogram of the test scores
 * with the example's score marked, and its percentile in words. A bundle without test scores (an
 * older export) gets a one-line note instead.
 */
import { type BundleManifest, scorePercentile } from '@vae/infer-web';
import { h } from '../dom';
import { percentileText } from '../metrics';

const SVG = 'http://www.w3.org/2000/svg';
/** Drawing size (viewBox units; the SVG scales down on narrow screens). */
const W = 300;
const H = 96;
/** Plot area: bars stand on BASE, at most TALL high; MARGIN keeps the marker's label inside. */
const BASE = 70;
const TALL = 56;
const MARGIN = 10;

/** An SVG element with attributes. */
function s<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number>,
  text?: string,
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

/** The histogram view: `show` after each score, `clear` when the example is gone. */
export interface ScoreHistogram {
  readonly root: HTMLElement;
  /** Draws the test scores with `score` marked (or, without `testScores`, the older-bundle note). */
  show(m: BundleManifest, score: number, what?: string): void;
  clear(): void;
}

/**
 * A histogram of the bundle's test scores with one score marked. `id` names the figure; its SVG is
 * `role="img"` with the percentile in its accessible name, and carries `data-percentile`.
 */
export function scoreHistogram(id: string): ScoreHistogram {
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', class: 'score-hist' });
  svg.style.width = '100%';
  svg.style.maxWidth = `${W}px`;
  const caption = h('figcaption', { class: 'note' });
  const old = h('p', { id: `${id}-old`, class: 'note' });
  const figure = h('figure', { id, class: 'score-hist-figure' }, svg, caption);
  figure.style.margin = '8px 0 0';
  const root = h('div', {}, figure, old);

  const clear = () => {
    figure.hidden = true;
    old.hidden = true;
    svg.replaceChildren();
    svg.removeAttribute('aria-label');
    delete svg.dataset.percentile;
  };

  const show = (m: BundleManifest, score: number, what = 'your drawing') => {
    clear();
    const t = m.testScores;
    if (!t) {
      old.hidden = false;
      old.textContent =
        'This bundle has no test-set score distribution (an older export): re-export it with vae export to see where a score falls among the test images.';
      return;
    }
    const { edges, counts } = t.histogram;
    const lo = Math.min(edges[0]!, score);
    const hi = Math.max(edges[edges.length - 1]!, score);
    const x = (v: number) => MARGIN + ((v - lo) / (hi - lo || 1)) * (W - 2 * MARGIN);
    const most = Math.max(...counts);
    counts.forEach((c, b) => {
      const height = (c / most) * TALL;
      const left = x(edges[b]!);
      svg.append(
        s('rect', {
          x: left,
          y: BASE - height,
          width: Math.max(0.5, x(edges[b + 1]!) - left - 0.5),
          height,
          fill: '#9fb3c8',
        }),
      );
    });
    svg.append(
      s('line', { x1: MARGIN, x2: W - MARGIN, y1: BASE, y2: BASE, stroke: '#666', 'stroke-width': 1 }),
    );
    const at = x(score);
    svg.append(
      s('line', { class: 'marker', x1: at, x2: at, y1: 12, y2: BASE, stroke: '#c0392b', 'stroke-width': 2 }),
    );
    const anchor = at < W * 0.2 ? 'start' : at > W * 0.8 ? 'end' : 'middle';
    svg.append(s('text', { x: at, y: 9, 'font-size': 9, 'text-anchor': anchor, fill: '#c0392b' }, what));
    const label = (v: number, xx: number, a: string) =>
      s('text', { x: xx, y: BASE + 12, 'font-size': 9, 'text-anchor': a, fill: '#444' }, v.toFixed(0));
    svg.append(label(lo, MARGIN, 'start'), label(hi, W - MARGIN, 'end'));
    svg.append(
      s(
        'text',
        { x: W / 2, y: BASE + 24, 'font-size': 9, 'text-anchor': 'middle', fill: '#444' },
        '−log p(x), nats',
      ),
    );
    const p = scorePercentile(t, score);
    const words = percentileText(p, t.n);
    svg.dataset.percentile = String(p);
    svg.setAttribute(
      'aria-label',
      `Histogram of ${t.n} test images' −log p(x) (k = ${t.k}); ${what} scores ${score.toFixed(1)} nats, ${words}`,
    );
    caption.textContent = `Bars: the first ${t.n} test images' −log p(x) (k = ${t.k}); red line: ${what}.`;
    figure.hidden = false;
  };

  clear();
  return { root, show, clear };
}
