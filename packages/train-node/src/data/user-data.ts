import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { TrainConfigError } from '@vae/core';
import {
  type Dataset,
  type LoadedDataset,
  loadIdxPath,
  loadImageFolder,
  loadNpy,
  loadNpz,
  permutation,
  sliceDataset,
  splitTestFraction,
  subsetDataset,
  toChannelsFirst,
} from '@vae/datasets';
import type { Recipe } from '../run/run-dir';
import type { RunData } from './run-data';

/**
 * The user's own data behind `vae train --dataset PATH`: a folder of PNG/JPEG images, an `.npy` or
 * `.npz` array, or an IDX images file: grey or RGB images (stored channel-major, see {@link RunData})
 * or `N x D` vectors.
 */
export type UserDataKind = 'folder' | 'npy' | 'npz' | 'idx';

/** Built-in names `--dataset` takes besides paths. */
const NAMED = new Set(['fashion-mnist', 'mnist', 'mnist-default', 'penguins']);

/** The `--dataset` forms, for error messages. */
export const DATASET_FORMS =
  'fashion-mnist, mnist, mnist-default, penguins, a folder of PNG/JPEG images, FILE.npy, FILE.npz, an IDX images file (...-idx3-ubyte[.gz]) or FILE.csv';

/** Default share of examples held out as the test split of data that have none (`--test-fraction`). */
export const DEFAULT_TEST_FRACTION = 0.1;

/**
 * Seed of the test and validation draws of data without a test split: fixed, so every run on the
 * same file holds out the same examples (runs with different `--seed`s compare on one test set).
 */
export const USER_SPLIT_SEED = 0;

/** Whether a `--dataset` value names the user's files (not a built-in name or a CSV). */
export const isUserDataset = (dataset: string): boolean =>
  !NAMED.has(dataset) && !dataset.toLowerCase().endsWith('.csv');

/**
 * What kind of user data a `--dataset` value names, or null for a built-in name or a CSV (tabular).
 * The file formats are told by their names; a folder by being one.
 * @throws TrainConfigError for a value that is none of the forms (a missing path or unknown name)
 */
export function userDataKind(dataset: string): UserDataKind | null {
  if (!isUserDataset(dataset)) return null;
  const lower = dataset.toLowerCase();
  if (lower.endsWith('.npy')) return 'npy';
  if (lower.endsWith('.npz')) return 'npz';
  if (/idx3-ubyte(\.gz)?$/.test(lower)) return 'idx';
  const stat = statSync(dataset, { throwIfNoEntry: false });
  if (stat?.isDirectory()) return 'folder';
  if (stat)
    throw new TrainConfigError(`${dataset}: not a dataset vae can read; --dataset takes ${DATASET_FORMS}`);
  if (/[\\/.]/.test(dataset))
    throw new TrainConfigError(`${dataset}: no such file or folder (--dataset takes ${DATASET_FORMS})`);
  throw new TrainConfigError(`unknown dataset "${dataset}": --dataset takes ${DATASET_FORMS}`);
}

/** The recipe fields that say how user data are read, split and stored (all optional in old runs). */
export interface UserDataFlags {
  /** Image folders: resize every image to [h, w] (centre crop to the aspect ratio, then resize). */
  readonly size?: readonly [number, number];
  /** Image folders: convert colour images to grey (BT.601 luma). */
  readonly grey?: boolean;
  /** `.npy` / `.npz`: a rank-4 array is N x C x H x W. */
  readonly channelsFirst?: boolean;
  /** `.npy` / `.npz`: a separate `.npy` of integer class ids. */
  readonly labels?: string;
  /** Data without a test split: the share held out as the test split. */
  readonly testFraction?: number;
}

/**
 * Checks the data flags against the kind of `--dataset` before anything is read: each flag that does
 * not apply is refused with what it is for.
 * @throws TrainConfigError
 */
