/**
 * Keyboard and screen-reader access to the tiles of a picture grid painted on a canvas, and the mark
 * of the picked tile: one button per tile laid over the canvas. Pointer events pass through the
 * buttons to the canvas (whose own click handler picks by position); Tab enters the grid at one tile
 * (a roving tabindex), arrow keys, Home and End move between tiles, and Enter or Space picks.
 */
import { h } from './dom';

/** How the tiles sit on the canvas: tile size and gap in canvas pixels, their count and columns. */
export interface TileLayout {
  n: number;
  cols: number;
  w: number;
  h: number;
  gap: number;
}

export interface TilePicker {
  /** The canvas wrapped with the tile buttons over it. */
  element: HTMLElement;
  /** Lays the buttons out for the grid now painted. */
  layout(l: TileLayout): void;
  /** Marks tile i as picked (`aria-pressed`), or none. */
  select(i: number | null): void;
}

/** Wraps `canvas`; `name(i)` labels tile i, `onPick(i)` runs when the keyboard picks it. */
export function tilePicker(
  canvas: HTMLCanvasElement,
  group: string,
  name: (i: number) => string,
  onPick: (i: number) => void,
): TilePicker {
  const layer = h('div', { class: 'tile-layer', role: 'group', 'aria-label': group });
  const element = h('div', { class: 'tiles' }, canvas, layer);
  let buttons: HTMLButtonElement[] = [];
  let cols = 1;
  let picked: number | null = null;
  let shape = '';

  const focus = (i: number) => {
    const b = buttons[Math.max(0, Math.min(buttons.length - 1, i))];
    if (!b) return;
    for (const o of buttons) o.tabIndex = o === b ? 0 : -1;
    b.focus();
  };

  layer.addEventListener('keydown', (e) => {
    const i = buttons.indexOf(e.target as HTMLButtonElement);
    if (i < 0) return;
    const to = {
      ArrowLeft: i - 1,
      ArrowRight: i + 1,
      ArrowUp: i - cols,
      ArrowDown: i + cols,
      Home: 0,
      End: buttons.length - 1,
    }[e.key];
    if (to === undefined || to < 0 || to >= buttons.length) return;
    e.preventDefault();
    focus(to);
  });

  return {
    element,
    layout(l) {
      // The same layout keeps its buttons (and the keyboard focus on one of them).
      const key = `${l.n},${l.cols},${l.w},${l.h},${l.gap}`;
      if (key === shape) return;
      shape = key;
      cols = l.cols;
      const rows = Math.ceil(l.n / l.cols);
      const W = l.cols * (l.w + l.gap) - l.gap;
      const H = rows * (l.h + l.gap) - l.gap;
      const pct = (v: number, of: number) => `${(100 * v) / of}%`;
      buttons = Array.from({ length: l.n }, (_, i) => {
        const [c, r] = [i % l.cols, Math.floor(i / l.cols)];
        const b = h('button', { type: 'button', tabindex: -1, 'aria-label': name(i), 'data-tile': i });
        Object.assign(b.style, {
          left: pct(c * (l.w + l.gap), W),
          top: pct(r * (l.h + l.gap), H),
          width: pct(l.w, W),
          height: pct(l.h, H),
        });
        b.addEventListener('click', () => onPick(i));
        return b;
      });
      layer.replaceChildren(...buttons);
      this.select(picked !== null && picked < l.n ? picked : null);
    },
    select(i) {
      picked = i;
      buttons.forEach((b, k) => {
        b.setAttribute('aria-pressed', String(k === i));
        b.tabIndex = k === (i ?? 0) ? 0 : -1;
      });
    },
  };
}
