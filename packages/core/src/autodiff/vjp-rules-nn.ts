/**
 * VJPs of the convolution family, pooling, Resize and the normalisation layers, built from IR
 * ops only. Shapes are NCHW with static C, H, W; the batch dim may be symbolic.
 */
import { type Window2d, window2d } from '../ir/conv-params';
import type { Node } from '../ir/graph';
import type { Tensor } from '../ir/tensor';
import { chw, constantOf, convTransposeTo, convVjpRules, endPad, oneHotKernels } from './vjp-rules-conv';
import { normVjpRules } from './vjp-rules-norm';
import type { VjpRule } from './vjp-types';

/** A pooling node's window (kernel_shape, strides, pads, dilations); ceil_mode shows in Y's shape. */
const poolWindow = (node: Node): Window2d => window2d(node.op, node.attrs);

/**
 * 1 / (elements averaged) for each output position, as the pooling kernel counts them: only
 * in-bounds positions, or (count_include_pad) also those in the explicit padding, never the
 * extra overhang that ceil_mode adds.
 */
function inverseCounts(
  win: Window2d,
  h: number,
  w: number,
  out: [number, number],
  includePad: boolean,
): Float32Array {
  const along = (i: 0 | 1, o: number, size: number) => {
    let inside = 0;
    let padded = 0;
    for (let k = 0; k < win.kernel[i]; k++) {
      const at = o * win.strides[i] - win.pads[i] + k * win.dilations[i];
      if (at >= 0 && at < size) inside++;
      else if (at < size + win.pads[i + 2]!) padded++;
    }
    return [inside, inside + padded] as const;
  };
  const inv = new Float32Array(out[0] * out[1]);
  for (let oh = 0; oh < out[0]; oh++)
    for (let ow = 0; ow < out[1]; ow++) {
      const [ih, ph] = along(0, oh, h);
      const [iw, pw] = along(1, ow, w);
      inv[oh * out[1] + ow] = 1 / (includePad ? ph * pw : ih * iw);
    }
  return inv;
}

/**
 * AveragePool: each output spreads cotangent / count evenly over its window, i.e. a depthwise
 * ConvTranspose of (cotangent / counts) with an all-ones kernel (counts are static constants).
 */
const averagePoolVjp: VjpRule = ([g], node) => {
  const x = node.inputs[0]!;
  const win = poolWindow(node);
  const [c, h, w] = chw(x);
  const [, oh, ow] = chw(g!);
  const gr = x.graph;
  const inv = inverseCounts(win, h, w, [oh, ow], node.attrs.count_include_pad === 1);
  const ones = constantOf(
    gr,
    [c, 1, ...win.kernel],
    new Float32Array(c * win.kernel[0] * win.kernel[1]).fill(1),
  );
  return [convTransposeTo(g!.mul(constantOf(gr, [oh, ow], inv)), ones, win, c, [h, w])];
};

/**
 * MaxPool: the cotangent goes to the positions that attain each window's max. For each kernel
 * offset a strided Slice of X (padded with -inf) is compared with Y, giving per-offset masks;
 * ties within a window share the cotangent equally (as ReduceMax's VJP does), so the gradient
 * always sums to the cotangent. A one-hot depthwise ConvTranspose scatters the masked cotangent
 * of every offset back onto X (col2im). Overlapping, padded, dilated and ceil_mode windows work.
 */
const maxPoolVjp: VjpRule = ([g], node) => {
  const [x, y] = [node.inputs[0]!, node.outputs[0]!];
  const win = poolWindow(node);
  const [c, h, w] = chw(x);
  const [, oh, ow] = chw(y);
  const [kh, kw] = win.kernel;
  const [[sh, sw], [dh, dw], [pt, pl]] = [win.strides, win.dilations, win.pads];
  // -inf never wins a max; pad as far as the windows reach (ceil_mode may overhang the end pads).
  const xp = x.pad(
    [0, 0, pt, pl, 0, 0, endPad(win, 0, oh, h), endPad(win, 1, ow, w)],
    Number.NEGATIVE_INFINITY,
  );
  const masks: Tensor[] = [];
  for (let i = 0; i < kh; i++)
    for (let j = 0; j < kw; j++) {
      const tap = xp.slice(
        [i * dh, j * dw],
        [i * dh + (oh - 1) * sh + 1, j * dw + (ow - 1) * sw + 1],
        [2, 3],
        [sh, sw],
      );
      masks.push(tap.equal(y).cast('float32').unsqueeze([2]));
    }
  const mask = masks.length === 1 ? masks[0]! : x.graph.apply1('Concat', masks, { axis: 2 }); // [N, C, K, OH, OW]
  const share = mask.mul(g!.unsqueeze([2]).div(mask.sum([2], true)));
  const cols = share.reshape([0, c * kh * kw, oh, ow]);
  return [convTransposeTo(cols, oneHotKernels(x.graph, c, win.kernel), win, c, [h, w])];
};

/**
 * Resize (nearest, integer scales, asymmetric/floor): each input element is copied to a
 * scale-sized block, so its cotangent is the block's sum: split every scaled axis into
 * (dim, scale) and ReduceSum the scale axes.
 */
const resizeVjp: VjpRule = ([g], node) => {
  const x = node.inputs[0]!;
  const scales = (node.inputs[2]?.known ?? []).map(Number);
  const target: number[] = [];
  const reduce: number[] = [];
  x.shape.forEach((d, i) => {
    const s = scales[i] ?? 1;
    // A symbolic dim is never scaled: 0 copies it when its position is unchanged, else -1 infers it.
    target.push(typeof d === 'number' ? d : target.length === i ? 0 : -1);
    if (s !== 1) {
      reduce.push(target.length);
      target.push(s);
    }
  });
  const nulls = node.inputs.slice(1).map(() => null);
  return [reduce.length ? g!.reshape(target).sum(reduce) : g!, ...nulls];
};

/** VJPs of the convolution family and normalisation layers. */
export const nnVjpRules = {
  ...convVjpRules,
  MaxPool: maxPoolVjp,
  AveragePool: averagePoolVjp,
  Resize: resizeVjp,
  ...normVjpRules,
} satisfies Record<string, VjpRule>;
