import {
  convStackProblem,
  convVAE,
  type LikelihoodSpec,
  mlpVAE,
  type TabularColumn,
  TrainConfigError,
  tabularVAE,
  VAE,
} from '@vae/core';
import type { RunData } from '../data/load-data';
import { parseDenoise } from './denoise-flag';
import { recipePrior } from './optim-flags';
import type { Recipe } from './run-dir';

/** p(x|z) of an image model as the recipe says (`--likelihood`, `--gaussian-scale`; default Bernoulli). */
export function likelihoodSpec(recipe: Recipe): LikelihoodSpec {
  const type = recipe.likelihood ?? 'bernoulli';
  if (type !== 'gaussian') return { type };
  const s = recipe.gaussianScale ?? 'shared';
  return { type, scale: s === 'shared' ? 'learned-shared' : s === 'per-pixel' ? 'learned' : s };
}

/**
 * The VAE a recipe describes, for image data (`mlp` or `conv`, channel-major `[c, h, w]` examples):
 * an MLP over the flattened C x H x W values, or a conv VAE of the data's geometry with `--hidden`
 * as its convs' channel widths (at 28x28 grey with the default 32,64 it is `convVAE28`).
 */
export function buildImageModel(recipe: Recipe, data: RunData): VAE {
  const vae = buildPlainImageModel(recipe, data);
  // `--denoise`: the same model, its training steps encoding corrupted inputs.
  return recipe.denoise ? new VAE({ ...vae.spec, denoise: parseDenoise(recipe.denoise) }) : vae;
}

/** {@link buildImageModel} without the recipe's `denoise`. */
function buildPlainImageModel(recipe: Recipe, data: RunData): VAE {
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
    if (!img)
      throw new TrainConfigError(
        `--model conv needs images; ${recipe.dataset} holds vectors of ${data.train.exampleSize} values: use --model mlp`,
      );
    // `--hidden` lists the convs' channel widths; a size they would shrink to nothing is refused here.
    const geometry = { height: img.h, width: img.w, channels: img.c, hidden: recipe.hidden };
    const problem = convStackProblem(geometry);
    if (problem) throw new TrainConfigError(`--model conv: ${problem} (the widths are --hidden)`);
    return convVAE({ ...geometry, latent: recipe.latent, likelihood, condition, prior: recipePrior(recipe) });
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
