import { adam, convStackProblem, convVAE, mlpVAE, type Optimizer, tabularVAE, type VAE } from '@vae/core';
import { RecipeError } from '../errors';
import type { RunData } from './data';
import type { Recipe } from './recipe';
import { modelColumns } from './tabular-data';

/**
 * The model `vae train` builds for this recipe and data (train-node's `buildImageModel` with its
 * defaults): Bernoulli likelihood, standard-normal prior, unconditional; an MLP over the flattened
 * C x H x W pixels, or a conv VAE of the images' geometry with `hidden` as the convs' widths; for
 * a table, `tabularVAE` over its fitted columns (train-node's `buildTabularModel`).
 * @throws RecipeError when the model does not fit the data, or conv widths shrink the images to nothing
 */
export function buildModel(recipe: Recipe, data: Pick<RunData, 'image' | 'tabular'>): VAE {
  const prior = { type: 'standard-normal' } as const;
  if (data.tabular) {
    if (recipe.model !== 'tabular')
      throw new RecipeError(
        `recipe.model ${recipe.model} is for images; CSV data train with recipe.model tabular`,
      );
    return tabularVAE(modelColumns(data.tabular), {
      latent: recipe.latent,
      hidden: [...recipe.hidden],
      prior,
    });
  }
  if (!data.image || recipe.model === 'tabular')
    throw new RecipeError('recipe.model tabular is for CSV data; use mlp or conv for images');
  const { h, w, c } = data.image;
  const likelihood = { type: 'bernoulli' } as const;
  if (recipe.model === 'mlp')
    return mlpVAE({
      inputSize: h * w * c,
      latent: recipe.latent,
      hidden: [...recipe.hidden],
      likelihood,
      prior,
    });
  const geometry = { height: h, width: w, channels: c, hidden: [...recipe.hidden] };
  const problem = convStackProblem(geometry);
  if (problem) throw new RecipeError(`recipe.model conv: ${problem} (the widths are recipe.hidden)`);
  return convVAE({ ...geometry, latent: recipe.latent, likelihood, prior });
}

/** `vae train`'s default optimizer: Adam (torch's betas and eps), constant rate, no weight decay. */
export const buildOptimizer = (recipe: Recipe): Optimizer =>
  adam({ lr: recipe.learningRate, weightDecay: 0 });

/**
 * How stored examples become model inputs, as `vae train` feeds them: uint8 images to a Bernoulli
 * model with dynamic binarisation (x ~ Bernoulli(k / 255), a fresh draw per epoch and example);
 * encoded table rows as they are, with the per-column observed mask.
 */
export const feedSpecOf = (vae: VAE, data: Pick<RunData, 'tabular'>) => ({
  shape: [...vae.spec.dataShape],
  binarize: !data.tabular,
  scale: data.tabular ? 1 : 255,
  conditionSize: 0,
  maskColumns: data.tabular ? data.tabular.encodings.map((e) => e.offset) : null,
});
