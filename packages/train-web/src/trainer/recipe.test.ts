import { describe, expect, it } from 'vitest';
import { RecipeError } from '../errors';
import { checkRecipe, RECIPE_DEFAULTS, stepsPerRunFor } from './recipe';

describe('checkRecipe', () => {
  it("fills in vae train's defaults", () => {
    expect(checkRecipe({})).toEqual({
      model: 'mlp',
      latent: 20,
      hidden: [400],
      epochs: 10,
      batchSize: 128,
      learningRate: 1e-3,
      seed: 1,
    });
    expect(checkRecipe({ model: 'conv' }).hidden).toEqual([...RECIPE_DEFAULTS.conv.hidden]);
    expect(checkRecipe({ stepsPerRun: 4 }).stepsPerRun).toBe(4);
  });

  it('defaults CSV data to the tabular model and refuses a model that does not fit the data', () => {
    expect(checkRecipe({}, 'csv')).toMatchObject({ model: 'tabular', latent: 4, hidden: [64, 64] });
    expect(() => checkRecipe({ model: 'mlp' }, 'csv')).toThrow(
      'recipe.model mlp is for images; CSV data train with recipe.model tabular',
    );
    expect(() => checkRecipe({ model: 'tabular' }, 'images')).toThrow(
      'recipe.model tabular is for CSV data; use mlp or conv for images',
    );
  });

  it('refuses each bad field with a one-line RecipeError naming it', () => {
    const cases: [unknown, string][] = [
      [null, 'recipe must be an object, got null'],
      [{ model: 'gru' }, 'recipe.model must be mlp, conv or tabular, got gru'],
      [{ latent: 0 }, 'recipe.latent must be a positive integer, got 0'],
      [{ hidden: [] }, 'recipe.hidden must be a non-empty array of positive integers'],
      [{ hidden: [64, 1.5] }, 'recipe.hidden must be a positive integer, got 1.5'],
      [{ epochs: -1 }, 'recipe.epochs must be a positive integer, got -1'],
      [{ batchSize: '64' }, 'recipe.batchSize must be a positive integer, got 64'],
      [{ learningRate: 0 }, 'recipe.learningRate must be a positive number, got 0'],
      [{ seed: -2 }, 'recipe.seed must be a non-negative integer, got -2'],
      [{ stepsPerRun: 0 }, 'recipe.stepsPerRun must be a positive integer, got 0'],
      [{ lr: 0.1 }, 'recipe has unknown field lr'],
    ];
    for (const [given, msg] of cases) {
      expect(() => checkRecipe(given)).toThrow(RecipeError);
      expect(() => checkRecipe(given)).toThrow(msg);
    }
  });

  it("groups steps per call like vae train's defaultStepsPerRun", () => {
    expect(stepsPerRunFor(checkRecipe({}), 784)).toBe(64);
    expect(stepsPerRunFor(checkRecipe({ batchSize: 4096 }), 3072)).toBe(1);
    expect(stepsPerRunFor(checkRecipe({ stepsPerRun: 3 }), 784)).toBe(3);
  });
});
