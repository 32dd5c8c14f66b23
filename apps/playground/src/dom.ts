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

/** A canvas whose backing store is `w` x `h` pixels, shown `scale` times larger and not smoothed. */
export function pixelCanvas(id: string, w: number, hh: number, scale: number): HTMLCanvasElement {
  const c = h('canvas', { id, width: w, height: hh, class: 'pixels' });
  c.style.width = `${w * scale}px`;
  c.style.height = `${hh * scale}px`;
  return c;
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
    canvas.style.height = `${hh * scale}px`;
    // Shrinking by nearest neighbour drops whole rows (a grid's gaps vanish): smooth it instead.
    canvas.style.imageRendering = scale < 1 ? 'auto' : '';
  }
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.putImageData(new ImageData(rgba as Uint8ClampedArray<ArrayBuffer>, w, hh), 0, 0);
}

/** Formats milliseconds for the readout. */
export const ms = (t: number) => (t < 10 ? t.toFixed(2) : t.toFixed(0));
