/** Pixels from data-space values: RGBA bytes and ImageData for [C, H, W] images (C = 1 grey, 3 RGB). */
import { InferError } from './errors';

/** Geometry of one image; values are channel-major ([C, H, W] flattened), as the manifest's `chw` layout. */
export interface ImageGeometry {
  h: number;
  w: number;
  c: number;
}

export interface RgbaOptions {
  /** Which image of the batch (default 0). */
  index?: number;
  /** Values mapped to 0 and 255 (default [0, 1]); values outside are clamped. */
  range?: readonly [number, number];
}

/**
 * RGBA bytes (h * w * 4, row-major, alpha 255) of image `index` of `values` ([n, c, h, w] flat).
 * One channel is grey; three are RGB; otherwise the first channel is shown as grey.
 */
export function toRGBA(
  values: ArrayLike<number>,
  geom: ImageGeometry,
  opts: RgbaOptions = {},
): Uint8ClampedArray {
  const { h, w, c } = geom;
  const size = h * w * c;
  const index = opts.index ?? 0;
  const [lo, hi] = opts.range ?? [0, 1];
  if (!(Number.isInteger(index) && index >= 0 && (index + 1) * size <= values.length))
    throw new InferError(
      'input',
      `toRGBA: image ${index} of ${c}x${h}x${w} is outside ${values.length} values`,
    );
  const scale = 255 / (hi - lo);
  const out = new Uint8ClampedArray(h * w * 4);
  const o = index * size;
  const plane = h * w;
  for (let p = 0; p < plane; p++) {
    for (let k = 0; k < 3; k++) {
      const ch = c === 3 ? k : 0;
      out[p * 4 + k] = Math.round((values[o + ch * plane + p]! - lo) * scale); // clamped by the array type
    }
    out[p * 4 + 3] = 255;
  }
  return out;
}

/** An ImageData of image `index` (browsers and workers; throws `unsupported` where ImageData is absent). */
export function toImageData(
  values: ArrayLike<number>,
  geom: ImageGeometry,
  opts: RgbaOptions = {},
): ImageData {
  const Ctor = (globalThis as { ImageData?: typeof ImageData }).ImageData;
  if (!Ctor) throw new InferError('unsupported', 'ImageData is not available here (use toRGBA)');
  return new Ctor(toRGBA(values, geom, opts) as Uint8ClampedArray<ArrayBuffer>, geom.w, geom.h);
}

/** Tiles images 0..n-1 into one RGBA picture with `cols` columns (a sample grid as one image). */
export function gridRGBA(
  values: ArrayLike<number>,
  geom: ImageGeometry,
  n: number,
  cols: number,
  opts: Omit<RgbaOptions, 'index'> & { gap?: number } = {},
): { rgba: Uint8ClampedArray; width: number; height: number } {
  const gap = opts.gap ?? 0;
  const rows = Math.ceil(n / cols);
  const width = cols * geom.w + (cols - 1) * gap;
  const height = rows * geom.h + (rows - 1) * gap;
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < n; i++) {
    const img = toRGBA(values, geom, { ...opts, index: i });
    const x0 = (i % cols) * (geom.w + gap);
    const y0 = Math.floor(i / cols) * (geom.h + gap);
    for (let y = 0; y < geom.h; y++)
      rgba.set(img.subarray(y * geom.w * 4, (y + 1) * geom.w * 4), ((y0 + y) * width + x0) * 4);
  }
  return { rgba, width, height };
}