export function checkUserDataFlags(dataset: string, kind: UserDataKind | null, f: UserDataFlags): void {
  const what =
    kind === null
      ? dataset
      : `${dataset} (${kind === 'folder' ? 'an image folder' : kind === 'idx' ? 'an IDX file' : `an .${kind} file`})`;
  if (f.size !== undefined) {
    const [h, w] = f.size;
    if (!(Number.isSafeInteger(h) && Number.isSafeInteger(w) && h > 0 && w > 0))
      throw new TrainConfigError(`--size must be HxW with positive integers, e.g. 32x32, got ${h}x${w}`);
    if (kind !== 'folder')
      throw new TrainConfigError(`--size resizes the images of a folder; ${what} is not one: drop --size`);
  }
  if (f.grey && kind !== 'folder')
    throw new TrainConfigError(
      `--grey converts the images of a folder to grey; ${what} is not one: drop --grey`,
    );
  if (f.channelsFirst && kind !== 'npy' && kind !== 'npz')
    throw new TrainConfigError(
      `--channels-first reads an .npy/.npz array as N x C x H x W; ${what} is not one: drop --channels-first`,
    );
  if (f.labels !== undefined && kind !== 'npy' && kind !== 'npz')
    throw new TrainConfigError(
      `--labels gives the class ids of an .npy/.npz array; ${what} is not one: drop --labels`,
    );
  if (f.testFraction !== undefined) {
    const t = f.testFraction;
    if (!(Number.isFinite(t) && t > 0 && t < 1))
      throw new TrainConfigError(`--test-fraction must be a number between 0 and 1 (exclusive), got ${t}`);
    if (kind === null)
      throw new TrainConfigError(
        NAMED.has(dataset) && dataset !== 'penguins'
          ? `--test-fraction is for datasets without a test split; ${dataset} has its own: drop --test-fraction`
          : `--test-fraction is for image data; ${dataset} is tabular (rows split 80/10/10 train/val/test by --seed): drop --test-fraction`,
      );
  }
}

/** The data of a user dataset, and the split sizes a fresh run records in its recipe. */
export interface UserData {
  readonly data: RunData;
  readonly valCount: number;
  /** The test share drawn, or null when the files hold their own test split. */
  readonly testFraction: number | null;
  /** Conversions the readers made (one line each, naming the file). */
  readonly notes: readonly string[];
}

async function read(kind: UserDataKind, recipe: Recipe): Promise<LoadedDataset> {
  const path = recipe.dataset;
  if (kind === 'folder') {
    const f = await loadImageFolder(path, {
      ...(recipe.size ? { size: [recipe.size[0], recipe.size[1]] as [number, number] } : {}),
      ...(recipe.grey ? { channels: 1 as const } : {}),
    });
    return { train: f.data, test: null, classNames: f.classNames, notes: [] };
  }
  if (kind === 'idx') return loadIdxPath(path);
  const options = {
    ...(recipe.labels ? { labels: recipe.labels } : {}),
    ...(recipe.channelsFirst ? { channelsFirst: true } : {}),
  };
  return kind === 'npy' ? loadNpy(path, options) : loadNpz(path, options);
}

/** Image geometry of grey ([h, w] or [h, w, 1]) or RGB ([h, w, 3]) examples; null for flat N x D data. */
function geometry(path: string, ds: Dataset): RunData['image'] {
  const s = ds.exampleShape;
  if (s.length === 1) return null;
  if (s.length === 2) return { h: s[0]!, w: s[1]!, c: 1 };
  if (s.length === 3 && (s[2] === 1 || s[2] === 3)) return { h: s[0]!, w: s[1]!, c: s[2] };
  throw new TrainConfigError(
    `${path}: examples of shape [${s.join(', ')}] are not supported; save N x D vectors, N x H x W grey or N x H x W x 3 RGB images (N x 3 x H x W with --channels-first)`,
  );
}

