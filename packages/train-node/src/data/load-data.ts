import type { HostTensor } from '@vae/core';
import { EVAL_SEED, TrainConfigError } from '@vae/core';
import {
  type Dataset,
  dataKey,
  Feeder,
  fashionMnist,
  mnist,
  mnistDefault,
  sliceDataset,
  toChannelsFirst,
} from '@vae/datasets';
import type { DataInfo, RunConfig } from '../run/run-dir';
import { loadSeriesData } from '../series/series-data';
import { loadTextData, textStateOf } from '../text/text-data';
import type { RunData } from './run-data';
import { keepClasses } from './select-classes';
import { loadTabularData } from './tabular-data';
import { DATASET_FORMS, isUserDataset, loadUserData } from './user-data';

export type { RunData } from './run-data';

/** Built-in image datasets `vae train --dataset` accepts (CSV paths are tabular). */
export const IMAGE_DATASETS = ['fashion-mnist', 'mnist', 'mnist-default'] as const;

/**
 * Loads a named image dataset and holds out the last `valCount` training examples for validation
 * (the test split stays untouched until `vae eval`). Examples are `[1, 28, 28]` (channel-major, see
 * {@link RunData}; the same bytes as the files' 28 x 28).
 */
export async function loadImageData(name: string, valCount: number): Promise<RunData> {
  const family =
    name === 'fashion-mnist'
      ? await fashionMnist()
      : name === 'mnist'
        ? await mnist()
        : name === 'mnist-default'
          ? await mnistDefault()
          : null;
  if (!family) throw new TrainConfigError(`unknown dataset "${name}": --dataset takes ${DATASET_FORMS}`);
  const n = family.train.count;
  if (!Number.isInteger(valCount) || valCount < 0 || valCount >= n)
    throw new TrainConfigError(`validation size must be an integer in [0, ${n - 1}], got ${valCount}`);
  const train = toChannelsFirst(family.train);
  return {
    train: sliceDataset(train, 0, n - valCount),
    val: sliceDataset(train, n - valCount, n),
    test: toChannelsFirst(family.test),
    classNames: family.classNames,
    image: { h: 28, w: 28, c: 1 },
  };
}

/**
 * Reloads a run's data by its recipe: image datasets by name; the user's files by the path, size,
 * layout and split fractions the recipe saved (the same examples in each split); tabular runs from
 * the split seed, schema and fitted encoder saved in `config.extra.tabular` (the same rows, encoded
 * the same way).
 */
export async function loadRunData(config: RunConfig): Promise<RunData> {
  if (config.recipe.model === 'tabular') return (await loadTabularData(config)).data;
  if (config.recipe.series) return (await loadSeriesData(config)).data;
  if (config.recipe.text)
    return (await loadTextData(config.recipe, config.recipe.valCount, textStateOf(config).tokens)).data;
  const data = isUserDataset(config.recipe.dataset)
    ? (await loadUserData(config.recipe, config.recipe.valCount)).data
    : await loadImageData(config.recipe.dataset, config.recipe.valCount);
  // `--classes` runs trained and validated on those classes only; the test split stays whole.
  return config.recipe.classes ? keepClasses(data, config.recipe.classes).data : data;
}

/**
 * Model inputs for a whole split, fed the way training fed them; binarised data use one fixed
 * draw (seed {@link EVAL_SEED}) so evaluations compare across runs.
 */
export function splitInputs(data: Dataset, info: DataInfo, conditionSize: number, limit?: number) {
  const count = Math.min(limit ?? data.count, data.count);
  const feeder = new Feeder(data, {
    shape: info.shape,
    binarize: info.binarize,
    dequantize: info.dequantize ?? false,
    scale: info.scale,
    conditionSize,
    maskColumns: info.maskColumns,
    key: dataKey(EVAL_SEED),
  });
  return feeder.all(0, count, dataKey(EVAL_SEED)) as Record<string, HostTensor>;
}
