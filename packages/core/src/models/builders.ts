import { mlp } from '../layers/presets';
import { conditionWidth } from './conditioning';
import { type ConvVAEOptions, convVAE } from './conv-vae';
import { likelihoodParamShape } from './likelihood';
import type { ConditionSpec, LikelihoodSpec, PriorSpec, TabularColumn, VAESpec } from './spec';
import { tabularInputSize, tabularOutputSize } from './tabular-likelihood';
import { VAE } from './vae';

export type { ConvVAEOptions } from './conv-vae';

export interface MlpVAEOptions {
  /** Features per example (784 for flattened 28x28 images). */
  inputSize?: number;
  latent?: number;
  /** Hidden widths of the encoder; the decoder mirrors them. Default [400]. */
  hidden?: readonly number[];
  likelihood?: LikelihoodSpec;
  prior?: PriorSpec;
  condition?: ConditionSpec;
  activation?: 'relu' | 'tanh' | 'elu' | 'leakyRelu' | 'softplus';
}

/** An MLP VAE (784-400-20 by default, Bernoulli likelihood, standard-normal prior: Kingma & Welling 2014). */
export function mlpVAE(opts: MlpVAEOptions = {}): VAE {
  const d = opts.inputSize ?? 784;
  const latent = opts.latent ?? 20;
  const hidden = opts.hidden ?? [400];
  const likelihood = opts.likelihood ?? { type: 'bernoulli' };
  const cw = opts.condition ? conditionWidth(opts.condition) : 0;
  const out = likelihoodParamShape(likelihood, [d])[0]!;
  const act = opts.activation ?? 'relu';
  const spec: VAESpec = {
    kind: 'vae',
    dataShape: [d],
    latent,
    encoder: mlp([d + cw, ...hidden, 2 * latent], act),
    decoder: mlp([latent + cw, ...[...hidden].reverse(), out], act),
    likelihood,
    prior: opts.prior ?? { type: 'standard-normal' },
    ...(opts.condition ? { condition: opts.condition } : {}),
  };
  return new VAE(spec);
}

/** A convolutional VAE for 1x28x28 images (two stride-2 convs down, mirrored up): `convVAE` at 28x28x1. */
export function convVAE28(opts: ConvVAEOptions = {}): VAE {
  return convVAE({ ...opts, height: 28, width: 28, channels: 1 });
}

export interface TabularVAEOptions {
  latent?: number;
  hidden?: readonly number[];
  prior?: PriorSpec;
}

/**
 * An MLP VAE over tabular rows with per-column likelihoods (Gaussian for continuous, Categorical for
 * categorical, Bernoulli for binary). Missing cells are masked out of the likelihood and zeroed in
 * the encoder input (which also sees the mask), so it trains on incomplete data and imputes.
 */
export function tabularVAE(columns: readonly TabularColumn[], opts: TabularVAEOptions = {}): VAE {
  const f = tabularInputSize(columns);
  const latent = opts.latent ?? 4;
  const hidden = opts.hidden ?? [64, 64];
  const spec: VAESpec = {
    kind: 'vae',
    dataShape: [f],
    latent,
    encoder: mlp([f + columns.length, ...hidden, 2 * latent], 'elu'),
    decoder: mlp([latent, ...[...hidden].reverse(), tabularOutputSize(columns)], 'elu'),
    likelihood: { type: 'tabular', columns },
    prior: opts.prior ?? { type: 'standard-normal' },
  };
  return new VAE(spec);
}