/** Image examples as models take them, channel-major ([c, h, w]); vectors as they are. */
const modelLayout = (ds: Dataset, image: RunData['image']): Dataset => (image ? toChannelsFirst(ds) : ds);

/** float32 data are Bernoulli probabilities: every value must lie in [0, 1]. */
function checkUnitRange(path: string, ds: Dataset): void {
  if (ds.dtype !== 'float32') return;
  const x = ds.data as Float32Array;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let nan = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
    if (Number.isNaN(v)) nan++;
  }
  if (nan > 0)
    throw new TrainConfigError(
      `${path}: ${nan} float32 values are NaN; every value must be a number in [0, 1]`,
    );
  if (min < 0 || max > 1)
    throw new TrainConfigError(
      `${path}: float32 values must lie in [0, 1] (pixel intensities, binarised as Bernoulli probabilities), found min ${min}, max ${max}; divide by the maximum (e.g. 255) or save uint8 pixels`,
    );
}

/**
 * Reads a user dataset as a recipe describes it, and splits it: the files' own test split when they
 * have one (an IDX `train-` file with its `t10k-` sibling; validation is then the last `valCount`
 * training examples, as for the built-in sets), else a stratified `testFraction` drawn with
 * {@link USER_SPLIT_SEED} and a validation set drawn from the rest with the same key.
 * @param valCount - validation examples; undefined: 10% of the training examples, at most 5000
 * @throws TrainConfigError / DatasetError naming the file
 */
export async function loadUserData(recipe: Recipe, valCount: number | undefined): Promise<UserData> {
  const kind = userDataKind(recipe.dataset);
  if (!kind) throw new TrainConfigError(`${recipe.dataset} is not a path to image data`);
  const path = recipe.dataset;
  const loaded = await read(kind, recipe);
  const image = geometry(path, loaded.train);
  checkUnitRange(path, loaded.train);
  if (loaded.test) {
    geometry(path, loaded.test);
    checkUnitRange(path, loaded.test);
  }
  const all = modelLayout(loaded.train, image);
  const ownTest = loaded.test && modelLayout(loaded.test, image);
  if (loaded.test && recipe.testFraction != null)
    throw new TrainConfigError(
      `--test-fraction is for datasets without a test split; ${path} has its own (${loaded.test.count} examples beside it): drop --test-fraction`,
    );
  const testFraction = loaded.test ? null : (recipe.testFraction ?? DEFAULT_TEST_FRACTION);
  const split =
    testFraction === null ? null : splitTestFraction(all, testFraction, { seed: USER_SPLIT_SEED });
  const rest = split ? split.train : all;
  const test = split ? split.test : ownTest!;
  const n = rest.count;
  const val = valCount ?? Math.min(5000, Math.floor(n / 10));
  if (!Number.isInteger(val) || val < 0 || val >= n)
    throw new TrainConfigError(
      `--val: ${path} leaves ${n} training examples; the validation size must be an integer in [0, ${n - 1}], got ${val}`,
    );
  let train: Dataset;
  let valSet: Dataset;
  if (!split) {
    train = sliceDataset(rest, 0, n - val);
    valSet = sliceDataset(rest, n - val, n);
  } else {
    // Source order (a folder is sorted by class): validation is a seeded draw, not the last class.
    const order = permutation({ seed: USER_SPLIT_SEED + 1 }, n);
    const valIdx = order.slice(0, val).sort();
    const trainIdx = order.slice(val).sort();
    train = subsetDataset(rest, trainIdx, `${rest.name}`);
    valSet = subsetDataset(rest, valIdx, `${rest.name}/val`);
  }
  return {
    data: { train, val: valSet, test, classNames: loaded.classNames, image },
    valCount: val,
    testFraction,
    notes: loaded.notes,
  };
}

/** A `--dataset` path as a recipe stores it: absolute, so the run reloads it from anywhere. */
export const storedPath = (p: string): string => resolve(p);
