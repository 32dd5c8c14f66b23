/**
 * Which pixels `vae impute` removes from images: `--mask centre[:SIZE] | random:P |
 * half[:top|bottom|left|right]`, or `--mask-file` (0/1 `.npy`, 1 = missing). A pixel is missing in
 * every channel at once; masks are laid out as the data are, channel-major [n, c, h, w].
 */

import { readNpyFile } from '@vae/datasets';
import { fold, key, uniform } from '@vae/random';
import { UsageError } from '../render/errors';
import type { ImageSize } from '../render/png-grid';

/** A parsed `--mask`. */
export type MaskSpec =
  | { readonly kind: 'centre'; readonly size?: number }
  | { readonly kind: 'random'; readonly p: number }
  | { readonly kind: 'half'; readonly side: 'top' | 'bottom' | 'left' | 'right' };

/** The `--mask` forms (help text and errors). */
export const MASK_FORMS = 'centre[:SIZE] | random:P | half[:top|bottom|left|right]';

const bad = (text: string, why: string) =>
  new UsageError(`--mask ${text}: ${why} (--mask takes ${MASK_FORMS})`);

/**
 * Parses `--mask`. `centre` is a SIZE x SIZE square in the middle (default half the shorter side),
 * `random:P` removes each pixel with probability P in (0, 1), `half` the bottom half unless a side is
 * named. `center` is accepted for `centre`.
 * @throws UsageError naming the value and the forms it may take
 */
export function parseMask(text: string): MaskSpec {
  const [name, arg, extra] = text.trim().toLowerCase().split(':');
  if (extra !== undefined) throw bad(text, 'too many parts');
  if (name === 'centre' || name === 'center') {
    if (arg === undefined) return { kind: 'centre' };
    const size = Number(arg);
    if (!(Number.isInteger(size) && size >= 1)) throw bad(text, 'SIZE must be a positive integer (pixels)');
    return { kind: 'centre', size };
  }
  if (name === 'random') {
    const p = arg === undefined || arg === '' ? Number.NaN : Number(arg);
    if (!(p > 0 && p < 1))
      throw bad(text, 'P must be a number between 0 and 1 (the share of pixels removed)');
    return { kind: 'random', p };
  }
  if (name === 'half') {
    const side = arg ?? 'bottom';
    if (side !== 'top' && side !== 'bottom' && side !== 'left' && side !== 'right')
      throw bad(text, `unknown side "${side}"; use top, bottom, left or right`);
    return { kind: 'half', side };
  }
  throw bad(text, `unknown mask "${name}"`);
}

/**
 * Missing-pixel masks for `n` images: [n, c, h, w] floats, 1 = missing. `random` draws image i's
 * pixels from `fold(key(seed), i)`, so the first images get the same mask whatever `n` is.
 * @throws UsageError when a centre square does not fit the image
 */
export function buildMasks(spec: MaskSpec, n: number, img: ImageSize, seed: number): Float32Array {
  const { h, w, c } = img;
  const plane = new Uint8Array(h * w);
  const out = new Float32Array(n * c * h * w);
  const stamp = (i: number) => {
    for (let ch = 0; ch < c; ch++) for (let p = 0; p < h * w; p++) out[(i * c + ch) * h * w + p] = plane[p]!;
  };
  if (spec.kind === 'random') {
    for (let i = 0; i < n; i++) {
      const u = uniform(fold(key(seed), i), h * w);
      for (let p = 0; p < h * w; p++) plane[p] = u[p]! < spec.p ? 1 : 0;
      stamp(i);
    }
    return out;
  }
  if (spec.kind === 'centre') {
    const size = spec.size ?? Math.max(1, Math.floor(Math.min(h, w) / 2));
    if (size > Math.min(h, w))
      throw new UsageError(
        `--mask centre:${size} does not fit ${h}x${w} images: give a SIZE of at most ${Math.min(h, w)}`,
      );
    const top = Math.floor((h - size) / 2);
    const left = Math.floor((w - size) / 2);
    for (let y = top; y < top + size; y++) for (let x = left; x < left + size; x++) plane[y * w + x] = 1;
  } else {
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const s = spec.side;
        const hit =
          s === 'top' ? y < h / 2 : s === 'bottom' ? y >= h / 2 : s === 'left' ? x < w / 2 : x >= w / 2;
        plane[y * w + x] = hit ? 1 : 0;
      }
  }
  for (let i = 0; i < n; i++) stamp(i);
  return out;
}

/**
 * Masks from a 0/1 `.npy` (1 = missing): one mask for every image ([h, w] or [c, h, w]) or one per
 * image ([m, h, w] or [m, c, h, w], m >= n; the first n are used). A [.., h, w] mask applies to all
 * channels.
 * @throws UsageError for another shape, values other than 0/1, or a mask with nothing missing
 */
export async function readMaskFile(path: string, n: number, img: ImageSize): Promise<Float32Array> {
  const a = await readNpyFile(path);
  const { h, w, c } = img;
  const s = a.shape;
  const perImage = s.length >= 3 && !(s.length === 3 && c > 1 && s[0] === c);
  const tail = perImage ? s.slice(1) : s;
  const chans = tail.length === 3 ? tail[0]! : 1;
  const fits = tail.length >= 2 && tail.at(-2) === h && tail.at(-1) === w && (chans === 1 || chans === c);
  const rows = perImage ? s[0]! : 1;
  if (!fits || tail.length > 3 || (perImage && rows < n))
    throw new UsageError(
      `--mask-file ${path} has shape [${s.join(', ')}]; give [${h}, ${w}], [${c}, ${h}, ${w}] (one mask for all) or [n, ${h}, ${w}] with n >= ${n} (one per image), 1 = missing`,
    );
  const out = new Float32Array(n * c * h * w);
  const data = a.data as ArrayLike<number | bigint>;
  let any = false;
  for (let i = 0; i < n; i++)
    for (let ch = 0; ch < c; ch++)
      for (let p = 0; p < h * w; p++) {
        const at = ((perImage ? i : 0) * chans + (chans === 1 ? 0 : ch)) * h * w + p;
        const v = Number(data[at]);
        if (v !== 0 && v !== 1)
          throw new UsageError(`--mask-file ${path}: values must be 0 (observed) or 1 (missing), found ${v}`);
        out[(i * c + ch) * h * w + p] = v;
        any ||= v === 1;
      }
  if (!any) throw new UsageError(`--mask-file ${path} marks no pixel missing (1 = missing): nothing to fill`);
  return out;
}
