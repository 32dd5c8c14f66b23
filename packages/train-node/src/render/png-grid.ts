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
  /** Images per row (default: {@link gridColumns}(n), a grid without empty cells where one fits). */
  readonly cols?: number;
  /** Pixels between images and around the border, 1 or 2 (default 1). */
  readonly gutter?: 1 | 2;
  /** Grey level of the gutters in [0, 1] (default 0.5, visible against both ink and paper). */
  readonly background?: number;
  /** Where a pixel's channels live: `chw` (channel-major, like [C, H, W]; default) or `hwc`. */
  readonly layout?: 'chw' | 'hwc';
  /**
   * Nearest-neighbour enlargement: each pixel becomes `scale` x `scale` pixels, an integer from 1 to
   * {@link MAX_SCALE} (default 1); `'auto'` picks {@link autoScale} of the 1:1 grid.
   */
  readonly scale?: number | 'auto';
}

/** The largest `--scale`: a 64-image 28x28 grid is then 3728 px square (55 MB of RGBA while encoding). */
export const MAX_SCALE = 16;
/** What `--scale` defaults to ({@link autoScale}): the longer side at least this many pixels... */
const AUTO_TARGET = 512;
/** ...with each image pixel at most this many pixels wide (a single 28x28 image: 232 px). */
const AUTO_MAX = 8;

/**
 * The default enlargement of a `width` x `height` picture: the smallest integer factor that makes its
 * longer side at least 512 px, at most 8 (a 64-sample 28x28 grid, 233 px at 1:1, becomes 699 px).
 */
export const autoScale = (width: number, height: number): number =>
  Math.min(AUTO_MAX, Math.max(1, Math.ceil(AUTO_TARGET / Math.max(width, height))));

/**
 * Checks a `--scale` value (undefined: `'auto'`).
 * @throws UsageError unless it is an integer from 1 to {@link MAX_SCALE}
 */
export function checkScale(scale: number | 'auto' | undefined): void {
  if (scale === undefined || scale === 'auto') return;
  if (!Number.isInteger(scale) || scale < 1 || scale > MAX_SCALE)
    throw new UsageError(
      `--scale must be an integer from 1 to ${MAX_SCALE} (pixels per image pixel), got ${scale}`,
    );
}

/**
 * Images per row for `n` images: the fewest empty cells, then the squarest picture, among
 * ceil(sqrt(n * tall)) to max(2 x that, 10) columns (at most n). `tall` is the grid rows each image
 * takes (2 for recon's original-over-reconstruction pairs), so the picture stays about square:
 * 64 -> 8 x 8, 10 -> 5 x 2, 16 recon pairs -> 8 columns, a prime 7 -> 7 x 1.
 */
export function gridColumns(n: number, tall = 1): number {
  const lo = Math.min(n, Math.ceil(Math.sqrt(n * tall)));
  const hi = Math.min(n, Math.max(2 * lo, 10));
  let best = lo;
  for (let c = lo; c <= hi; c++) if (Math.ceil(n / c) * c - n < Math.ceil(n / best) * best - n) best = c;
  return best;
}

/** A rendered grid: PNG bytes and its geometry. */
export interface Grid {
  readonly png: Uint8Array;
  readonly width: number;
  readonly height: number;
  readonly rows: number;
  readonly cols: number;
  /** Pixels per image pixel (the grid is `scale` times its 1:1 size). */
  readonly scale: number;
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
  const cols = opts.cols ?? gridColumns(n);
  if (!Number.isInteger(cols) || cols < 1)
    throw new UsageError(`image grid: cols must be a positive integer, got ${cols}`);
  checkScale(opts.scale);
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
  const scale = opts.scale === 'auto' ? autoScale(width, height) : (opts.scale ?? 1);
  const out = scale === 1 ? png : enlarge(png, scale);
  const bytes = PNG.sync.write(out, { colorType: c === 1 ? 0 : 2, inputColorType: 6, bitDepth: 8 });
  return {
    png: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    width: out.width,
    height: out.height,
    scale,
    rows,
    cols: shownCols,
  };
}

/** `png` with each pixel repeated `s` x `s` times (nearest neighbour: no blur, every pixel stays visible). */
function enlarge(png: PNG, s: number): PNG {
  const out = new PNG({ width: png.width * s, height: png.height * s });
  const row = out.width * 4;
  for (let y = 0; y < png.height; y++) {
    const o = y * s * row;
    for (let x = 0; x < png.width; x++) {
      const px = png.data.subarray((y * png.width + x) * 4, (y * png.width + x + 1) * 4);
      for (let k = 0; k < s; k++) out.data.set(px, o + (x * s + k) * 4);
    }
    for (let k = 1; k < s; k++) out.data.copyWithin(o + k * row, o, o + row);
  }
  return out;
}

/** Writes `bytes` to `path` atomically, creating its folder when needed. */
export function writeOutput(path: string, bytes: Uint8Array | string): void {
  makeDirs(dirname(path));
  writeFileAtomic(path, bytes);
}
