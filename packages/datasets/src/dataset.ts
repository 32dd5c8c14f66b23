/**
 * The `Dataset` interface: a fixed number of examples of one shape and dtype, stored contiguously
 * (row-major `[count, ...exampleShape]`), with optional integer labels and an optional
 * observed-value mask. `get(i)` returns views, never copies.
 */
import { DatasetArgumentError, DatasetShapeError } from './errors';

/** Element type of a dataset's data. Raw pixels are `uint8`; transformed data is `float32`. */
export type DType = 'uint8' | 'float32';

/** The typed array used for each {@link DType}. */
export interface DTypeArray {
  /** Raw bytes, e.g. pixels in 0..255. */
  uint8: Uint8Array;
  /** Real values, e.g. pixels scaled to [0, 1] or standardised features. */
  float32: Float32Array;
}

/** One example: a view into the dataset's storage, its label and mask when the dataset has them. */
export interface Example<D extends DType = DType> {
  /** The example's values (a view, length = product of `exampleShape`). */
  readonly x: DTypeArray[D];
  /** The class label, if the dataset is labelled. */
  readonly label: number | undefined;
  /** 1 where the value was observed, 0 where missing (a view), if the dataset has a mask. */
  readonly mask: Uint8Array | undefined;
}

/** A fixed collection of equally-shaped examples. */
export interface Dataset<D extends DType = DType> {
  /** A short human-readable name, e.g. `fashion-mnist/train`. */
  readonly name: string;
  /** Number of examples. */
  readonly count: number;
  /** Shape of one example, e.g. `[28, 28]` or `[2]`. */
  readonly exampleShape: readonly number[];
  /** Number of values per example (product of `exampleShape`). */
  readonly exampleSize: number;
  /** Element type of {@link Dataset.data}. */
  readonly dtype: D;
  /** All examples, row-major `[count, ...exampleShape]`. */
  readonly data: DTypeArray[D];
  /** Class label per example (`count` entries, so at most 256 classes), if labelled. */
  readonly labels: Uint8Array | undefined;
  /** Names of the classes, indexed by label, if known. */
  readonly classNames: readonly string[] | undefined;
  /** Observed-value mask, same layout as `data` (1 = observed, 0 = missing), if any. */
  readonly mask: Uint8Array | undefined;
  /**
   * Example `i` (0-based), as views into the storage.
   *
   * @param i - the index, `0 <= i < count`
   */
  get(i: number): Example<D>;
}

/** Arguments of {@link createDataset}. */
export interface DatasetInit<D extends DType> {
  /** Name for messages and display. */
  readonly name: string;
  /** Element type of `data`. */
  readonly dtype: D;
  /** Row-major data, length `count * product(exampleShape)`. */
  readonly data: DTypeArray[D];
  /** Shape of one example. */
  readonly exampleShape: readonly number[];
  /** Optional labels, one per example. */
  readonly labels?: Uint8Array | undefined;
  /** Optional class names; every label must index into it. */
  readonly classNames?: readonly string[] | undefined;
  /** Optional observed mask, same length as `data`. */
  readonly mask?: Uint8Array | undefined;
}

/**
 * Product of a shape's dimensions.
 *
 * @param shape - the dimensions
 * @returns their product (1 for a scalar shape)
 */
