/**
 * An IDX image file anywhere on disk, by path: labels from its sibling labels file, and the test
 * split from its `t10k-`/`test-` sibling when the folder holds one (the MNIST-family naming).
 */
import { readdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Dataset } from '../dataset';
import { createDataset } from '../dataset';
import { IdxFormatError } from '../errors';
import type { IdxArray } from '../idx/idx-format';
import {
  type ArrayLayoutOptions,
  examplesFromArray,
  labelsFromArray,
  numericClassNames,
} from '../npy/array-dataset';
import { readIdxFile } from './idx-node';
import type { LoadedDataset } from './npy-node';

/** Options of {@link loadIdxPath}. */
export interface IdxPathLoadOptions extends ArrayLayoutOptions {
  /** Largest data section accepted per file, in bytes (default 1 GiB). */
  readonly maxBytes?: number;
  /** Dataset name (default: the file's base name without `-images-idx3-ubyte[.gz]`). */
  readonly name?: string;
}

/** The labels file name an images file name implies (`images-idx3` -> `labels-idx1`), or null. */
export function idxLabelsName(imagesName: string): string | null {
  const plain = imagesName.replace(/\.gz$/, '');
  const labels = plain.replace(/images([-.])idx3/, 'labels$1idx1');
  return labels === plain ? null : labels;
}

/** The test-split images names a training images name implies (`train-` -> `t10k-`, `test-`). */
export function idxTestNames(imagesName: string): string[] {
  const plain = imagesName.replace(/\.gz$/, '');
  if (!/train([-.])images/.test(plain)) return [];
  return ['t10k', 'test'].map((t) => plain.replace(/train([-.])images/, `${t}$1images`));
}

/** The entry of `entries` spelled `name` or `name.gz`, if any. */
function sibling(entries: ReadonlySet<string>, dir: string, name: string | null): string | null {
  if (name === null) return null;
  for (const n of [name, `${name}.gz`]) if (entries.has(n)) return join(dir, n);
  return null;
}

interface Split {
  readonly images: string;
  readonly labels: string | null;
}

async function readSplit(split: Split, maxBytes: number | undefined): Promise<[IdxArray, IdxArray | null]> {
  return Promise.all([
    readIdxFile(split.images, { maxBytes }),
    split.labels === null ? null : readIdxFile(split.labels, { rank: 1, dtype: 'uint8', maxBytes }),
  ]);
}

function toDataset(
  name: string,
  split: Split,
  [images, labels]: [IdxArray, IdxArray | null],
  options: IdxPathLoadOptions,
): {
  dataset: (classNames: string[] | undefined) => Dataset;
  labels: Uint8Array | undefined;
  notes: string[];
} {
  if (images.dtype !== 'uint8' && images.dtype !== 'float32' && images.dtype !== 'float64') {
    throw new IdxFormatError(
      split.images,
      'unexpected-content',
      `${images.dtype} images are not supported; supported: uint8, float32 (float64 is converted to float32)`,
    );
  }
  const { data, exampleShape, notes } = examplesFromArray(images, split.images, options);
  const count = images.shape[0]!;
  const y =
    labels === null || split.labels === null
      ? undefined
      : labelsFromArray(labels, split.labels, count, split.images);
  return {
    dataset: (classNames) =>
      createDataset({
        name,
        dtype: data instanceof Uint8Array ? 'uint8' : 'float32',
        data,
        exampleShape,
        labels: y,
        classNames: y === undefined ? undefined : classNames,
      }) as Dataset,
    labels: y,
    notes,
  };
}

/**
 * Loads an IDX images file (`...-images-idx3-ubyte[.gz]`, plain or gzip) from anywhere. Labels
 * come from the sibling named with `labels-idx1` in place of `images-idx3` (with or without
 * `.gz`) when present; for a `train-images...` file, a `t10k-images...` (or `test-images...`)
 * sibling and its labels become the test split.
 *
 * @param path - the images file
 * @param options - limit, layout, name
 * @returns `{ train, test (or null), classNames ('0', '1', ... or null), notes }`
 * @throws FileAccessError / IdxFormatError / DatasetShapeError naming the file
 */
export async function loadIdxPath(path: string, options: IdxPathLoadOptions = {}): Promise<LoadedDataset> {
  const dir = dirname(path);
  const file = basename(path);
  let entries: Set<string>;
  try {
    entries = new Set(await readdir(dir));
  } catch {
    entries = new Set();
  }
  const trainSplit: Split = { images: path, labels: sibling(entries, dir, idxLabelsName(file)) };
  const testImages = idxTestNames(file)
    .map((n) => sibling(entries, dir, n))
    .find((p) => p !== null);
  const testSplit: Split | null =
    testImages === undefined
      ? null
      : { images: testImages, labels: sibling(entries, dir, idxLabelsName(basename(testImages))) };
  const name = options.name ?? file.replace(/\.gz$/, '').replace(/[-.]?images[-.]idx3-ubyte$/, '');
  const [trainArrays, testArrays] = await Promise.all([
    readSplit(trainSplit, options.maxBytes),
    testSplit === null ? null : readSplit(testSplit, options.maxBytes),
  ]);
  const train = toDataset(testSplit === null ? name : `${name}/train`, trainSplit, trainArrays, options);
  const test = testSplit && testArrays && toDataset(`${name}/test`, testSplit, testArrays, options);
  const labelled = train.labels !== undefined;
  const classNames = labelled ? numericClassNames(train.labels, test?.labels) : undefined;
  const trainSet = train.dataset(classNames);
  const testSet = test?.dataset(classNames) ?? null;
  if (testSet && testSet.exampleSize !== trainSet.exampleSize) {
    throw new IdxFormatError(
      testSplit!.images,
      'unexpected-content',
      `examples of shape [${testSet.exampleShape.join(', ')}] differ from ${path}'s [${trainSet.exampleShape.join(', ')}]`,
    );
  }
  return {
    train: trainSet,
    test: testSet,
    classNames: classNames ?? null,
    notes: [...train.notes, ...(test?.notes ?? [])],
  };
}
