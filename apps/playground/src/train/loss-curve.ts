/**
 * The live loss curve of the "Train here" panel: an SVG line of the per-step training loss (−ELBO in
 * nats per example, as the step graph reports it), with its range and step count in words for screen
 * readers. Long runs are thinned to at most MAX_POINTS points (every k-th step's mean), so redrawing
 * stays cheap however long training goes.
 */
const NS = 'http://www.w3.org/2000/svg';
const W = 360;
const H = 140;
const PAD = { left: 44, right: 8, top: 8, bottom: 22 };
const MAX_POINTS = 400;

/** Per-step losses (in order of steps) and the step number of the first one. */
export interface LossSeries {
  first: number;
  losses: number[];
}

const svg = <K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>) => {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
};

/** Means of consecutive groups of `values` so that at most `max` remain, with the groups' size. */
export function thin(values: readonly number[], max = MAX_POINTS): { points: number[]; every: number } {
  const every = Math.max(1, Math.ceil(values.length / max));
  if (every === 1) return { points: values.slice(), every };
  const points: number[] = [];
  for (let i = 0; i < values.length; i += every) {
    const group = values.slice(i, i + every);
    points.push(group.reduce((s, v) => s + v, 0) / group.length);
  }
  return { points, every };
}

/** The vertical range: all the points (the first steps' large losses included). */
export function lossRange(values: readonly number[]): [number, number] {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return [0, 1];
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  return hi > lo ? [lo, hi] : [lo - 1, lo + 1];
}

/** The curve's element and a function that redraws it from a series. */
export function lossCurve(id: string): { element: HTMLElement; draw(series: LossSeries): void } {
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', class: 'loss-curve' });
  root.id = id;
  const title = svg('title', {});
  const frame = svg('rect', {
    x: PAD.left,
    y: PAD.top,
    width: W - PAD.left - PAD.right,
    height: H - PAD.top - PAD.bottom,
    class: 'frame',
  });
  const line = svg('polyline', { points: '', class: 'line' });
  const labels = [0, 1, 2, 3].map(() => svg('text', { class: 'tick' }));
  root.append(title, frame, line, ...labels);
  const box = document.createElement('div');
  box.className = 'loss-box';
  box.append(root);

  const draw = ({ first, losses }: LossSeries) => {
    const n = losses.length;
    root.dataset.steps = String(n);
    if (n === 0) {
      line.setAttribute('points', '');
      labels.forEach((l) => {
        l.textContent = '';
      });
      title.textContent = 'Training loss: no steps yet';
      root.setAttribute('aria-label', title.textContent);
      return;
    }
    const { points, every } = thin(losses);
    const [lo, hi] = lossRange(points);
    const iw = W - PAD.left - PAD.right;
    const ih = H - PAD.top - PAD.bottom;
    const x = (i: number) => PAD.left + (points.length === 1 ? iw / 2 : (i / (points.length - 1)) * iw);
    const y = (v: number) => PAD.top + ih - ((Math.min(Math.max(v, lo), hi) - lo) / (hi - lo)) * ih;
    line.setAttribute('points', points.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' '));
    const place = (el: SVGTextElement, tx: number, ty: number, anchor: string, text: string) => {
      el.setAttribute('x', String(tx));
      el.setAttribute('y', String(ty));
      el.setAttribute('text-anchor', anchor);
      el.textContent = text;
    };
    const last = first + n - 1;
    place(labels[0]!, PAD.left - 4, PAD.top + 10, 'end', hi.toFixed(0));
    place(labels[1]!, PAD.left - 4, H - PAD.bottom, 'end', lo.toFixed(0));
    place(labels[2]!, PAD.left, H - 6, 'start', `step ${first}`);
    place(labels[3]!, W - PAD.right, H - 6, 'end', `step ${last}`);
    const latest = losses.slice(-Math.min(n, 20));
    const recent = latest.reduce((s, v) => s + v, 0) / latest.length;
    title.textContent =
      `Training loss (−ELBO, nats per example) over steps ${first} to ${last}: ` +
      `from ${losses[0]!.toFixed(1)} to ${recent.toFixed(1)} (mean of the last ${latest.length})` +
      (every > 1 ? `; each point is the mean of ${every} steps` : '');
    root.setAttribute('aria-label', title.textContent);
    root.dataset.latest = String(recent);
  };
  draw({ first: 1, losses: [] });
  return { element: box, draw };
}
