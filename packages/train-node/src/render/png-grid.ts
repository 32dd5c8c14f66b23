import { dirname } from 'node:path';
import { PNG } from 'pngjs';
import { writeFileAtomic } from '../checkpoint/atomic';
import { makeDirs } from '../checkpoint/make-dirs';
import { UsageError } from './errors';

/** Geometry of one image: height, width, channels (1 = grey, 3 = RGB). */
export interface ImageSize {
  readonly h: number;
  readonly w: number;
  readonly c: number;
}

/** Options of {@link pngGrid}. */
export interface GridOptions extends ImageSize {
  /** Images per row (default: ceil(sqrt(n))). */
  readonly cols?: number;
  /** Pixels between images and around the border, 1 or 2 (default 1). */
  readonly gutter?: 1 | 2;
  /** Grey level of the gutters in [0, 1] (default 0.5, visible against both ink and paper). */
  readonly background?: number;
  /** Where a pixel's channels live: `chw` (channel-major, like [C, H, W]; default) or `hwc`. */
  readonly layout?: 'chw' | 'hwc';
}

/** A rendered grid: PNG bytes and its geometry. */
export interface Grid {
  readonly png: Uint8Array;
  readonly width: number;
  readonly height: number;
  readonly rows: number;
  readonly cols: number;
}

const byte = (v: number) => (Number.isNaN(v) ? 0 : Math.round(Math.min(Math.max(v, 0), 1) * 255));

/**
 * Lays `n` images (values in [0, 1], clamped; NaN shows black) out in rows of `cols` and encodes
 * them as a PNG: 8-bit greyscale for c = 1, RGB for c = 3. Image i sits at row floor(i / cols),
 * column i % cols, its top-left pixel at (gutter + col (w + gutter), gutter + row (h + gutter)).
 * @param images - n x (h*w*c) values, example-major
 * @throws UsageError when the sizes do not fit together
 */
export function pngGrid(images: Float32Array, n: number, opts: GridOptions): Grid {
  const { h, w, c } = opts;
  for (const [k, v] of Object.entries({ n, h, w }))
    if (!Number.isInteger(v) || v < 1)
      throw new UsageError(`image grid: ${k} must be a positive integer, got ${v}`);
  if (c !== 1 && c !== 3) throw new UsageError(`image grid: channels must be 1 (grey) or 3 (RGB), got ${c}`);
  const size = h * w * c;
  if (images.length !== n * size)
    throw new UsageError(
      `image grid: ${images.length} values for ${n} images of ${h}x${w}x${c} (${n * size} expected)`,
    );
  const cols = opts.cols ?? Math.ceil(Math.sqrt(n));
  if (!Number.isInteger(cols) || cols < 1)
    throw new UsageError(`image grid: cols must be a positive integer, got ${cols}`);
  const gutter = opts.gutter ?? 1;
  if (gutter !== 1 && gutter !== 2)
    throw new UsageError(`image grid: gutter must be 1 or 2 pixels, got ${gutter}`);
  const shownCols = Math.min(cols, n);
  const rows = Math.ceil(n / cols);
  const width = gutter + shownCols * (w + gutter);
  const height = gutter + rows * (h + gutter);
  const png = new PNG({ width, height });
  const bg = byte(opts.background ?? 0.5);
  png.data.fill(bg);
  for (let i = 3; i < png.data.length; i += 4) png.data[i] = 255;
  const chw = (opts.layout ?? 'chw') === 'chw';
  const plane = h * w;
  for (let i = 0; i < n; i++) {
    const x0 = gutter + (i % cols) * (w + gutter);
    const y0 = gutter + Math.floor(i / cols) * (h + gutter);
    const base = i * size;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const o = ((y0 + y) * width + x0 + x) * 4;
        const p = y * w + x;
        for (let ch = 0; ch < 3; ch++) {
          const k = c === 1 ? 0 : ch;
          png.data[o + ch] = byte(images[base + (chw ? k * plane + p : p * c + k)]!);
        }
      }
    }
  }
  const bytes = PNG.sync.write(png, { colorType: c === 1 ? 0 : 2, inputColorType: 6, bitDepth: 8 });
  return {
    png: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    width,
    height,
    rows,
    cols: shownCols,
  };
}

/** Writes `bytes` to `path` atomically, creating its folder when needed. */
export function writeOutput(path: string, bytes: Uint8Array | string): void {
  makeDirs(dirname(path));
  writeFileAtomic(path, bytes);
}
