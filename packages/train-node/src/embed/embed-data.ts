/**
 * The data `vae embed` encodes: the run's own splits, or `--dataset D` (anything `vae train
 * --dataset` takes) read by the same loaders and split the way `vae train --dataset D --seed <the
 * run's seed>` would, then fed the way the run's training fed its data without its input noise
 * ({@link withoutInputNoise}). A D whose examples do not fit the run's model is refused with one
 * line saying what each side holds.
 */
import { resolve } from 'node:path';
import { loadImageData, loadRunData, type RunData } from '../data/load-data';
import {
  isTabularDataset,
  loadTabularData,
  PENGUINS_DATASET,
  readTable,
  splitSizes,
  tableHash,
  tabularState,
} from '../data/tabular-data';
import { isUserDataset, loadUserData, userDataKind } from '../data/user-data';
import { UsageError } from '../render/errors';
import { recipeFrom } from '../run/recipe-flags';
import type { DataInfo, LoadedRun } from '../run/run-dir';

/** The splits to encode and how to feed them to the run's model. */
export interface EmbedData {
  readonly data: RunData;
  readonly info: DataInfo;
  /** The dataset, as the run's recipe or `--dataset` named it. */
  readonly dataset: string;
}

const shapeText = (s: readonly number[]) => `[${s.join(', ')}]`;
const size = (s: readonly number[]) => s.reduce((a, d) => a * d, 1);

/** Whether `dataset` names the run's own data (the same name, or the same file by absolute path). */
function isRunDataset(run: LoadedRun, dataset: string): boolean {
  const own = run.config.recipe.dataset;
  if (dataset === own) return true;
  if (run.config.recipe.model === 'tabular') return resolve(dataset) === tabularState(run.config).source;
  return userDataKind(dataset) !== null && resolve(dataset) === own;
}

/**
 * A table for a tabular run: the run's schema and fitted encoder applied to D's rows, split 80/10/10
 * with the run's seed (the rows a run on D would hold out). The run's label column labels D's rows
 * when D has it.
 */
async function tabularData(run: LoadedRun, dataset: string): Promise<RunData> {
  const state = tabularState(run.config);
  const table = await readTable(dataset);
  const n = table.rows.length;
  if (n === 0) throw new UsageError(`--dataset ${dataset} has no data rows: the CSV has a header only`);
  const labels = state.labels && table.header.includes(state.labels.column) ? state.labels : null;
  const config = {
    ...run.config,
    extra: {
      ...run.config.extra,
      tabular: {
        ...state,
        source: dataset === PENGUINS_DATASET ? dataset : resolve(dataset),
        rows: n,
        sha256: tableHash(table),
        split: { seed: state.split.seed, ...splitSizes(n) },
        labels,
      },
    },
  };
  return (await loadTabularData(config)).data;
}

/** Image or vector data for an image run, read as `vae train --dataset D` reads it. */
async function imageData(run: LoadedRun, dataset: string): Promise<RunData> {
  const r = run.config.recipe;
  const kind = userDataKind(dataset);
  // The run's reading flags carry over where they apply to D (a folder's size and grey, an array's layout).
  const recipe = recipeFrom({
    dataset,
    model: r.model,
    seed: r.seed,
    ...(kind === 'folder' && r.size ? { size: r.size } : {}),
    ...(kind === 'folder' && r.grey ? { grey: true } : {}),
    ...((kind === 'npy' || kind === 'npz') && r.channelsFirst ? { channelsFirst: true } : {}),
  });
  return isUserDataset(recipe.dataset)
    ? (await loadUserData(recipe, undefined)).data
    : loadImageData(recipe.dataset, recipe.valCount);
}

/** How D's examples reach the model: the run's recipe, with D's own scale and image geometry. */
function infoFor(run: LoadedRun, dataset: string, data: RunData): DataInfo {
  const info = run.config.data;
  const model = run.vae.spec.dataShape;
  const got = data.test.count > 0 ? data.test : data.train;
  const stored = data.image ? [data.image.c, data.image.h, data.image.w] : [...got.exampleShape];
  const want = info.image ? [info.image.c, info.image.h, info.image.w] : [...model];
  const fits =
    size(stored) === size(model) && (!info.image || !data.image || shapeText(stored) === shapeText(want));
  if (!fits)
    throw new UsageError(
      `--dataset ${dataset} holds examples of shape ${shapeText(stored)} (${size(stored)} values), but ${run.dir} models ${shapeText(want)}${info.image ? ' images' : ''}: pass data of the run's shape`,
    );
  const cond = run.vae.spec.condition;
  if (cond && (!data.classNames || data.classNames.length !== cond.size))
    throw new UsageError(
      `${run.dir} is conditional on ${cond.size} classes, and --dataset ${dataset} has ${data.classNames ? `${data.classNames.length} classes` : 'no labels'}: its encoder needs each example's class`,
    );
  const uint8 = got.dtype === 'uint8';
  return {
    ...info,
    image: data.image,
    scale: uint8 ? 255 : 1,
    classNames: data.classNames,
  };
}

/**
 * How `vae embed` feeds examples: as training fed them minus the noise, so an embedding is a
 * function of the example. Dynamically binarised runs see the grey levels (the expectation of the
 * binarisation their encoder was trained on), dequantised runs the pixels k/255; threshold runs
 * keep their threshold. Measured on Fashion-MNIST (bench/embed): 5-NN accuracy on the means of the
 * 784-400-20 VAE is 83.3% from grey levels and 79.8% from one binarised draw.
 */
export const withoutInputNoise = (info: DataInfo): DataInfo => ({
  ...info,
  binarize: info.binarize === true ? false : info.binarize,
  dequantize: false,
});

/**
 * The data of `vae embed`: the run's splits, or those of `dataset` checked against the run's model.
 * @throws UsageError when D's kind or shape does not fit the run; the loaders' typed errors
 *   (TrainConfigError, DatasetError, RunError) for data that cannot be read
 */
export async function embedData(run: LoadedRun, dataset?: string): Promise<EmbedData> {
  const own = run.config.recipe.dataset;
  if (dataset === undefined || isRunDataset(run, dataset))
    return {
      data: await loadRunData(run.config),
      info: withoutInputNoise(run.config.data),
      dataset: dataset ?? own,
    };
  const tabularRun = run.config.recipe.model === 'tabular';
  const kind = run.config.data.image ? 'images' : 'vectors';
  if (tabularRun !== isTabularDataset(dataset))
    throw new UsageError(
      tabularRun
        ? `--dataset ${dataset} is not a table, but ${run.dir} models the columns of ${own}: pass a .csv with those columns`
        : `--dataset ${dataset} is a table, but ${run.dir} models ${shapeText(run.vae.spec.dataShape)} ${kind}: pass ${kind} of that shape`,
    );
  if (tabularRun) return { data: await tabularData(run, dataset), info: run.config.data, dataset };
  const data = await imageData(run, dataset);
  return { data, info: withoutInputNoise(infoFor(run, dataset, data)), dataset };
}
