/**
 * The weight gradient of a strided window product (Conv, ConvTranspose) for a static batch and
 * group 1, as a few Convs over one tall image instead of one Conv over Ca small ones.
 *
 * The classic trick (batch as channels, cotangent as kernel) is a Conv over Ca images whose
 * output is only the kernel's kH x kW: onnxruntime runs one GEMM per image with kH*kW columns
 * (16 for a 4x4 kernel), small products split across threads image by image. Here the Ca images
 * `a[:, ca]` are stacked along the height, each in a block of `hb` rows (its top pad, the image,
 * zeros), and kernel row i is one Conv with row stride `hb` shifted down by i: each output row is
 * one block, each GEMM has Ca*kW columns and one im2col over the whole batch. Same products, summed
 * in another order; no transpose of `a` is needed (the batch is already the channel-like axis).
 */
import type { Window2d } from '../ir/conv-params';
import type { Tensor } from '../ir/tensor';
import { chw, endPad } from './conv-helpers';

/** Fewest images (Ca) worth stacking: with one or a few, the classic trick is a single GEMM already. */
export const MIN_STACKED_IMAGES = 8;

/** `t` with `before` and `after` zero rows around each image (axis 2). */
function padRows(t: Tensor, before: number, after: number): Tensor {
  if (before === 0 && after === 0) return t;
  const [n, c, , w] = t.shape as [number, number, number, number];
  const zeros = (rows: number) => t.graph.scalar(0).expand([n, c, rows, w]);
  const parts = [...(before > 0 ? [zeros(before)] : []), t, ...(after > 0 ? [zeros(after)] : [])];
  return t.graph.apply1('Concat', parts, { axis: 2 });
}

/**
 * R[cb, ca, i, j] = sum over n, p, q of b[n, cb, p, q] * a[n, ca, p*s - pt + i*d, q*s - pl + j*d]
 * (a read as zero outside its bounds): R `[Cb, Ca, kH, kW]`, for `a` `[N, Ca, Ha, Wa]` and `b`
 * `[N, Cb, P, Q]` with the same static N.
 */
export function correlateByRows(a: Tensor, b: Tensor, win: Window2d): Tensor {
  const n = a.shape[0] as number;
  const [ca, ha, wa] = chw(a);
  const [, p, q] = chw(b);
  const [kh, kw] = win.kernel;
  const [sh, sw] = win.strides;
  const [dh, dw] = win.dilations;
  const pt = win.pads[0];
  // A block holds the image after its top pad and every row a window reads (rows < hb).
  const hb = Math.max(pt + ha, (kh - 1) * dh + (p - 1) * sh + 1);
  const tall = padRows(a, pt, hb - pt - ha).reshape([1, n, ca * hb, wa]);
  const kernel = b.transpose([1, 0, 2, 3]); // [Cb, N, P, Q]
  const padRight = endPad(win, 1, q, wa);
  const rows = Array.from({ length: kh }, (_, i) => {
    // Shifted down by hb - i*dh, output row o reads block o - 1 from its row i*dh; row 0 reads
    // only padding and is dropped.
    const r = a.graph.apply1('Conv', [tall, kernel], {
      strides: [hb, dw],
      dilations: [sh, sw],
      pads: [hb - i * dh, win.pads[1], 0, padRight],
    }); // [1, Cb, Ca + 1, >= kW]
    return r.slice([1, 0], [ca + 1, kw], [2, 3]);
  });
  return a.graph
    .apply1('Concat', rows, { axis: 0 }) // [kH, Cb, Ca, kW]
    .transpose([1, 2, 0, 3]);
}
