import { modelFromSpec, TrainConfigError, type VAE } from '@vae/core';
import { loadImageData, type RunData } from '../data/load-data';
import { keepClasses } from '../data/select-classes';
import {
  isTabularDataset,
  loadTabularData,
  maskColumnsOf,
  modelColumns,
  prepareTabular,
  type TabularData,
} from '../data/tabular-data';
import { isUserDataset, loadUserData } from '../data/user-data';
import { prepareSeriesRun } from '../series/series-prepare';
import { prepareTextRun } from '../text/text-data';
import { buildImageModel, buildTabularModel } from './build-model';
import type { DataInfo, Recipe, RunConfig } from './run-dir';

// `vae train`'s preparation: from a recipe to the data splits, the model, and how the data are fed.

function imageInfo(recipe: Recipe, data: RunData, vae: VAE): DataInfo {
  const likelihood = recipe.likelihood ?? 'bernoulli';
  const mode = recipe.binarize ?? (likelihood === 'bernoulli' ? 'dynamic' : 'none');
  const uint8 = data.train.dtype === 'uint8';
  if (likelihood === 'discretized-logistic' && !uint8)
    throw new TrainConfigError(
      `--likelihood discretized-logistic is a pmf over the 256 levels of 8-bit pixels, but ${recipe.dataset} holds float32 values: use continuous-bernoulli or gaussian`,
    );
  // Continuous densities see 8-bit pixels uniformly dequantised, so their NLL bounds the pixels' pmf.
  const dequantize = uint8 && (likelihood === 'continuous-bernoulli' || likelihood === 'gaussian');
  return {
    shape: [...vae.spec.dataShape],
    image: data.image,
    binarize: mode === 'dynamic' ? true : mode === 'threshold' ? 'threshold' : false,
    ...(dequantize ? { dequantize: true } : {}),
    // uint8 pixels are k/255; float32 data are already probabilities in [0, 1] (checked on load).
    scale: uint8 ? 255 : 1,
    classNames: data.classNames,
    maskColumns: null,
  };
}

/**
 * A fresh run's model from its recipe; a resumed run's as saved, since its checkpoint holds that
 * model's weights (conv runs made before `--hidden` set the conv widths saved `hidden` 400 beside a
 * 32,64 model).
 */
const imageModel = (recipe: Recipe, data: RunData, saved: RunConfig | null): VAE =>
  saved ? modelFromSpec(saved.model) : buildImageModel(recipe, data);

/** What training needs from the data: splits, model, how to feed it, and state to save. */
export interface Prepared {
  readonly recipe: Recipe;
  readonly data: RunData;
  readonly vae: VAE;
  readonly info: DataInfo;
  readonly extra?: Record<string, unknown>;
}

/** Tabular data (a CSV or penguins): split, encoder fitted on the training rows, tabular VAE. */
async function prepareTabularRun(
  recipe: Recipe,
  saved: RunConfig | null,
  valFlag?: number,
): Promise<Prepared> {
  if (recipe.model !== 'tabular')
    throw new TrainConfigError(
      `--model ${recipe.model} is for images; ${recipe.dataset} is tabular: use --model tabular`,
    );
  const t: TabularData = saved
    ? await loadTabularData(saved)
    : await prepareTabular(recipe.dataset, {
        seed: recipe.seed,
        valCount: valFlag,
        batchSize: recipe.batchSize,
      });
  const full = { ...recipe, valCount: t.state.split.val };
  const vae = buildTabularModel(full, modelColumns(t.encoder));
  const info: DataInfo = {
    shape: [...vae.spec.dataShape],
    image: null,
    binarize: false,
    scale: 1,
    classNames: t.data.classNames,
    maskColumns: maskColumnsOf(t.encoder),
  };
  return { recipe: full, data: t.data, vae, info, extra: { tabular: t.state } };
}

/**
 * Loads a recipe's data and builds its model: images (`mlp` / `conv`) or a table (a CSV or
 * penguins). A resumed run (`saved`) reloads its tabular split and fitted encoder as saved; user
 * data (`--dataset PATH`) are split as the recipe says, a fresh run recording the split sizes.
 * `classes` (`--classes`, names or ids; a resumed run's recipe holds its ids) keeps those classes
 * in the training and validation splits, the recipe recording their ids (see select-classes.ts).
 */
export async function prepareRun(
  recipe: Recipe,
  saved: RunConfig | null,
  valFlag?: number,
  classes?: readonly string[],
): Promise<Prepared> {
  const chosen = classes ?? recipe.classes;
  if (chosen && isTabularDataset(recipe.dataset))
    throw new TrainConfigError(
      `--classes selects image classes; ${recipe.dataset} is tabular: drop --classes`,
    );
  const p = await prepareSplits(recipe, saved, valFlag);
  if (!chosen) return p;
  const { data, ids } = keepClasses(p.data, chosen);
  return { ...p, data, recipe: { ...p.recipe, classes: ids } };
}

/** {@link prepareRun} before any `--classes` selection. */
async function prepareSplits(recipe: Recipe, saved: RunConfig | null, valFlag?: number): Promise<Prepared> {
  // `--series`: windows of CSV columns (a CSV is otherwise a table).
  if (recipe.series) return prepareSeriesRun(recipe, saved, valFlag);
  // `--text chars`: a text file's lines, a text VAE (or its language model).
  if (recipe.text) return prepareTextRun(recipe, saved, valFlag);
  if (isTabularDataset(recipe.dataset)) return prepareTabularRun(recipe, saved, valFlag);
  if (recipe.model === 'tabular')
    throw new TrainConfigError(
      `--model tabular takes a .csv path or penguins as --dataset, got ${recipe.dataset}`,
    );
  if (isUserDataset(recipe.dataset)) {
    const u = await loadUserData(recipe, saved ? recipe.valCount : valFlag);
    const full: Recipe = {
      ...recipe,
      valCount: u.valCount,
      ...(u.testFraction === null ? {} : { testFraction: u.testFraction }),
    };
    const vae = imageModel(full, u.data, saved);
    return { recipe: full, data: u.data, vae, info: imageInfo(full, u.data, vae) };
  }
  const data = await loadImageData(recipe.dataset, recipe.valCount);
  const vae = imageModel(recipe, data, saved);
  return { recipe, data, vae, info: imageInfo(recipe, data, vae) };
}
