/**
 * Model input from pixels: the one conversion the drawing pad and the upload box share. RGBA bytes
 * of an H x W picture become [C, H, W] floats in the bundle's data scaling (grey models see luma).
 */
import { type BundleManifest, type ImageGeometry, InferError } from '@vae/infer-web';

/** BT.601 luma weights: the CLI's `--grey` (datasets' rgbToGrey) converts colour images the same way. */
const LUMA = [0.299, 0.587, 0.114] as const;

/**
 * [C, H, W] floats (C = 1: luma, C = 3: R, G, B) for the model, from `h * w * 4` RGBA bytes (alpha
 * is ignored: callers composite on black first, as the CLI's image loader does).
 *
 * A byte b is the pixel intensity v = b / 255. `unit` scaling maps the raw range [min, max] onto
 * [0, 1]; raw values are v, or bytes when max > 1 (a bundle trained on 0..255 values). `standardize`
 * is (v - mean) / std per feature; `none` is v. Bundles trained on binarised pixels get 0/1 values
 * (threshold 0.5, as `--binarize threshold`).
 * @throws InferError `input` for a channel count other than 1 or 3, or a wrong number of bytes
 */
export function pixelsToInput(
  rgba: ArrayLike<number>,
  g: ImageGeometry,
  data: BundleManifest['data'],
): Float32Array {
  if (g.c !== 1 && g.c !== 3)
    throw new InferError('input', `pictures convert to 1 (grey) or 3 (RGB) channels, not ${g.c}`);
  const plane = g.w * g.h;
  if (rgba.length !== plane * 4)
    throw new InferError('input', `${rgba.length} RGBA bytes are not a ${g.h}x${g.w} picture`);
  const s = data.scaling;
  const scale = (v: number, i: number): number => {
    if (s.type === 'unit') return ((s.max > 1 ? v * 255 : v) - s.min) / (s.max - s.min);
    if (s.type === 'standardize') return (v - s.mean[i]!) / s.std[i]!;
    return v;
  };
  const x = new Float32Array(g.c * plane);
  for (let p = 0; p < plane; p++) {
    const q = p * 4;
    for (let c = 0; c < g.c; c++) {
      const byte =
        g.c === 3 ? rgba[q + c]! : LUMA[0] * rgba[q]! + LUMA[1] * rgba[q + 1]! + LUMA[2] * rgba[q + 2]!;
      const i = c * plane + p;
      const v = scale(byte / 255, i);
      x[i] = data.binarized ? (v >= 0.5 ? 1 : 0) : v;
    }
  }
  return x;
}
