import { TRAIN_DEFAULTS } from '@vae/core';
import { RecipeError } from '../errors';

/**
 * What to train: the `vae train` flags a page can set. The model and optimizer built from it are
 * the ones `vae train` builds for the same flags (Adam, constant rate, Bernoulli likelihood on
 * dynamically binarised pixels), so per-step losses compare with Node's.
 */
export interface Recipe {
  /**
   * Images: `mlp` (default) or `conv` (stride-2 convs; `hidden` lists their channel widths); CSV
   * tables: `tabular` (the default there).
   */
  readonly model: 'mlp' | 'conv' | 'tabular';
  /** Latent size (default 20; tabular 4). */
  readonly latent: number;
  /** Hidden widths (default: mlp `[400]`, conv `[32, 64]`, tabular `[64, 64]`). */
  readonly hidden: readonly number[];
  /** Default 10. */
  readonly epochs: number;
  /** Default 128. */
  readonly batchSize: number;
  /** Adam's learning rate (default 1e-3). */
  readonly learningRate: number;
  /** Seeds every random stream: init, shuffle, binarisation, noise (default 1). */
  readonly seed: number;
  /** Steps per onnxruntime call (ONNX Loop); default as `vae train`: data within 32 MiB, at most 64. */
  readonly stepsPerRun?: number;
}

/** The defaults of a fresh `vae train` run (core's `TRAIN_DEFAULTS`), for these models. */
export const RECIPE_DEFAULTS = {
  model: 'mlp',
  epochs: TRAIN_DEFAULTS.epochs,
  batchSize: TRAIN_DEFAULTS.batchSize,
  learningRate: TRAIN_DEFAULTS.learningRate,
  seed: TRAIN_DEFAULTS.seed,
  mlp: TRAIN_DEFAULTS.sizes.mlp,
  conv: TRAIN_DEFAULTS.sizes.conv,
  tabular: TRAIN_DEFAULTS.sizes.tabular,
} as const;

const FIELDS = new Set([
  'model',
  'latent',
  'hidden',
  'epochs',
  'batchSize',
  'learningRate',
  'seed',
  'stepsPerRun',
]);

const positiveInt = (field: string, v: unknown) => {
  if (!(typeof v === 'number' && Number.isInteger(v) && v >= 1))
    throw new RecipeError(`recipe.${field} must be a positive integer, got ${String(v)}`);
};

/**
 * A recipe with its defaults filled in and every field checked.
 * @param given - the fields a page sets (absent ones take {@link RECIPE_DEFAULTS})
 * @param dataKind - the data it trains on: `csv` defaults to (and needs) the tabular model
 * @throws RecipeError naming the first field at fault, on one line
 */
export function checkRecipe(given: unknown = {}, dataKind: 'digits' | 'images' | 'csv' = 'digits'): Recipe {
  if (typeof given !== 'object' || given === null || Array.isArray(given))
    throw new RecipeError(
      `recipe must be an object, got ${Array.isArray(given) ? 'an array' : String(given)}`,
    );
  const o = given as Record<string, unknown>;
  const unknown = Object.keys(o).filter((k) => !FIELDS.has(k) && o[k] !== undefined);
  if (unknown.length)
    throw new RecipeError(`recipe has unknown field ${unknown[0]}: it takes ${[...FIELDS].join(', ')}`);
  const model = o.model ?? (dataKind === 'csv' ? 'tabular' : RECIPE_DEFAULTS.model);
  if (model !== 'mlp' && model !== 'conv' && model !== 'tabular')
    throw new RecipeError(`recipe.model must be mlp, conv or tabular, got ${String(model)}`);
  if ((model === 'tabular') !== (dataKind === 'csv'))
    throw new RecipeError(
      model === 'tabular'
        ? `recipe.model tabular is for CSV data; use mlp or conv for ${dataKind}`
        : `recipe.model ${model} is for images; CSV data train with recipe.model tabular`,
    );
  const sizes = RECIPE_DEFAULTS[model];
  const r = {
    model,
    latent: o.latent ?? sizes.latent,
    hidden: o.hidden ?? [...sizes.hidden],
    epochs: o.epochs ?? RECIPE_DEFAULTS.epochs,
    batchSize: o.batchSize ?? RECIPE_DEFAULTS.batchSize,
    learningRate: o.learningRate ?? RECIPE_DEFAULTS.learningRate,
    seed: o.seed ?? RECIPE_DEFAULTS.seed,
  };
  positiveInt('latent', r.latent);
  if (!Array.isArray(r.hidden) || r.hidden.length === 0)
    throw new RecipeError(
      `recipe.hidden must be a non-empty array of positive integers, got ${String(r.hidden)}`,
    );
  for (const h of r.hidden) positiveInt('hidden', h);
  positiveInt('epochs', r.epochs);
  positiveInt('batchSize', r.batchSize);
  if (!(typeof r.learningRate === 'number' && Number.isFinite(r.learningRate) && r.learningRate > 0))
    throw new RecipeError(`recipe.learningRate must be a positive number, got ${String(r.learningRate)}`);
  if (!(typeof r.seed === 'number' && Number.isSafeInteger(r.seed) && r.seed >= 0))
    throw new RecipeError(`recipe.seed must be a non-negative integer, got ${String(r.seed)}`);
  if (o.stepsPerRun !== undefined) positiveInt('stepsPerRun', o.stepsPerRun);
  return {
    ...(r as Omit<Recipe, 'stepsPerRun'>),
    hidden: [...(r.hidden as number[])],
    ...(o.stepsPerRun !== undefined ? { stepsPerRun: o.stepsPerRun as number } : {}),
  };
}

/**
 * Steps per call unless the recipe says: as many as keep one call's data within 32 MiB, at most 64
 * (train-node's `defaultStepsPerRun`, the same rule so a browser run groups steps as Node does;
 * grouping does not change the numbers, only the cost per call).
 */
export function stepsPerRunFor(r: Recipe, exampleSize: number): number {
  if (r.stepsPerRun !== undefined) return r.stepsPerRun;
  const bytesPerStep = r.batchSize * exampleSize * 4;
  return Math.max(1, Math.min(64, Math.floor((32 * 2 ** 20) / bytesPerStep)));
}
