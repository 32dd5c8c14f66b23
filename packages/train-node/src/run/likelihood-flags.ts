import { TrainConfigError } from '@vae/core';
import type { BinarizeMode, ImageLikelihood, Recipe } from './run-dir';

// `vae train --likelihood`, `--binarize`, `--gaussian-scale`: p(x|z) of image models and how the
// pixels are fed to it. Bernoulli models binary data (dynamic or thresholded binarisation); the
// grey-level likelihoods see the pixels as they are (never binarised).

export const LIKELIHOODS: readonly ImageLikelihood[] = [
  'bernoulli',
  'continuous-bernoulli',
  'gaussian',
  'discretized-logistic',
];
export const BINARIZE_MODES: readonly BinarizeMode[] = ['dynamic', 'threshold', 'none'];

/** The flags as typed (absent: undefined). */
export interface LikelihoodFlags {
  readonly model?: string;
  readonly likelihood?: string;
  readonly binarize?: string;
  readonly gaussianScale?: string;
}

export function parseLikelihood(v: string): ImageLikelihood {
  if (!(LIKELIHOODS as readonly string[]).includes(v))
    throw new TrainConfigError(`--likelihood must be ${LIKELIHOODS.join(', ')}; got ${v}`);
  return v as ImageLikelihood;
}

export function parseBinarize(v: string): BinarizeMode {
  if (!(BINARIZE_MODES as readonly string[]).includes(v))
    throw new TrainConfigError(`--binarize must be dynamic, threshold or none; got ${v}`);
  return v as BinarizeMode;
}

/** `shared` | `per-pixel` | `fixed:S` (S > 0, a fixed sigma on the [0, 1] pixel scale). */
export function parseGaussianScale(v: string): NonNullable<Recipe['gaussianScale']> {
  if (v === 'shared' || v === 'per-pixel') return v;
  const m = /^fixed:(.+)$/.exec(v);
  const s = m ? Number(m[1]) : Number.NaN;
  if (!(Number.isFinite(s) && s > 0))
    throw new TrainConfigError(
      `--gaussian-scale must be shared (one learned sigma), per-pixel (a learned sigma per pixel) or fixed:S with S > 0; got ${v}`,
    );
  return s;
}

const showScale = (s: Recipe['gaussianScale']) => (typeof s === 'number' ? `fixed:${s}` : s);

/** The binarisation a likelihood gets when `--binarize` is not given. */
export const defaultBinarize = (l: ImageLikelihood): BinarizeMode => (l === 'bernoulli' ? 'dynamic' : 'none');

/**
 * The recipe's likelihood fields for a fresh run (nothing for tabular models, which have their
 * per-column likelihoods), each flag checked against the others.
 * @throws TrainConfigError
 */
export function likelihoodRecipe(
  o: LikelihoodFlags,
): Pick<Recipe, 'likelihood' | 'binarize' | 'gaussianScale'> {
  const given = (['likelihood', 'binarize', 'gaussianScale'] as const).filter((k) => o[k] !== undefined);
  if (o.model === 'tabular') {
    if (given.length > 0)
      throw new TrainConfigError(
        `--${given[0] === 'gaussianScale' ? 'gaussian-scale' : given[0]} is for image models; tabular models have a likelihood per column (Gaussian, Bernoulli, categorical)`,
      );
    return {};
  }
  const likelihood = parseLikelihood(o.likelihood ?? 'bernoulli');
  const binarize = o.binarize === undefined ? defaultBinarize(likelihood) : parseBinarize(o.binarize);
  if (likelihood !== 'bernoulli' && binarize !== 'none')
    throw new TrainConfigError(
      `--binarize ${binarize} makes binary data, which only --likelihood bernoulli models; ${likelihood} is a grey-level likelihood and sees the pixels as they are: drop --binarize`,
    );
  if (likelihood === 'bernoulli' && binarize === 'none')
    throw new TrainConfigError(
      '--likelihood bernoulli is a likelihood of binary data, and --binarize none would feed it grey levels (its "NLL" would not be one): use --binarize dynamic or threshold, or a grey-level likelihood (continuous-bernoulli, gaussian, discretized-logistic)',
    );
  if (o.gaussianScale !== undefined && likelihood !== 'gaussian')
    throw new TrainConfigError(`--gaussian-scale is for --likelihood gaussian, not ${likelihood}: drop it`);
  return {
    likelihood,
    binarize,
    ...(likelihood === 'gaussian' ? { gaussianScale: parseGaussianScale(o.gaussianScale ?? 'shared') } : {}),
  };
}

type Check = readonly [flag: string, given: (f: LikelihoodFlags) => unknown, saved: (r: Recipe) => unknown];

/** `--resume` checks: runs made before these flags are Bernoulli on dynamically binarised pixels. */
export const LIKELIHOOD_CHECKS: readonly Check[] = [
  [
    'likelihood',
    (f) => (f.likelihood === undefined ? undefined : parseLikelihood(f.likelihood)),
    (r) => (r.model === 'tabular' ? 'tabular' : (r.likelihood ?? 'bernoulli')),
  ],
  [
    'binarize',
    (f) => (f.binarize === undefined ? undefined : parseBinarize(f.binarize)),
    (r) => (r.model === 'tabular' ? 'none' : (r.binarize ?? defaultBinarize(r.likelihood ?? 'bernoulli'))),
  ],
  [
    'gaussian-scale',
    (f) => (f.gaussianScale === undefined ? undefined : showScale(parseGaussianScale(f.gaussianScale))),
    (r) => (r.gaussianScale === undefined ? 'none' : showScale(r.gaussianScale)),
  ],
];
