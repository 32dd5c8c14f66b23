/**
 * Painting the latent map: its frame (map coordinates to canvas pixels), the encoded test examples
 * coloured by label, the crosshair of the last picked position and the ring of the chosen point.
 */
import type { LatentMap } from '../latent-map';

/** Tableau 10. */
export const PALETTE = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
];

/** The colour of label l. */
export const colourOf = (l: number) => PALETTE[((l % PALETTE.length) + PALETTE.length) % PALETTE.length]!;

/** Map coordinates <-> pixels of a square canvas of `size` px with `pad` px of margin. */
export class MapFrame {
  constructor(
    readonly size: number,
    readonly pad: number,
    readonly bounds = { x0: -1, x1: 1, y0: -1, y1: 1 },
  ) {}

  /** The frame that shows every point of `points` ([x, y, x, y, ...]) with 5% margins. */
  static fit(size: number, pad: number, points: Float32Array): MapFrame {
    let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
    for (let i = 0; i < points.length; i += 2) {
      x0 = Math.min(x0, points[i]!);
      x1 = Math.max(x1, points[i]!);
      y0 = Math.min(y0, points[i + 1]!);
      y1 = Math.max(y1, points[i + 1]!);
    }
    const mx = (x1 - x0) * 0.05 || 1;
    const my = (y1 - y0) * 0.05 || 1;
    return new MapFrame(size, pad, { x0: x0 - mx, x1: x1 + mx, y0: y0 - my, y1: y1 + my });
  }

  /** Canvas pixels of map point (x, y) (y grows upwards on the map, downwards in pixels). */
  toPx(x: number, y: number): [number, number] {
    const { size, pad, bounds: b } = this;
    return [
      pad + ((x - b.x0) / (b.x1 - b.x0)) * (size - 2 * pad),
      size - pad - ((y - b.y0) / (b.y1 - b.y0)) * (size - 2 * pad),
    ];
  }

  /** The map point at canvas pixel (px, py). */
  fromPx(px: number, py: number): [number, number] {
    const { size, pad, bounds: b } = this;
    return [
      b.x0 + ((px - pad) / (size - 2 * pad)) * (b.x1 - b.x0),
      b.y0 + ((size - pad - py) / (size - 2 * pad)) * (b.y1 - b.y0),
    ];
  }

  /** Keeps a pixel position inside the plotted area. */
  clamp(px: number, py: number): [number, number] {
    const c = (v: number) => Math.max(this.pad, Math.min(this.size - this.pad, v));
    return [c(px), c(py)];
  }
}

/** A white-and-black ring (visible on any dot colour) around the chosen point. */
function ring(ctx: CanvasRenderingContext2D, x: number, y: number): void {
  for (const [colour, width] of [
    ['#fff', 4],
    ['#000', 1.5],
  ] as const) {
    ctx.strokeStyle = colour;
    ctx.lineWidth = width;
    ctx.beginPath();
    ctx.arc(x, y, 9, 0, 2 * Math.PI);
    ctx.stroke();
  }
  ctx.lineWidth = 1;
}

/** A crosshair in a circle at the last picked position (pixels). */
function crosshair(ctx: CanvasRenderingContext2D, mx: number, my: number): void {
  ctx.strokeStyle = '#000';
  ctx.lineWidth = 2;
  ctx.beginPath();
  ctx.arc(mx, my, 6, 0, 2 * Math.PI);
  ctx.moveTo(mx - 10, my);
  ctx.lineTo(mx + 10, my);
  ctx.moveTo(mx, my - 10);
  ctx.lineTo(mx, my + 10);
  ctx.stroke();
  ctx.lineWidth = 1;
}

/** Paints the whole map: axes through the origin, the points, the crosshair and the ring. */
export function paintMap(
  ctx: CanvasRenderingContext2D,
  frame: MapFrame,
  map: LatentMap | null,
  marker: [number, number] | null,
  chosen: [number, number] | null,
): void {
  const S = frame.size;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, S, S);
  if (!map) return;
  ctx.strokeStyle = '#ddd';
  const [ox, oy] = frame.toPx(0, 0);
  ctx.beginPath();
  ctx.moveTo(ox, 0);
  ctx.lineTo(ox, S);
  ctx.moveTo(0, oy);
  ctx.lineTo(S, oy);
  ctx.stroke();
  ctx.globalAlpha = 0.7;
  for (let i = 0; i < map.points.length / 2; i++) {
    const [px, py] = frame.toPx(map.points[2 * i]!, map.points[2 * i + 1]!);
    ctx.fillStyle = colourOf(map.labels?.[i] ?? 0);
    ctx.fillRect(px - 1.5, py - 1.5, 3, 3);
  }
  ctx.globalAlpha = 1;
  if (marker) crosshair(ctx, ...marker);
  if (chosen) ring(ctx, ...frame.toPx(...chosen));
}
