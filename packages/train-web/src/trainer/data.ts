import {
  createDataset,
  decodeDigitsCache,
  MNIST_CLASS_NAMES,
  permutation,
  sliceDataset,
  splitMnistDefault,
  splitTestFraction,
  subsetDataset,
  toChannelsFirst,
} from '@vae/datasets/pure';
import { TrainDataError } from '../errors';
import type { RunData } from './run-data';
import { readCsvData } from './tabular-data';

export type { RunData, TabularInfo } from './run-data';

/** Training data a page sends to the trainer. */
export type TrainData =
  /** The embedded digits' compact binary cache (`@vae/datasets`' digits-cache format). */
  | { readonly kind: 'digits'; readonly bytes: Uint8Array }
  /** Decoded images, interleaved `[count, height, width, channels]` uint8 pixels. */
  | {
      readonly kind: 'images';
      readonly width: number;
      readonly height: number;
      readonly channels: number;
      readonly pixels: Uint8Array;
      /** One class id (0..255) per image, optional. */
      readonly labels?: Uint8Array;
      readonly classNames?: readonly string[];
    }
  /** A CSV table (a header row, then one row per example) for a tabular model. */
  | { readonly kind: 'csv'; readonly text: string };

/** Validation examples of the digits: `vae train`'s default for `mnist-default`. */
export const DIGITS_VAL_COUNT = 1000;
/** `vae train`'s split of user images: test fraction, and the seeds of the test and validation draws. */
const USER_TEST_FRACTION = 0.1;
const USER_SPLIT_SEED = 0;

/**
 * The run's splits, exactly as `vae train` makes them for the same data: the digits split by
 * `splitMnistDefault` (8000 train / 2000 test) with the last 1000 training examples held out for
 * validation; user images split like `vae train --dataset <folder>` (a stratified 10% test draw,
 * then a seeded validation draw of 10% of the rest, at most 5000), a CSV like `vae train --dataset
 * file.csv --seed <seed>` (see {@link readCsvData}).
 * @param seed - the recipe's seed (it draws a CSV's split)
 * @throws TrainDataError when the data cannot be read
 */
export function readTrainData(data: TrainData, seed: number): RunData {
  if (typeof data !== 'object' || data === null)
    throw new TrainDataError(`data must be { kind: 'digits' | 'images' | 'csv', ... }, got ${String(data)}`);
  if (data.kind === 'digits') return digits(data.bytes);
  if (data.kind === 'images') return images(data);
  if (data.kind === 'csv') return readCsvData(data.text, seed);
  throw new TrainDataError(
    `data.kind must be digits, images or csv, got ${String((data as { kind?: unknown }).kind)}`,
  );
}

function digits(bytes: Uint8Array): RunData {
  if (!(bytes instanceof Uint8Array)) throw new TrainDataError('digits data need bytes (a Uint8Array)');
  let split: ReturnType<typeof splitMnistDefault>;
  try {
    split = splitMnistDefault(decodeDigitsCache(bytes, 'digits'));
  } catch (e) {
    throw new TrainDataError((e as Error).message, { cause: e });
  }
  const train = toChannelsFirst(split.train);
  const n = train.count;
  return {
    train: sliceDataset(train, 0, n - DIGITS_VAL_COUNT),
    val: sliceDataset(train, n - DIGITS_VAL_COUNT, n),
    test: toChannelsFirst(split.test),
    image: { h: split.train.exampleShape[0]!, w: split.train.exampleShape[1]!, c: 1 },
    classNames: MNIST_CLASS_NAMES,
    name: 'mnist-default',
  };
}

function images(d: Extract<TrainData, { kind: 'images' }>): RunData {
  const { width: w, height: h, channels: c, pixels, labels } = d;
  for (const [k, v] of [
    ['width', w],
    ['height', h],
  ] as const)
    if (!(Number.isInteger(v) && v >= 1))
      throw new TrainDataError(`images: ${k} must be a positive integer, got ${v}`);
  if (c !== 1 && c !== 3) throw new TrainDataError(`images: channels must be 1 or 3, got ${c}`);
  if (!(pixels instanceof Uint8Array)) throw new TrainDataError('images: pixels must be a Uint8Array');
  const size = w * h * c;
  if (pixels.length === 0 || pixels.length % size !== 0)
    throw new TrainDataError(
      `images: ${pixels.length} pixel bytes are not a whole number of ${w}x${h}x${c} images`,
    );
  const count = pixels.length / size;
  if (labels && labels.length !== count)
    throw new TrainDataError(`images: ${labels.length} labels for ${count} images`);
  if (count < 20) throw new TrainDataError(`images: ${count} images are too few to split (at least 20)`);
  const all = toChannelsFirst(
    createDataset({
      name: 'images',
      dtype: 'uint8',
      data: pixels,
      exampleShape: c === 1 ? [h, w] : [h, w, c],
      ...(labels ? { labels } : {}),
      ...(labels && d.classNames ? { classNames: [...d.classNames] } : {}),
    }),
  );
  const split = splitTestFraction(all, USER_TEST_FRACTION, { seed: USER_SPLIT_SEED });
  const rest = split.train;
  const n = rest.count;
  const val = Math.min(5000, Math.floor(n / 10));
  const order = permutation({ seed: USER_SPLIT_SEED + 1 }, n);
  return {
    train: subsetDataset(rest, order.slice(val).sort(), rest.name),
    val: subsetDataset(rest, order.slice(0, val).sort(), `${rest.name}/val`),
    test: split.test,
    image: { h, w, c },
    ...(d.classNames ? { classNames: d.classNames } : {}),
    name: 'images',
  };
}
