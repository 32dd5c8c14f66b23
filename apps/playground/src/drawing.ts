/** A drawing pad's strokes as a picture of the model's size, prepared as MNIST was. */

/**
 * The drawing as a w x h RGBA picture: strokes in a (0.7 * size) box, centred by mass (as MNIST was
 * prepared); null for an empty pad.
 */
export function drawingPixels(src: HTMLCanvasElement, w: number, hh: number): Uint8ClampedArray | null {
  const big = src.getContext('2d')!.getImageData(0, 0, src.width, src.height).data;
  let [x0, y0, x1, y1] = [src.width, src.height, -1, -1];
  for (let y = 0; y < src.height; y++)
    for (let x = 0; x < src.width; x++)
      if (big[(y * src.width + x) * 4]! > 20) {
        x0 = Math.min(x0, x);
        x1 = Math.max(x1, x);
        y0 = Math.min(y0, y);
        y1 = Math.max(y1, y);
      }
  if (x1 < 0) return null;
  const small = document.createElement('canvas');
  small.width = w;
  small.height = hh;
  const ctx = small.getContext('2d', { willReadFrequently: true })!;
  ctx.fillStyle = '#000';
  ctx.fillRect(0, 0, w, hh);
  const bw = x1 - x0 + 1;
  const bh = y1 - y0 + 1;
  const s = (0.7 * Math.min(w, hh)) / Math.max(bw, bh);
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(src, x0, y0, bw, bh, (w - bw * s) / 2, (hh - bh * s) / 2, bw * s, bh * s);
  const g = ctx.getImageData(0, 0, w, hh).data;
  // Shift the centre of mass to the centre (as MNIST was prepared).
  let [m, cx, cy] = [0, 0, 0];
  for (let i = 0; i < w * hh; i++) {
    const v = g[i * 4]! / 255;
    m += v;
    cx += v * (i % w);
    cy += v * Math.floor(i / w);
  }
  const dx = Math.round((w - 1) / 2 - cx / m);
  const dy = Math.round((hh - 1) / 2 - cy / m);
  if (!(dx || dy)) return g;
  const copy = ctx.getImageData(0, 0, w, hh);
  ctx.fillRect(0, 0, w, hh);
  ctx.putImageData(copy, dx, dy);
  return ctx.getImageData(0, 0, w, hh).data;
}
