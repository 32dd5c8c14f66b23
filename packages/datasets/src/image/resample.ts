/**
 * Pixel-level image helpers without Node built-ins: alpha compositing, grey conversion, and
 * crop/resize of 8-bit interleaved images. Everything is plain IEEE arithmetic in a fixed order, so
 * the same input gives the same bytes on every machine and in every browser.
 */
import { DatasetArgumentError } from '../errors';

/** An 8-bit image, rows top to bottom, channels interleaved (`[height, width, channels]`). */
export interface RawImage {
  /** Width in pixels. */
  readonly width: number;
  /** Height in pixels. */
  readonly height: number;
  /** Values per pixel (1 grey, 3 RGB, 4 RGBA). */
  readonly channels: number;
  /** `height * width * channels` bytes. */
  readonly data: Uint8Array;
}

/**
 * How an image is brought to another size: `cover` crops the centre to the target's aspect ratio,
 * then resizes (nothing is stretched); `fill` resizes the whole image, stretching it if the aspect
 * ratios differ.
 */
export type ImageFit = 'cover' | 'fill';

/** Options of {@link resampleImage}. */
export interface ResampleOptions {
  /** Target height. */
  readonly height: number;
  /** Target width. */
  readonly width: number;
  /** `cover` (default) or `fill`. */
  readonly fit?: ImageFit;
}

