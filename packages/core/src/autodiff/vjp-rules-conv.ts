/**
 * VJPs of Conv and ConvTranspose, built from IR ops only (they lower to ONNX like any other graph).
 * Shapes are NCHW with static C, H, W; the batch dim may be symbolic.
 */
import { type Window2d, window2d } from '../ir/conv-params';
import type { Node } from '../ir/graph';
import type { Tensor } from '../ir/tensor';
import { chw, cropTo, endPad, oneHotKernels, type Pair } from './conv-helpers';
import { correlateByRows, MIN_STACKED_IMAGES } from './conv-weight-grad';
import type { VjpRule } from './vjp-types';

export { chw, constantOf, cropTo, endPad, oneHotKernels } from './conv-helpers';

const convAttrs = (w: Window2d, pads: readonly number[], group: number) => ({
  strides: w.strides,
  dilations: w.dilations,
  pads,
  group,
});

/**
 * ConvTranspose of `x` with weight `w` [Cin, Cout/group, kH, kW] under the window's strides,
 * dilations and begin pads, with the end cropped (pads) or extended (output_padding) so the
 * output is exactly `out`. Both only pick the window [padBegin, padBegin + out) of the full
 * scatter, which is what the adjoint of a strided window needs.
 */
export function convTransposeTo(x: Tensor, w: Tensor, win: Window2d, group: number, out: Pair): Tensor {
  const [, h, wd] = chw(x);
  const [kh, kw] = [w.shape[2] as number, w.shape[3] as number];
  const fit = (i: 0 | 1, size: number, k: number): Pair => {
    const full = win.strides[i] * (size - 1) + win.dilations[i] * (k - 1) + 1 - win.pads[i];
    return full >= out[i] ? [full - out[i], 0] : [0, out[i] - full];
  };
  const [[padH, opH], [padW, opW]] = [fit(0, h, kh), fit(1, wd, kw)];
  const attrs = convAttrs(win, [win.pads[0], win.pads[1], padH, padW], group);
  return x.graph.apply1(
    'ConvTranspose',
    [x, w],
    opH || opW ? { ...attrs, output_padding: [opH, opW] } : attrs,
  );
}

/**
 * Conv of `x` with `w` [Cout, Cin/group, kH, kW] under the window's strides, dilations and begin
 * pads, with end pads just large enough for `out` outputs, cropped to exactly `out`.
 */
function convTo(x: Tensor, w: Tensor, win: Window2d, group: number, out: Pair): Tensor {
  const [, h, wd] = chw(x);
  const [kh, kw] = [w.shape[2] as number, w.shape[3] as number];
  const pads = [win.pads[0], win.pads[1], endPad(win, 0, out[0], h, kh), endPad(win, 1, out[1], wd, kw)];
  return cropTo(x.graph.apply1('Conv', [x, w], convAttrs(win, pads, group)), out);
}

/**
 * The weight gradient of a strided window product, shared by Conv and ConvTranspose:
 * R[cb, ca', i, j] = sum over n, p, q of b[n, cb, p, q] * a[n, grp(cb)*Ca/group + ca', p*s - pt + i*d, q*s - pl + j*d],
 * `a` read as zero outside its bounds; R is [Cb, Ca/group, kH, kW].
 */
function correlate(a: Tensor, b: Tensor, win: Window2d, group: number): Tensor {
  const [ca, ha, wa] = chw(a);
  const [cb, p, q] = chw(b);
  const [cag, cbg] = [ca / group, cb / group];
  const [kh, kw] = win.kernel;
  // End pads so every read position a[p*s - pt + i*d] (i < k) lies inside the padded input.
  const pads = [win.pads[0], win.pads[1], endPad(win, 0, p, ha), endPad(win, 1, q, wa)];
  const g = a.graph;
  // Static batch and many images: one GEMM per kernel row over the whole batch (conv-weight-grad.ts).
  if (typeof a.shape[0] === 'number' && group === 1 && ca >= MIN_STACKED_IMAGES)
    return correlateByRows(a, b, win);
  if (typeof a.shape[0] === 'number') {
    // Static batch: the classic trick. Batch and channels swap so the batch is contracted as
    // Conv's input channels, the cotangent-like `b` is the kernel, and strides and dilations
    // trade places. One Conv per group keeps only the block-diagonal channel pairs.
    const [aT, bT] = [a.transpose([1, 0, 2, 3]), b.transpose([1, 0, 2, 3])];
    const blocks = Array.from({ length: group }, (_, i) => {
      const ai = group === 1 ? aT : aT.slice([i * cag], [(i + 1) * cag], [0]);
      const bi = group === 1 ? bT : bT.slice([i * cbg], [(i + 1) * cbg], [0]);
      const z = g.apply1('Conv', [ai, bi], { strides: win.dilations, dilations: win.strides, pads });
      return cropTo(z, [kh, kw]).transpose([1, 0, 2, 3]);
    });
    return blocks.length === 1 ? blocks[0]! : g.apply1('Concat', blocks, { axis: 0 });
  }
  // Symbolic batch: Conv cannot take N as channels (they must be static), so gather windows
  // with one-hot kernels (im2col), contract positions with a batched MatMul, then sum over N.
  const K = kh * kw;
  const patches = cropTo(g.apply1('Conv', [a, oneHotKernels(g, ca, win.kernel)], convAttrs(win, pads, ca)), [
    p,
    q,
  ]).reshape([0, group, cag * K, p * q]);
  const bm = b.reshape([0, group, cbg, p * q]);
  return bm
    .matmul(patches.transpose([0, 1, 3, 2]))
    .sum([0])
    .reshape([cb, cag, kh, kw]);
}

/** Bias gradient: the cotangent summed over N, H, W. */
const biasGrad = (g: Tensor): Tensor => g.sum([0, 2, 3]);

/**
 * Conv: dX is the ConvTranspose of the cotangent with the same weight and window (sized back to
 * X's H, W), dW the correlation of X with the cotangent, dB the cotangent's sum over N, H, W.
 */
const convVjp: VjpRule = ([g], node: Node, wants) => {
  const [x, w, b] = node.inputs as [Tensor, Tensor, Tensor | null];
  const win = window2d('Conv', node.attrs, w.shape.slice(2) as number[]);
  const [, h, wd] = chw(x);
  return [
    wants[0] ? convTransposeTo(g!, w, win, win.group, [h, wd]) : null,
    wants[1] ? correlate(x, g!, win, win.group) : null,
    b && wants[2] ? biasGrad(g!) : null,
  ];
};

/**
 * ConvTranspose (the adjoint of Conv): dX is the Conv of the cotangent with the same weight and
 * window, dW the correlation of the cotangent with X (roles swapped), dB as for Conv.
 */
const convTransposeVjp: VjpRule = ([g], node: Node, wants) => {
  const [x, w, b] = node.inputs as [Tensor, Tensor, Tensor | null];
  const win = window2d('ConvTranspose', node.attrs, w.shape.slice(2) as number[]);
  const [, h, wd] = chw(x);
  return [
    wants[0] ? convTo(g!, w, win, win.group, [h, wd]) : null,
    wants[1] ? correlate(g!, x, win, win.group) : null,
    b && wants[2] ? biasGrad(g!) : null,
  ];
};

/** VJPs of the convolutions. */
export const convVjpRules = {
  Conv: convVjp,
  ConvTranspose: convTransposeVjp,
} satisfies Record<string, VjpRule>;
