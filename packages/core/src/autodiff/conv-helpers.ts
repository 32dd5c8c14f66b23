/** Shape and window helpers of the convolution VJPs (vjp-rules-conv.ts, conv-weight-grad.ts, pooling). */
import type { Window2d } from '../ir/conv-params';
import type { Graph } from '../ir/graph';
import type { Tensor } from '../ir/tensor';

export type Pair = [number, number];

/** C, H, W of an NCHW tensor (static by the conv shape rules). */
export function chw(t: Tensor): [number, number, number] {
  return [t.shape[1] as number, t.shape[2] as number, t.shape[3] as number];
}

/** Slices the spatial axes of `t` down to `size` when they are larger (a no-op otherwise). */
export function cropTo(t: Tensor, size: Pair): Tensor {
  const [, h, w] = chw(t);
  return h === size[0] && w === size[1] ? t : t.slice([0, 0], size, [2, 3]);
}

/** A float32 constant. */
export function constantOf(g: Graph, shape: number[], data: Float32Array): Tensor {
  return g.constant({ dtype: 'float32', shape, data });
}

/**
 * One-hot kernels [C*K, 1, kH, kW] (K = kH*kW): channel c*K + k picks kernel offset k. With
 * group=C, a Conv with it gathers each window offset into its own channel (im2col), and a
 * ConvTranspose scatters per-offset channels back to the offset positions (col2im).
 */
export function oneHotKernels(g: Graph, channels: number, kernel: Pair): Tensor {
  const K = kernel[0] * kernel[1];
  const data = new Float32Array(channels * K * K);
  for (let i = 0; i < channels * K; i++) data[i * K + (i % K)] = 1;
  return constantOf(g, [channels * K, 1, kernel[0], kernel[1]], data);
}

/**
 * End padding along spatial axis `i` (0 = H, 1 = W) so that `outLen` windows of a `k`-tap kernel
 * over `size` elements (after the window's begin pad) stay inside the padded input.
 */
export function endPad(win: Window2d, i: 0 | 1, outLen: number, size: number, k = win.kernel[i]): number {
  return Math.max(0, win.strides[i] * (outLen - 1) + win.dilations[i] * (k - 1) + 1 - size - win.pads[i]);
}