export function shapeSize(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * Builds a {@link Dataset} over existing arrays (no copy), checking that lengths, labels and mask
 * agree.
 *
 * @param init - the arrays and their description
 * @returns the dataset
 * @throws DatasetShapeError when the arrays disagree
 */
export function createDataset<D extends DType>(init: DatasetInit<D>): Dataset<D> {
  const { name, dtype, data, exampleShape, labels, classNames, mask } = init;
  for (const d of exampleShape) {
    if (!Number.isInteger(d) || d <= 0) {
      throw new DatasetShapeError(
        name,
        `example shape must have positive integer dimensions, got [${exampleShape}]`,
      );
    }
  }
  const expectedArray = dtype === 'uint8' ? Uint8Array : Float32Array;
  if (!(data instanceof expectedArray)) {
    throw new DatasetShapeError(name, `dtype ${dtype} needs a ${expectedArray.name}`);
  }
  const exampleSize = shapeSize(exampleShape);
  if (data.length % exampleSize !== 0) {
    throw new DatasetShapeError(
      name,
      `data length ${data.length} is not a multiple of the example size ${exampleSize} ([${exampleShape}])`,
    );
  }
  const count = data.length / exampleSize;
  if (labels !== undefined && labels.length !== count) {
    throw new DatasetShapeError(name, `${labels.length} labels for ${count} examples`);
  }
  if (mask !== undefined && mask.length !== data.length) {
    throw new DatasetShapeError(name, `mask length ${mask.length} differs from data length ${data.length}`);
  }
  if (labels !== undefined && classNames !== undefined) {
    for (let i = 0; i < labels.length; i++) {
      if (labels[i]! >= classNames.length) {
        throw new DatasetShapeError(
          name,
          `label ${labels[i]} at example ${i} is out of range for ${classNames.length} classes`,
        );
      }
    }
  }
  const shape = Object.freeze([...exampleShape]);
  const names = classNames === undefined ? undefined : Object.freeze([...classNames]);
  return {
    name,
    count,
    exampleShape: shape,
    exampleSize,
    dtype,
    data,
    labels,
    classNames: names,
    mask,
    get(i: number): Example<D> {
      if (!Number.isInteger(i) || i < 0 || i >= count) {
        throw new DatasetArgumentError(name, `example index ${i} is out of range [0, ${count})`);
      }
      const start = i * exampleSize;
      return {
        x: data.subarray(start, start + exampleSize) as DTypeArray[D],
        label: labels?.[i],
        mask: mask?.subarray(start, start + exampleSize),
      };
    },
  };
}

/**
 * The examples at `indices` as a new dataset (copies the selected rows). A contiguous range
 * `[start, end)` can be taken without copying with {@link sliceDataset}.
 *
 * @param dataset - the source
 * @param indices - example indices, each in `[0, count)`
 * @param name - name of the result (default: source name + `/subset`)
 * @returns the subset
 */
export function subsetDataset<D extends DType>(
  dataset: Dataset<D>,
  indices: ArrayLike<number>,
  name = `${dataset.name}/subset`,
): Dataset<D> {
  const size = dataset.exampleSize;
  const data = (dataset.dtype === 'uint8'
    ? new Uint8Array(indices.length * size)
    : new Float32Array(indices.length * size)) as unknown as DTypeArray[D];
  const labels = dataset.labels === undefined ? undefined : new Uint8Array(indices.length);
  const mask = dataset.mask === undefined ? undefined : new Uint8Array(indices.length * size);
  for (let r = 0; r < indices.length; r++) {
    const i = indices[r]!;
    if (!Number.isInteger(i) || i < 0 || i >= dataset.count) {
      throw new DatasetArgumentError(dataset.name, `subset index ${i} is out of range [0, ${dataset.count})`);
    }
    data.set(dataset.data.subarray(i * size, (i + 1) * size) as never, r * size);
    if (labels) labels[r] = dataset.labels![i]!;
    if (mask) mask.set(dataset.mask!.subarray(i * size, (i + 1) * size), r * size);
  }
  return createDataset({
    name,
    dtype: dataset.dtype,
    data,
    exampleShape: dataset.exampleShape,
    labels,
    classNames: dataset.classNames,
    mask,
  });
}

/**
 * Examples `[start, end)` as a dataset that shares storage with the source (no copy).
 *
 * @param dataset - the source
 * @param start - first example (inclusive)
 * @param end - last example (exclusive)
 * @param name - name of the result
 * @returns the view
 */
export function sliceDataset<D extends DType>(
  dataset: Dataset<D>,
  start: number,
  end: number,
  name = `${dataset.name}[${start}:${end}]`,
): Dataset<D> {
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > dataset.count || start > end) {
    throw new DatasetArgumentError(
      dataset.name,
      `slice [${start}, ${end}) is out of range [0, ${dataset.count}]`,
    );
  }
  const size = dataset.exampleSize;
  return createDataset({
    name,
    dtype: dataset.dtype,
    data: dataset.data.subarray(start * size, end * size) as DTypeArray[D],
    exampleShape: dataset.exampleShape,
    labels: dataset.labels?.subarray(start, end),
    classNames: dataset.classNames,
    mask: dataset.mask?.subarray(start * size, end * size),
  });
}
