/** Tiny DOM helpers: element creation and painting RGBA pixels onto canvases. */

type Attrs = Record<string, string | number | boolean | undefined>;

/** `h('button', { class: 'x' }, 'text', child)`: an element with attributes and children. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    el.setAttribute(k, v === true ? '' : String(v));
  }
  el.append(...children);
  return el;
}

/** A section with a heading, the layout unit of every view. */
export function panel(id: string, title: string, ...children: (Node | string)[]): HTMLElement {
  return h(
    'section',
    { id, class: 'panel', 'aria-labelledby': `${id}-title` },
    h('h2', { id: `${id}-title` }, title),
    ...children,
  );
}

/**
 * A canvas whose backing store is `w` x `h` pixels, shown `scale` times larger and not smoothed. Only
 * its CSS width is set: the height follows the backing store's aspect ratio, so the stylesheet's
 * `max-width: 100%` can shrink it on a narrow screen.
 */
export function pixelCanvas(id: string, w: number, hh: number, scale: number): HTMLCanvasElement {
  const c = h('canvas', { id, width: w, height: hh, class: 'pixels' });
  c.style.width = `${w * scale}px`;
  return c;
}

/** Empties a canvas (its CSS background shows) and forgets what the tests read from its dataset. */
export function blank(canvas: HTMLCanvasElement): void {
  canvas.getContext('2d')?.clearRect(0, 0, canvas.width, canvas.height);
  for (const k of Object.keys(canvas.dataset)) delete canvas.dataset[k];
}

/**
 * A latent vector as a list of `z3 -0.41` items that wrap between items, never inside a number
 * (`digits` after the point).
 */
export function latentList(id: string, z: ArrayLike<number>, digits = 2): HTMLOListElement {
  const items = Array.from(z, (v, d) =>
    h('li', {}, h('span', { class: 'dim' }, `z${d}`), ` ${v.toFixed(digits)}`),
  );
  return h('ol', { id, class: 'zlist' }, ...items);
}

/**
 * The CSS scale that shows a w x h picture about `box` px along its longer side: a whole number
 * when the picture is smaller than the box (every pixel the same square block: crisp), else the
 * fraction that shrinks it into the box.
 */
export function fitScale(w: number, hh: number, box: number): number {
  const s = box / Math.max(w, hh, 1);
  return s >= 1 ? Math.floor(s) : s;
}

/** Paints RGBA bytes (w x h) onto a canvas, resizing its backing store to fit. */
export function paint(
  canvas: HTMLCanvasElement,
  rgba: Uint8ClampedArray,
  w: number,
  hh: number,
  scale?: number,
): void {
  if (canvas.width !== w || canvas.height !== hh) {
    canvas.width = w;
    canvas.height = hh;
  }
  if (scale) {
    canvas.style.width = `${w * scale}px`;
    // Shrinking by nearest neighbour drops whole rows (a grid's gaps vanish): smooth it instead.
    canvas.style.imageRendering = scale < 1 ? 'auto' : '';
  }
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.putImageData(new ImageData(rgba as Uint8ClampedArray<ArrayBuffer>, w, hh), 0, 0);
}

/** Formats milliseconds for the readout. */
export const ms = (t: number) => (t < 10 ? t.toFixed(2) : t.toFixed(0));
