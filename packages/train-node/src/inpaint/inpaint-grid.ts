import { type Grid, type ImageSize, pngGrid } from '../render/png-grid';

/** The colour missing pixels are drawn in: red, visible on grey images and on most photos. */
export const MISSING_RGB = [1, 0, 0] as const;

/**
 * The `vae impute` picture: `shown` images per row, in three rows: the originals, the masked images
 * (missing pixels in {@link MISSING_RGB}) and the filled ones. Always an RGB PNG, so the missing
 * colour shows on grey images too.
 * @param truth, missing, filled - [n, c, h, w] (n >= shown), values in [0, 1]; missing 1 = missing
 */
export function inpaintGrid(
  truth: Float32Array,
  missing: Float32Array,
  filled: Float32Array,
  shown: number,
  img: ImageSize,
  scale: number | 'auto',
): Grid {
  const { h, w, c } = img;
  const plane = h * w;
  const cells = new Float32Array(3 * shown * 3 * plane);
  const put = (row: number, i: number, src: Float32Array, masked: boolean) => {
    const at = (row * shown + i) * 3 * plane;
    for (let ch = 0; ch < 3; ch++)
      for (let p = 0; p < plane; p++) {
        const j = (i * c + (c === 1 ? 0 : ch)) * plane + p;
        cells[at + ch * plane + p] = masked && missing[j] ? MISSING_RGB[ch]! : src[j]!;
      }
  };
  for (let i = 0; i < shown; i++) {
    put(0, i, truth, false);
    put(1, i, truth, true);
    put(2, i, filled, false);
  }
  return pngGrid(cells, 3 * shown, { h, w, c: 3, cols: shown, scale });
}
