/**
 * Full-reference image quality of one image against its original: PSNR and SSIM, both for values on
 * a data range of 1 (pixels in [0, 1]), computed in float64.
 */

/** Geometry of one channel-major image ([c, h, w]). */
export interface QualityImage {
  readonly h: number;
  readonly w: number;
  readonly c: number;
}

/**
 * Peak signal-to-noise ratio in dB, 10 log10(range^2 / MSE); `Infinity` for identical images.
 * @param a - the image under test, @param b - the original (same length)
 */
export function psnr(a: ArrayLike<number>, b: ArrayLike<number>, range = 1): number {
  let sq = 0;
  for (let i = 0; i < b.length; i++) sq += (a[i]! - b[i]!) ** 2;
  const mse = sq / b.length;
  return mse === 0 ? Number.POSITIVE_INFINITY : 10 * Math.log10((range * range) / mse);
}

/** SSIM's window: 11 taps, sigma 1.5 (Wang et al. 2004), normalised to sum 1. */
export const SSIM_WINDOW = 11;
const SIGMA = 1.5;
const TAPS: Float64Array = (() => {
  const r = (SSIM_WINDOW - 1) / 2;
  const t = Float64Array.from({ length: SSIM_WINDOW }, (_, i) =>
    Math.exp(-((i - r) ** 2) / (2 * SIGMA * SIGMA)),
  );
  const s = t.reduce((p, v) => p + v, 0);
  return t.map((v) => v / s);
})();

/** The separable Gaussian filter over every valid 11 x 11 window of an h x w plane: (h - 10) x (w - 10). */
function filterValid(p: Float64Array, h: number, w: number): Float64Array {
  const ow = w - SSIM_WINDOW + 1;
  const oh = h - SSIM_WINDOW + 1;
  const rows = new Float64Array(h * ow);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < ow; x++) {
      let s = 0;
      for (let k = 0; k < SSIM_WINDOW; k++) s += TAPS[k]! * p[y * w + x + k]!;
      rows[y * ow + x] = s;
    }
  const out = new Float64Array(oh * ow);
  for (let y = 0; y < oh; y++)
    for (let x = 0; x < ow; x++) {
      let s = 0;
      for (let k = 0; k < SSIM_WINDOW; k++) s += TAPS[k]! * rows[(y + k) * ow + x]!;
      out[y * ow + x] = s;
    }
  return out;
}

/**
 * Structural similarity (Wang et al. 2004): Gaussian-weighted local means, variances and covariance
 * (11 x 11 window, sigma 1.5, population moments), K1 0.01, K2 0.03, data range 1, averaged over
 * the windows that fit inside the image (the map scikit-image crops to with `gaussian_weights=True,
 * use_sample_covariance=False`), then over channels. 1 for identical images.
 * @param a - the image under test, @param b - the original, both channel-major [c, h, w]
 * @throws RangeError for an image smaller than the window
 */
export function ssim(a: ArrayLike<number>, b: ArrayLike<number>, img: QualityImage, range = 1): number {
  const { h, w, c } = img;
  if (h < SSIM_WINDOW || w < SSIM_WINDOW)
    throw new RangeError(`SSIM needs images of at least ${SSIM_WINDOW}x${SSIM_WINDOW} pixels, got ${h}x${w}`);
  const c1 = (0.01 * range) ** 2;
  const c2 = (0.03 * range) ** 2;
  const plane = h * w;
  let total = 0;
  for (let ch = 0; ch < c; ch++) {
    const x = Float64Array.from({ length: plane }, (_, i) => a[ch * plane + i]!);
    const y = Float64Array.from({ length: plane }, (_, i) => b[ch * plane + i]!);
    const mx = filterValid(x, h, w);
    const my = filterValid(y, h, w);
    const xx = filterValid(
      x.map((v) => v * v),
      h,
      w,
    );
    const yy = filterValid(
      y.map((v) => v * v),
      h,
      w,
    );
    const xy = filterValid(
      x.map((v, i) => v * y[i]!),
      h,
      w,
    );
    let sum = 0;
    for (let i = 0; i < mx.length; i++) {
      const [ux, uy] = [mx[i]!, my[i]!];
      const vx = xx[i]! - ux * ux;
      const vy = yy[i]! - uy * uy;
      const cov = xy[i]! - ux * uy;
      sum += ((2 * ux * uy + c1) * (2 * cov + c2)) / ((ux * ux + uy * uy + c1) * (vx + vy + c2));
    }
    total += sum / mx.length;
  }
  return total / c;
}