/** The part of the source that is resized: a centred crop for `cover`, everything for `fill`. */
interface Box {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

function cropBox(width: number, height: number, tw: number, th: number, fit: ImageFit): Box {
  if (fit === 'fill') return { x: 0, y: 0, w: width, h: height };
  // Compare width/height with tw/th without division: width * th vs tw * height.
  if (width * th > tw * height) {
    const w = Math.max(1, Math.round((height * tw) / th));
    return { x: Math.floor((width - w) / 2), y: 0, w, h: height };
  }
  const h = Math.max(1, Math.round((width * th) / tw));
  return { x: 0, y: Math.floor((height - h) / 2), w: width, h };
}

/**
 * Per output index, the source indices and weights along one axis: the exact pixel-area average
 * (box filter with fractional edge coverage) when shrinking, bilinear with pixel-centre alignment
 * (`align_corners = false`, edges clamped) when enlarging, a copy when the sizes are equal.
 */
function axisWeights(from: number, to: number): { index: Int32Array; weight: Float64Array; span: number } {
  const scale = from / to;
  const span = scale > 1 ? Math.ceil(scale) + 1 : 2;
  const index = new Int32Array(to * span);
  const weight = new Float64Array(to * span);
  for (let o = 0; o < to; o++) {
    const base = o * span;
    if (scale > 1) {
      const lo = o * scale;
      const hi = lo + scale;
      let k = 0;
      for (let i = Math.floor(lo); i < hi && i < from; i++, k++) {
        index[base + k] = i;
        weight[base + k] = (Math.min(hi, i + 1) - Math.max(lo, i)) / scale;
      }
    } else {
      const c = Math.min(Math.max((o + 0.5) * scale - 0.5, 0), from - 1);
      const i0 = Math.floor(c);
      const f = c - i0;
      index[base] = i0;
      weight[base] = 1 - f;
      index[base + 1] = Math.min(i0 + 1, from - 1);
      weight[base + 1] = f;
    }
  }
  return { index, weight, span };
}

/**
 * Crops (for `cover`) and resizes an 8-bit image. Shrinking averages exact pixel areas (like
 * OpenCV's `INTER_AREA` and Pillow's `BOX`), enlarging is bilinear; results are rounded to the
 * nearest integer. A crop without a size change copies the pixels exactly.
 *
 * @param image - the source
 * @param options - target height and width, and the fit
 * @returns `height * width * image.channels` bytes
 * @throws DatasetArgumentError when a size is not a positive integer
 */
export function resampleImage(image: RawImage, options: ResampleOptions): Uint8Array {
  const { height: th, width: tw, fit = 'cover' } = options;
  const { width, height, channels: c, data } = image;
  for (const [what, v] of [
    ['target height', th],
    ['target width', tw],
    ['image height', height],
    ['image width', width],
  ] as const) {
    if (!Number.isInteger(v) || v <= 0)
      throw new DatasetArgumentError('<image>', `${what} must be a positive integer, got ${v}`);
  }
  const box = cropBox(width, height, tw, th, fit);
  const out = new Uint8Array(th * tw * c);
  if (box.w === tw && box.h === th) {
    for (let y = 0; y < th; y++) {
      const from = ((box.y + y) * width + box.x) * c;
      out.set(data.subarray(from, from + tw * c), y * tw * c);
    }
    return out;
  }
  // Horizontal pass over the crop's rows into floats, then the vertical pass into bytes.
  const hx = axisWeights(box.w, tw);
  const tmp = new Float64Array(box.h * tw * c);
  for (let y = 0; y < box.h; y++) {
    const row = ((box.y + y) * width + box.x) * c;
    for (let o = 0; o < tw; o++) {
      for (let ch = 0; ch < c; ch++) {
        let sum = 0;
        for (let k = 0; k < hx.span; k++) {
          const w = hx.weight[o * hx.span + k]!;
          if (w !== 0) sum += w * data[row + hx.index[o * hx.span + k]! * c + ch]!;
        }
        tmp[(y * tw + o) * c + ch] = sum;
      }
    }
  }
  const vy = axisWeights(box.h, th);
  const rowLength = tw * c;
  for (let o = 0; o < th; o++) {
    for (let j = 0; j < rowLength; j++) {
      let sum = 0;
      for (let k = 0; k < vy.span; k++) {
        const w = vy.weight[o * vy.span + k]!;
        if (w !== 0) sum += w * tmp[vy.index[o * vy.span + k]! * rowLength + j]!;
      }
      out[o * rowLength + j] = Math.min(255, Math.max(0, Math.round(sum)));
    }
  }
  return out;
}

/**
 * Composites RGBA pixels on black (each colour times alpha / 255, rounded) and drops alpha.
 *
 * @param rgba - `pixels * 4` bytes
 * @returns `pixels * 3` bytes
 */
export function compositeOnBlack(rgba: Uint8Array): Uint8Array {
  const n = rgba.length >> 2;
  const rgb = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) {
    const a = rgba[4 * i + 3]!;
    for (let ch = 0; ch < 3; ch++) {
      const v = rgba[4 * i + ch]!;
      rgb[3 * i + ch] = a === 255 ? v : Math.floor((v * a + 127) / 255);
    }
  }
  return rgb;
}

/**
 * Whether every pixel of an RGB image has equal red, green and blue.
 *
 * @param rgb - `pixels * 3` bytes
 * @returns true when the image is grey
 */
export function isGrey(rgb: Uint8Array): boolean {
  for (let i = 0; i < rgb.length; i += 3) {
    if (rgb[i] !== rgb[i + 1] || rgb[i] !== rgb[i + 2]) return false;
  }
  return true;
}

/**
 * RGB to grey with the ITU-R BT.601 luma weights in Pillow's fixed-point form
 * (`(19595 R + 38470 G + 7471 B + 32768) >> 16`, i.e. 0.299 R + 0.587 G + 0.114 B rounded), so
 * grey pixels (R = G = B) keep their value.
 *
 * @param rgb - `pixels * 3` bytes
 * @returns `pixels` bytes
 */
export function rgbToGrey(rgb: Uint8Array): Uint8Array {
  const n = rgb.length / 3;
  const grey = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    grey[i] = (19595 * rgb[3 * i]! + 38470 * rgb[3 * i + 1]! + 7471 * rgb[3 * i + 2]! + 32768) >> 16;
  }
  return grey;
}
