/**
 * Layer specs: plain, JSON-serialisable data (a discriminated union on `type`). A spec says what a
 * layer is; `init` makes its parameters and `apply` builds its graph. Nothing here holds tensors.
 */
import { UserError } from '../errors/user-error';
import type { Conv1dSpec, ConvTranspose1dSpec } from './conv1d';
import type { EmbeddingSpec } from './embedding';
import type { GruSpec } from './gru';
import type { InitScheme } from './init-scheme';
import type { LstmSpec } from './lstm';
import type { PermuteSpec, RepeatSpec } from './permute';

export type {
  Conv1dSpec,
  ConvTranspose1dSpec,
  EmbeddingSpec,
  GruSpec,
  InitScheme,
  LstmSpec,
  PermuteSpec,
  RepeatSpec,
};

/** Element-wise non-linearities an `activation` layer can apply. */
export type ActivationFn = 'relu' | 'leakyRelu' | 'elu' | 'tanh' | 'sigmoid' | 'softplus' | 'identity';

/** One number for both spatial axes, or `[height, width]`. */
export type Pair = number | readonly [number, number];

/** Fully connected: `x.matmul(weight).add(bias)`, weight `[in, out]` (the transpose of torch's). */
export interface DenseSpec {
  readonly type: 'dense';
  readonly in: number;
  readonly out: number;
  /** Default true. */
  readonly bias?: boolean;
  /** Default 'torch'. */
  readonly init?: InitScheme;
}

/** 2-D convolution on NCHW; weight `[outChannels, inChannels/groups, kH, kW]` (ONNX and torch layout). */
export interface Conv2dSpec {
  readonly type: 'conv2d';
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernel: Pair;
  /** Default 1. */
  readonly stride?: Pair;
  /** Symmetric zero padding per axis; default 0. */
  readonly padding?: Pair;
  /** Default 1. */
  readonly dilation?: Pair;
  /** Default 1. */
  readonly groups?: number;
  readonly bias?: boolean;
  readonly init?: InitScheme;
}

/** Transposed 2-D convolution; weight `[inChannels, outChannels/groups, kH, kW]`. */
export interface ConvTranspose2dSpec extends Omit<Conv2dSpec, 'type'> {
  readonly type: 'convTranspose2d';
  /** Extra rows/columns on the bottom/right (must be < stride or dilation); default 0. */
  readonly outputPadding?: Pair;
}

/** Nearest-neighbour upsampling of NCHW by integer factors (ONNX Resize). */
export interface UpsampleSpec {
  readonly type: 'upsample';
  readonly scale: Pair;
}

/** Reshape each example to `shape` (the batch dim is kept; one -1 may be inferred). */
export interface ReshapeSpec {
  readonly type: 'reshape';
  readonly shape: readonly number[];
}

/** `[N, ...]` to `[N, prod(...)]`. */
export interface FlattenSpec {
  readonly type: 'flatten';
}

export interface ActivationSpec {
  readonly type: 'activation';
  readonly fn: ActivationFn;
  /** Slope of leakyRelu (default 0.01) or scale of elu (default 1); only for those two. */
  readonly alpha?: number;
}

/** Layer normalisation over the trailing dims `shape`, with learned weight and bias (torch LayerNorm). */
export interface LayerNormSpec {
  readonly type: 'layerNorm';
  readonly shape: readonly number[];
  /** Default 1e-5. */
  readonly eps?: number;
  /** Learned weight and bias; default true. */
  readonly affine?: boolean;
}

/**
 * Batch normalisation in its inference form over dim 1 of `[N, C, ...]`: parameters weight, bias and
 * the running statistics running_mean, running_var (not trained; batch statistics are never used).
 */
export interface BatchNormSpec {
  readonly type: 'batchNorm';
  readonly channels: number;
  /** Default 1e-5. */
  readonly eps?: number;
}

/** Inverted dropout: zeroes each element with probability `rate` in training; identity otherwise. */
export interface DropoutSpec {
  readonly type: 'dropout';
  readonly rate: number;
}

/** `x + body(x)`; `body` must keep the shape. */
export interface ResidualSpec {
  readonly type: 'residual';
  readonly body: LayerSpec;
}

/** Layers applied in order; child i's parameters are named `<prefix>.i.<name>`. */
export interface SequentialSpec {
  readonly type: 'sequential';
  readonly layers: readonly LayerSpec[];
}

/** Any layer spec. */
export type LayerSpec =
  | DenseSpec
  | Conv2dSpec
  | ConvTranspose2dSpec
  | Conv1dSpec
  | ConvTranspose1dSpec
  | EmbeddingSpec
  | GruSpec
  | LstmSpec
  | PermuteSpec
  | RepeatSpec
  | UpsampleSpec
  | ReshapeSpec
  | FlattenSpec
  | ActivationSpec
  | LayerNormSpec
  | BatchNormSpec
  | DropoutSpec
  | ResidualSpec
  | SequentialSpec;

/** The `type` tags of all layer specs. */
export type LayerType = LayerSpec['type'];

/** A spec that is wrong, or does not fit its input or parameters; `path` names the layer (e.g. `enc.1`). */
export class LayerSpecError extends UserError {
  override name = 'LayerSpecError';
  constructor(
    readonly path: string,
    readonly layerType: string,
    readonly detail: string,
  ) {
    super(`layer ${path || '(root)'} (${layerType}): ${detail}`);
  }
}

/** `prefix.name`, or `name` at the root. */
export const join = (prefix: string, name: string | number): string =>
  prefix ? `${prefix}.${name}` : String(name);

/** Both entries of a Pair. */
export const pairOf = (p: Pair): [number, number] => (typeof p === 'number' ? [p, p] : [p[0], p[1]]);
