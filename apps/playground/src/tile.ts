/** Data-space values of a bundle as one picture of tiles (the grids of the views). */
import { type BundleManifest, gridRGBA, InferError } from '@vae/infer-web';

/** The first n examples of data-space values of a bundle tiled into one picture (cols per row). */
export function tileValues(m: BundleManifest, values: Float32Array, n: number, cols: number, gap = 1) {
  const img = m.data.image;
  if (!img) throw new InferError('input', 'this bundle has no image geometry');
  const range = m.data.scaling.type === 'unit' ? ([0, 1] as const) : minMax(values);
  return gridRGBA(values, { h: img.height, w: img.width, c: img.channels }, n, cols, { gap, range });
}

function minMax(v: Float32Array): readonly [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const x of v) {
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  return hi > lo ? [lo, hi] : [lo, lo + 1];
}
