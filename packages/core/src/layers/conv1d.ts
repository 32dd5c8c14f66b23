/**
 * 1-D convolutions on `[N, C, L]` (torch's Conv1d / ConvTranspose1d). They run as the IR's 2-D
 * Conv / ConvTranspose on a unit-height view `[N, C, 1, L]`: the 2-D op's shape rule, reference
 * kernel, VJP and ONNX lowering all apply unchanged, at the cost of one Unsqueeze in and one
 * Squeeze out (free reshapes in onnxruntime). Causal padding is asymmetric `pads` on the left.
 */
import { convOutLength, convTransposeOutLength } from '../ir/conv-params';
import { type Dim, formatShape, type Shape } from '../ir/shape';
import type { Tensor } from '../ir/tensor';
import type { InitScheme } from './init-scheme';

/** Zero padding of a sequence: one number for both ends, or `[left, right]`. */
export type Padding1d = number | readonly [number, number];

/** 1-D convolution on `[N, C, L]`; weight `[outChannels, inChannels/groups, kernel]` (torch layout). */
export interface Conv1dSpec {
  readonly type: 'conv1d';
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernel: number;
  /** Default 1. */
  readonly stride?: number;
  /** Default 0; not allowed with `causal`. */
  readonly padding?: Padding1d;
  /** Default 1. */
  readonly dilation?: number;
  /**
   * Left-pad by `dilation * (kernel - 1)` so output step t sees only inputs at steps <= t (with
   * stride 1 the length is kept). Default false.
   */
  readonly causal?: boolean;
  /** Default 1. */
  readonly groups?: number;
  readonly bias?: boolean;
  readonly init?: InitScheme;
}

/** Transposed 1-D convolution; weight `[inChannels, outChannels/groups, kernel]` (torch layout). */
export interface ConvTranspose1dSpec extends Omit<Conv1dSpec, 'type' | 'causal'> {
  readonly type: 'convTranspose1d';
  /** Extra steps on the right (must be < stride or dilation); default 0. */
  readonly outputPadding?: number;
}

export type AnyConv1dSpec = Conv1dSpec | ConvTranspose1dSpec;

/** `[left, right]` padding of a 1-D convolution, causal padding resolved. */
export function pads1d(spec: AnyConv1dSpec): [number, number] {
  if (spec.type === 'conv1d' && spec.causal) return [(spec.dilation ?? 1) * (spec.kernel - 1), 0];
  const p = spec.padding ?? 0;
  return typeof p === 'number' ? [p, p] : [p[0], p[1]];
}

/** Weight shape in torch's layout. */
export function conv1dWeightShape(spec: AnyConv1dSpec): number[] {
  const g = spec.groups ?? 1;
  return spec.type === 'conv1d'
    ? [spec.outChannels, spec.inChannels / g, spec.kernel]
    : [spec.inChannels, spec.outChannels / g, spec.kernel];
}

/** Output shape for input `[N, C, L]`; `fail` throws the caller's layer error. */
export function conv1dOutputShape(spec: AnyConv1dSpec, x: Shape, fail: (detail: string) => never): Dim[] {
  const [n, c, len] = x;
  if (x.length !== 3 || typeof c !== 'number' || typeof len !== 'number')
    fail(`needs a 3-D [N, C, L] input with static C, L; got ${formatShape(x)}`);
  if (c !== spec.inChannels)
    fail(`inChannels=${spec.inChannels} but input has ${String(c)} channels ${formatShape(x)}`);
  const [k, s, d] = [spec.kernel, spec.stride ?? 1, spec.dilation ?? 1];
  const [pl, pr] = pads1d(spec);
  const out =
    spec.type === 'conv1d'
      ? convOutLength(len as number, k, s, d, pl, pr)
      : convTransposeOutLength(len as number, k, s, d, pl, pr, spec.outputPadding ?? 0);
  if (out < 1) fail(`output would be empty (length ${out}) for input ${formatShape(x)}`);
  return [n!, spec.outChannels, out];
}

/** Builds the convolution on `x [N, C, L]` with `weight` in torch layout and an optional bias. */
export function applyConv1d(spec: AnyConv1dSpec, x: Tensor, weight: Tensor, bias?: Tensor): Tensor {
  const [pl, pr] = pads1d(spec);
  const attrs = {
    kernel_shape: [1, spec.kernel],
    strides: [1, spec.stride ?? 1],
    pads: [0, pl, 0, pr],
    dilations: [1, spec.dilation ?? 1],
    group: spec.groups ?? 1,
    ...(spec.type === 'convTranspose1d' ? { output_padding: [0, spec.outputPadding ?? 0] } : {}),
  };
  const ins = [x.unsqueeze([2]), weight.unsqueeze([2]), ...(bias ? [bias] : [])];
  const op = spec.type === 'conv1d' ? 'Conv' : 'ConvTranspose';
  return x.graph.apply1(op, ins, attrs).squeeze([2]);
}
