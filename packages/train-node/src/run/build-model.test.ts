import { convVAE28, mlpVAE } from '@vae/core';
import { describe, expect, it } from 'vitest';
import { prepareRun } from './prepare-run';
import { recipeFrom } from './recipe-flags';
import type { RunConfig } from './run-dir';

// Which model `vae train --model` builds from the data: the default 28x28 grey conv run is still
// convVAE28 (so it trains bit for bit as before), the MLP default is unchanged, and a resumed run
// trains the model it saved.

describe('image models from the recipe', () => {
  it('--model conv on 28x28 grey with no --hidden is convVAE28 (hidden 32,64, latent 20), spec for spec', async () => {
    const recipe = recipeFrom({ dataset: 'mnist-default', model: 'conv' });
    expect(recipe.hidden).toEqual([32, 64]);
    const { vae, info, data } = await prepareRun(recipe, null);
    expect(JSON.stringify(vae.spec)).toBe(JSON.stringify(convVAE28({ latent: 20 }).spec));
    expect(info.shape).toEqual([1, 28, 28]);
    // Channel-major examples, the same bytes as the 28 x 28 files.
    expect(data.train.exampleShape).toEqual([1, 28, 28]);
  });

  it('--model mlp keeps hidden 400 (784-400-20)', async () => {
    const recipe = recipeFrom({ dataset: 'mnist-default' });
    expect(recipe).toMatchObject({ model: 'mlp', hidden: [400], latent: 20 });
    const { vae } = await prepareRun(recipe, null);
    expect(vae.spec).toEqual(mlpVAE({ inputSize: 784, hidden: [400], latent: 20 }).spec);
  });

  it('a resumed run trains the model it saved (a conv run from before --hidden set the widths)', async () => {
    // Such runs saved the image default hidden 400 beside the 32,64 conv model.
    const recipe = { ...recipeFrom({ dataset: 'mnist-default', model: 'conv' }), hidden: [400] };
    const saved = { model: convVAE28({ latent: 20 }).spec, recipe } as unknown as RunConfig;
    const { vae } = await prepareRun(recipe, saved);
    expect(vae.spec).toEqual(saved.model);
  });
});
