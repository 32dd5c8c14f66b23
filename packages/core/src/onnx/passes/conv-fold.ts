import { window2d } from '../../ir/conv-params';
import type { Node } from '../../ir/graph';
import { intsConstant, onnxNode } from '../node-proto';
import type { AttributeProto, NodeProto } from '../onnx-types';
import type { LowerPass, PassContext } from './pass';

/**
 * Pass `conv-fold`: a Conv over a static batch of N images runs as one Conv over a single tall
 * image, the N images stacked along the height, each in its own block of zero-padded rows.
 *
 * onnxruntime's CPU Conv (MLAS) runs one im2col + GEMM per image, and for a training step's
 * images (say 32 channels of 14x14 to 64 of 7x7) each GEMM has only Ho*Wo = 49 columns: small
 * products, split across threads image by image. One tall image gives one im2col + GEMM with
 * N * rows * Wo columns, which MLAS splits across its threads in large segments: ~25% less time for
 * that Conv on 2 cores, including the Transposes and Concat around it.
 *
 * A block holds the image after its top pad, then zero rows up to a whole number of strides, so
 * every block's first output row starts at the block's first row and no window crosses into the
 * next block. Rows past an image's Ho outputs (at most one stride's worth) are sliced away. The
 * products summed are those of the original Conv (float rounding may differ: MLAS blocks the
 * GEMM differently). Only when the extra rows are at most a quarter of the work, and group is 1.
 */

/** Most extra output rows a fold may compute, as a share of the real ones. */
const MAX_WASTE = 0.25;
/**
 * Fewest products per output (C x kH x kW) worth folding: below it the GEMMs are memory-bound
 * anyway and the copies around the fold cost more than they save (a 1-channel 4x4 first layer).
 */
const MIN_DEPTH = 64;

/** How a Conv is folded: its static sizes and the block height. */
export interface ConvFoldPlan {
  readonly n: number;
  readonly c: number;
  readonly h: number;
  readonly w: number;
  readonly m: number;
  readonly ho: number;
  readonly wo: number;
  /** Rows per image block (a multiple of the row stride), and output rows per block. */
  readonly block: number;
  readonly rows: number;
  readonly padTop: number;
  /** Zero rows under the stack so the last block yields `rows` output rows too. */
  readonly padBottom: number;
}

/** The fold of `conv`, or null when it does not apply (symbolic sizes, groups, batch 1, or too much waste). */
export function convFoldPlan(conv: Node): ConvFoldPlan | null {
  if (conv.op !== 'Conv') return null;
  const [x, wt] = conv.inputs;
  const y = conv.outputs[0]!;
  if (!x || !wt || x.rank !== 4 || x.dtype !== 'float32') return null;
  const dims = [...x.shape, ...y.shape, ...wt.shape];
  if (!dims.every((d): d is number => typeof d === 'number')) return null;
  const [n, c, h, w] = x.shape as number[] as [number, number, number, number];
  const [, m, ho, wo] = y.shape as number[] as [number, number, number, number];
  const win = window2d('Conv', conv.attrs, wt.shape.slice(2) as number[]);
  if (win.group !== 1 || n < 2 || c * win.kernel[0] * win.kernel[1] < MIN_DEPTH) return null;
  const [sh] = win.strides;
  const extent = win.dilations[0] * (win.kernel[0] - 1) + 1;
  const padTop = win.pads[0];
  const block = Math.ceil(Math.max(padTop + h, (ho - 1) * sh + extent) / sh) * sh;
  const rows = block / sh;
  if (rows - ho > MAX_WASTE * ho) return null;
  return { n, c, h, w, m, ho, wo, block, rows, padTop, padBottom: Math.max(0, extent - sh) };
}

/** The ONNX nodes of a folded Conv (see {@link convFoldPlan}). */
export function lowerConvFold(conv: Node, p: ConvFoldPlan, ctx: PassContext): NodeProto[] {
  const [x, wt, bias] = conv.inputs;
  const yName = ctx.nameOf(conv.outputs[0]!);
  const f = `${yName}_fold`;
  const n = onnxNode;
  const swap: AttributeProto = { name: 'perm', type: 'ints', ints: [1, 0, 2, 3] };
  const out: NodeProto[] = [n('Transpose', [ctx.nameOf(x!)], `${f}_cnhw`, [swap])];
  // Zero rows above and below each image: [C, N, rows, W] blocks, filled once by ORT's constant folding.
  const parts: string[] = [];
  const zeros = (name: string, rows: number) => {
    out.push(
      intsConstant(`${name}_shape`, [p.c, p.n, rows, p.w]),
      n('ConstantOfShape', [`${name}_shape`], name),
    );
    parts.push(name);
  };
  if (p.padTop > 0) zeros(`${f}_top`, p.padTop);
  parts.push(`${f}_cnhw`);
  const under = p.block - p.padTop - p.h;
  if (under > 0) zeros(`${f}_under`, under);
  let blocks = `${f}_cnhw`;
  if (parts.length > 1) {
    blocks = `${f}_blocks`;
    out.push(n('Concat', parts, blocks, [{ name: 'axis', type: 'int', i: 2 }]));
  }
  const win = window2d('Conv', conv.attrs, wt!.shape.slice(2) as number[]);
  const attrs: AttributeProto[] = [
    { name: 'strides', type: 'ints', ints: win.strides },
    { name: 'dilations', type: 'ints', ints: win.dilations },
    { name: 'pads', type: 'ints', ints: [0, win.pads[1], p.padBottom, win.pads[3]] },
  ];
  const convIn = [`${f}_tall`, ctx.nameOf(wt!), ...(bias ? [ctx.nameOf(bias)] : [])];
  out.push(
    intsConstant(`${f}_tall_shape`, [1, p.c, p.n * p.block, p.w]),
    n('Reshape', [blocks, `${f}_tall_shape`], `${f}_tall`),
    n('Conv', convIn, `${f}_out`, attrs),
    intsConstant(`${f}_out_shape`, [p.m, p.n, p.rows, p.wo]),
    n('Reshape', [`${f}_out`, `${f}_out_shape`], `${f}_mnhw`),
  );
  let mnhw = `${f}_mnhw`;
  if (p.rows > p.ho) {
    out.push(
      intsConstant(`${f}_starts`, [0]),
      intsConstant(`${f}_ends`, [p.ho]),
      intsConstant(`${f}_axes`, [2]),
      n('Slice', [mnhw, `${f}_starts`, `${f}_ends`, `${f}_axes`], `${f}_rows`),
    );
    mnhw = `${f}_rows`;
  }
  out.push(n('Transpose', [mnhw], yName, [swap]));
  return out;
}

/** The pass: a Conv with a fold plan becomes the folded nodes. */
export const convFold: LowerPass = {
  name: 'conv-fold',
  match(node, ctx) {
    const plan = convFoldPlan(node);
    return plan && { nodes: lowerConvFold(node, plan, ctx), absorbs: [] };
  },
};
