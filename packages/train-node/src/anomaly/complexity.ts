import type { HostTensor } from '@vae/core';
import { TrainConfigError } from '@vae/core';
import { PNG } from 'pngjs';
import type { DataInfo } from '../run/run-dir';

/**
 * Input complexity L(x) of Serra et al. 2020 ("Input complexity and out-of-distribution detection
 * with likelihood-based generative models"): the length in bits of x under a general-purpose
 * lossless compressor. Here the compressor is PNG as pngjs writes it (zlib deflate level 9 after
 * PNG's adaptive per-row filters), of the 8-bit pixels the model scores: binarised pixels as 0/255,
 * dequantised pixels as their level k, other pixels in [0, 1] rounded to k/255. The whole file
 * counts (its ~60 bytes of fixed chunk overhead shift every score equally).
 */

/** How the fed values map back to the pixel levels they encode. */
function levelOf(info: DataInfo): (v: number) => number {
  if (info.binarize !== false) return (v) => (v >= 0.5 ? 255 : 0);
  if (info.dequantize) return (v) => Math.min(255, Math.floor(v * 256));
  return (v) => Math.min(255, Math.max(0, Math.round(v * 255)));
}

/**
 * PNG lengths in bits of rows [from, to) of model inputs `x` ([N, c, h, w] or [N, c*h*w], channel-
 * major), grey (c = 1) or RGB (c = 3) images.
 * @throws TrainConfigError for data that are not images
 */
export function pngBits(x: HostTensor, info: DataInfo): Float64Array {
  const img = info.image;
  if (!img || (img.c !== 1 && img.c !== 3))
    throw new TrainConfigError(
      '--score complexity compresses images (grey or RGB); this run models vectors or table rows: choose another --score',
    );
  const { h, w, c } = img;
  const n = x.shape[0]!;
  const size = c * h * w;
  const data = x.data as Float32Array;
  const level = levelOf(info);
  const out = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    const png = new PNG({ width: w, height: h, colorType: c === 1 ? 0 : 2, inputHasAlpha: false });
    const px = Buffer.alloc(w * h * c);
    // Channel-major [c, h, w] -> interleaved rows.
    for (let ch = 0; ch < c; ch++)
      for (let p = 0; p < h * w; p++) px[p * c + ch] = level(data[r * size + ch * h * w + p]!);
    png.data = px;
    const bytes = PNG.sync.write(png, {
      colorType: c === 1 ? 0 : 2,
      inputColorType: c === 1 ? 0 : 2,
      inputHasAlpha: false,
      bitDepth: 8,
      deflateLevel: 9,
    });
    out[r] = bytes.length * 8;
  }
  return out;
}
