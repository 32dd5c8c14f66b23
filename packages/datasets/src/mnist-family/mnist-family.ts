/**
 * The MNIST family (MNIST, Fashion-MNIST, KMNIST, ...): 28x28 uint8 images with uint8 labels in
 * four IDX files. This module turns decoded IDX arrays into datasets, checking that they fit
 * together. Pure: no Node built-ins.
 */
import { createDataset, type Dataset } from '../dataset';
import { DatasetShapeError } from '../errors';
import type { IdxArray } from '../idx/idx-format';

/** Fashion-MNIST class names, indexed by label (Xiao, Rasul & Vollgraf 2017). */
export const FASHION_MNIST_CLASS_NAMES: readonly string[] = Object.freeze([
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
]);

/** MNIST class names: the digits `'0'` to `'9'`. */
export const MNIST_CLASS_NAMES: readonly string[] = Object.freeze([
  '0',
  '1',
  '2',
  '3',
  '4',
  '5',
  '6',
  '7',
  '8',
  '9',
]);

/** The four files of an MNIST-family dataset, by role. */
export type MnistFileRole = 'trainImages' | 'trainLabels' | 'testImages' | 'testLabels';

/** Standard base names of the four files (each may also end in `.gz`). */
export const MNIST_FILE_NAMES: Readonly<Record<MnistFileRole, string>> = Object.freeze({
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
});

/** A train/test pair of image datasets with labels. */
export interface MnistFamily {
  /** Training split (`[count, 28, 28]` uint8 pixels in 0..255, labels 0-9). */
  readonly train: Dataset<'uint8'>;
  /** Test split. */
  readonly test: Dataset<'uint8'>;
  /** Names of the classes, indexed by label. */
  readonly classNames: readonly string[];
}

/** A split's decoded images and labels, with the files they came from (for messages). */
export interface MnistSplitArrays {
  /** Decoded images IDX (uint8, rank 3). */
  readonly images: IdxArray;
  /** Decoded labels IDX (uint8, rank 1). */
  readonly labels: IdxArray;
  /** Images file name. */
  readonly imagesSource: string;
  /** Labels file name. */
  readonly labelsSource: string;
}

/**
 * Builds one split's dataset from decoded IDX arrays, checking dtypes, ranks, matching counts and
 * that every label indexes a class.
 *
 * @param name - dataset name, e.g. `fashion-mnist/train`
 * @param split - the arrays and their file names
 * @param classNames - class names; labels must be below their count
 * @returns the dataset
 * @throws DatasetShapeError naming the file that disagrees
 */
export function mnistSplitFromIdx(
  name: string,
  split: MnistSplitArrays,
  classNames: readonly string[],
): Dataset<'uint8'> {
  const { images, labels, imagesSource, labelsSource } = split;
  if (images.dtype !== 'uint8' || images.shape.length !== 3) {
    throw new DatasetShapeError(
      imagesSource,
      `expected uint8 images of rank 3, found ${images.dtype} [${images.shape.join(', ')}]`,
    );
  }
  if (labels.dtype !== 'uint8' || labels.shape.length !== 1) {
    throw new DatasetShapeError(
      labelsSource,
      `expected uint8 labels of rank 1, found ${labels.dtype} [${labels.shape.join(', ')}]`,
    );
  }
  const count = images.shape[0]!;
  if (labels.shape[0] !== count) {
    throw new DatasetShapeError(
      labelsSource,
      `${labels.shape[0]} labels, but ${imagesSource} holds ${count} images`,
    );
  }
  const labelData = labels.data as Uint8Array;
  for (let i = 0; i < labelData.length; i++) {
    if (labelData[i]! >= classNames.length) {
      throw new DatasetShapeError(
        labelsSource,
        `label ${labelData[i]} at index ${i} is not one of the ${classNames.length} classes`,
      );
    }
  }
  return createDataset({
    name,
    dtype: 'uint8',
    data: images.data as Uint8Array,
    exampleShape: images.shape.slice(1),
    labels: labelData,
    classNames,
  });
}
