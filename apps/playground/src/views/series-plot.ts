/** SVG line plots for the series view: lines over steps, an optional highlighted window. */

const NS = 'http://www.w3.org/2000/svg';
const W = 720;
const H = 140;
const PAD = 6;

/** One line: its values per step (NaN leaves a gap) and a CSS class. */
export interface Line {
  values: ArrayLike<number>;
  cls: string;
}

function el<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>) {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

/**
 * A plot of lines sharing one y range, with `title` as its accessible name and the steps
 * [from, to) of `band` shaded.
 */
export function linePlot(title: string, lines: readonly Line[], band?: [number, number]): SVGSVGElement {
  const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': title });
  const steps = Math.max(...lines.map((l) => l.values.length), 2);
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const l of lines)
    for (const v of Array.from(l.values))
      if (Number.isFinite(v)) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
  if (!(hi > lo)) [lo, hi] = [Number.isFinite(lo) ? lo - 1 : 0, Number.isFinite(lo) ? lo + 1 : 1];
  const x = (t: number) => PAD + (t / (steps - 1)) * (W - 2 * PAD);
  const y = (v: number) => H - PAD - ((v - lo) / (hi - lo)) * (H - 2 * PAD);
  if (band)
    svg.append(
      el('rect', { class: 'window', x: x(band[0]), y: 0, width: x(band[1] - 1) - x(band[0]), height: H }),
    );
  for (const l of lines) {
    let d = '';
    let pen = false;
    Array.from(l.values).forEach((v, t) => {
      if (!Number.isFinite(v)) return void (pen = false);
      d += `${pen ? 'L' : 'M'}${x(t).toFixed(1)} ${y(v).toFixed(1)}`;
      pen = true;
    });
    svg.append(el('path', { d, class: l.cls, fill: 'none', 'stroke-width': 1.5 }));
  }
  const label = el('text', { x: PAD + 2, y: 14, 'font-size': 12, fill: '#333' });
  label.textContent = `${title}  [${lo.toPrecision(3)}, ${hi.toPrecision(3)}]`;
  svg.append(label);
  return svg;
}
