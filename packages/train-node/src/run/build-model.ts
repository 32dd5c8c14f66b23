import { convVAE28, type LikelihoodSpec, mlpVAE, type TabularColumn, tabularVAE, type VAE } from '@vae/core';
import type { RunData } from '../data/load-data';
import { TrainConfigError } from '../train/errors';
import { recipePrior } from './optim-flags';
import type { Recipe } from './run-dir';

/** p(x|z) of an image model as the recipe says (`--likelihood`, `--gaussian-scale`; default Bernoulli). */
export function likelihoodSpec(recipe: Recipe): LikelihoodSpec {
  const type = recipe.likelihood ?? 'bernoulli';
  if (type !== 'gaussian') return { type };
  const s = recipe.gaussianScale ?? 'shared';
  return { type, scale: s === 'shared' ? 'learned-shared' : s === 'per-pixel' ? 'learned' : s };
}

/** The VAE a recipe describes, for image data (`mlp` or `conv`). */
export function buildImageModel(recipe: Recipe, data: RunData): VAE {
  const classes = data.classNames;
  if (recipe.conditional && !classes)
    throw new TrainConfigError(`--conditional needs a labelled dataset; ${recipe.dataset} has no labels`);
  const condition = recipe.conditional && classes ? { size: classes.length, labels: classes } : undefined;
  const likelihood = likelihoodSpec(recipe);
  if (recipe.model === 'mlp') {
    const { h, w, c } = data.image ?? { h: 1, w: data.train.exampleSize, c: 1 };
    return mlpVAE({
      inputSize: h * w * c,
      latent: recipe.latent,
      hidden: recipe.hidden,
      likelihood,
      condition,
      prior: recipePrior(recipe),
    });
  }
  if (recipe.model === 'conv') {
    const img = data.image;
    if (img?.h !== 28 || img.w !== 28 || img.c !== 1)
      throw new TrainConfigError(
        `--model conv needs 28x28 grey images today; use --model mlp (${recipe.dataset} holds ${img ? `${img.h}x${img.w}${img.c === 1 ? ' grey images' : `x${img.c} images`}` : `vectors of ${data.train.exampleSize} values`})`,
      );
    return convVAE28({ latent: recipe.latent, likelihood, condition, prior: recipePrior(recipe) });
  }
  throw new TrainConfigError(
    `--model ${recipe.model} is for CSV data; use mlp or conv for ${recipe.dataset}`,
  );
}

/**
 * The tabular VAE a recipe describes: an MLP (ELU) with per-column likelihoods (Gaussian,
 * Bernoulli, Categorical) over the columns of the run's fitted encoder.
 */
export function buildTabularModel(recipe: Recipe, columns: readonly TabularColumn[]): VAE {
  if (recipe.model !== 'tabular')
    throw new TrainConfigError(
      `--model ${recipe.model} is for images; ${recipe.dataset} is tabular: use --model tabular`,
    );
  if (recipe.conditional) throw new TrainConfigError('--conditional is not supported for tabular models');
  return tabularVAE(columns, { latent: recipe.latent, hidden: recipe.hidden, prior: recipePrior(recipe) });
}
