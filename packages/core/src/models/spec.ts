/**
 * Model specs: plain JSON data that says what a model is (layer specs, latent size, likelihood,
 * prior, conditioning). A spec plus named parameters is a whole model; checkpoints store both.
 */

import type { TabularColumn } from '../bundle/manifest';
import { UserError } from '../errors/user-error';
import type { LayerSpec } from '../layers/spec';

/** One column of a tabular row: the bundle contract's type (a manifest records the columns as is). */
export type { TabularColumn };

/**
 * p(x|z). The decoder's output holds the likelihood's parameters:
 * - `bernoulli` / `continuous-bernoulli`: logits, shaped like the data;
 * - `gaussian`: the mean; the scale is fixed (`scale: number`), a learned per-feature parameter
 *   (`'learned'`) or one learned parameter shared by every feature (`'learned-shared'`);
 * - `discretized-logistic`: loc and log-scale stacked on the first data axis (2x channels);
 * - `tabular`: per column, [mean, raw scale] (continuous), K logits (categorical), 1 logit (binary);
 * - `sequence-categorical`: logits `[length, vocab]`, one categorical per position, masked past each
 *   sequence's end (a text model's; see `text-vae.ts`).
 */
export type LikelihoodSpec =
  | { readonly type: 'bernoulli' }
  | { readonly type: 'continuous-bernoulli' }
  | { readonly type: 'gaussian'; readonly scale: number | 'learned' | 'learned-shared' }
  | { readonly type: 'discretized-logistic' }
  | { readonly type: 'tabular'; readonly columns: readonly TabularColumn[] }
  | { readonly type: 'sequence-categorical'; readonly vocab: number };

/** p(z): standard normal, a learnable mixture of Gaussians, or a VampPrior with learned pseudo-inputs. */
export type PriorSpec =
  | { readonly type: 'standard-normal' }
  | { readonly type: 'mog'; readonly components: number }
  | { readonly type: 'vamp'; readonly pseudoInputs: number };

/** A condition c (one-hot label or features), concatenated to encoder input and to z, optionally embedded first. */
export interface ConditionSpec {
  readonly size: number;
  /** Embed c with a dense layer of this width before concatenating. */
  readonly embed?: number;
  /** Class names for one-hot conditions, for people and the playground. */
  readonly labels?: readonly string[];
}

/**
 * Input corruption of a denoising model (see `corruption.ts`): additive Gaussian noise of standard
 * deviation `std`; masking, each value set to 0 with probability `rate`; salt-and-pepper, each value
 * set to 0 or to 1 with probability `rate / 2` each (for data in [0, 1]).
 */
export type DenoiseSpec =
  | { readonly type: 'gaussian'; readonly std: number }
  | { readonly type: 'mask'; readonly rate: number }
  | { readonly type: 'salt-pepper'; readonly rate: number };

/**
 * The autoregressive decoder of a text VAE (`TextVAE`, Bowman et al. 2016): it reads the previous
 * token (teacher forcing) and starts from h0 = tanh(dense(z)).
 */
export interface TextDecoderSpec {
  /** Probability that a decoder input token becomes UNK in training steps (word dropout); default 0. */
  readonly wordDropout?: number;
  /** z also concatenated to every step's input, besides setting h0; default false. */
  readonly zEveryStep?: boolean;
  /** A language model with no latent variable: the decoder ignores z and the KL is 0; default false. */
  readonly lm?: boolean;
}

/** A variational autoencoder (a conditional one when `condition` is set). */
export interface VAESpec {
  readonly kind: 'vae';
  /** Shape of one example as the encoder takes it, e.g. [784] or [1, 28, 28]. */
  readonly dataShape: readonly number[];
  readonly latent: number;
  /** Maps data (with the condition concatenated, if any) to 2 x latent: [mean, log-variance]. */
  readonly encoder: LayerSpec;
  /** Maps z (with the condition concatenated, if any) to the likelihood's parameters. */
  readonly decoder: LayerSpec;
  readonly likelihood: LikelihoodSpec;
  readonly prior: PriorSpec;
  readonly condition?: ConditionSpec;
  /**
   * A denoising VAE (Im et al. 2017): in training steps the encoder sees x corrupted this way and
   * the likelihood scores the clean x. Evaluation, export and scoring graphs never corrupt.
   */
  readonly denoise?: DenoiseSpec;
  /** A text VAE's decoder settings (with a `sequence-categorical` likelihood; see `TextVAE`). */
  readonly text?: TextDecoderSpec;
}

/** A deterministic autoencoder baseline; with `denoise`, a denoising autoencoder. */
export interface AESpec {
  readonly kind: 'ae';
  readonly dataShape: readonly number[];
  readonly latent: number;
  /** Maps data to the latent code (latent features). */
  readonly encoder: LayerSpec;
  readonly decoder: LayerSpec;
  readonly likelihood: LikelihoodSpec;
  readonly denoise?: DenoiseSpec;
}

export type ModelSpec = VAESpec | AESpec;

/** A spec that cannot describe a working model; the message names the field. */
export class ModelSpecError extends UserError {
  override name = 'ModelSpecError';
}
