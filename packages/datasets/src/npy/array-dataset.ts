/**
 * Decoded arrays (from `.npy`, `.npz` or IDX) as datasets: which dtypes and shapes are data, the
 * layout of image examples, and integer label vectors. Pure: no Node built-ins.
 *
 * Layout: examples are stored as given, `N x D`, `N x H x W` or `N x H x W x C` (channels last,
 * the layout image decoders produce). `N x C x H x W` input (`channelsFirst: true`) is transposed
 * once to `N x H x W x C` (a copy in the same dtype), so every image dataset has one layout.
 * Models take channel-major examples: {@link toChannelsFirst} turns `[h, w, c]` into `[c, h, w]`.
 */
import { createDataset, type Dataset, type DType, type DTypeArray } from '../dataset';
import { DatasetShapeError, NpyFormatError } from '../errors';
import { describeDTypes, type NpyDType } from './npy-header';

/** A decoded numeric array: element type, dimensions, row-major values. */
export interface NumericArray {
  /** Element type. */
  readonly dtype: string;
  /** Dimensions, the first being the number of examples. */
  readonly shape: readonly number[];
  /** Row-major values. */
  readonly data: ArrayLike<number | bigint> & { readonly length: number };
}

/** Element types accepted for data: bytes are kept, float32 viewed, float64 converted. */
export const NPY_DATA_DTYPES: readonly NpyDType[] = Object.freeze(['uint8', 'float32', 'float64']);

/** Element types accepted for labels (integers; values must lie in 0..255). */
export const NPY_LABEL_DTYPES: readonly NpyDType[] = Object.freeze([
  'uint8',
  'int8',
  'uint16',
  'int16',
  'uint32',
  'int32',
  'uint64',
  'int64',
]);

/** How to read an array as examples. */
export interface ArrayLayoutOptions {
  /**
   * `true`: a rank-4 array is `N x C x H x W` and is transposed to `N x H x W x C`. `false`: a
   * rank-4 array is `N x H x W x C`, whatever its sizes. Unset: as `false`, except that an array
   * whose last axis is over 4 while its second is 1, 3 or 4 is refused as probably channels-first.
   */
  readonly channelsFirst?: boolean;
}

/** A dataset made from arrays, with what was converted on the way. */
export interface ArrayDataset {
  /** The dataset (labels and class names when labels were given). */
  readonly dataset: Dataset;
  /** Conversions made (float64 to float32, column-major to row-major, channels-first to last). */
  readonly notes: readonly string[];
}

/**
 * Checks an array's dtype and shape and returns its examples' storage and shape, converting
 * float64 to float32 and channels-first to channels-last.
 *
 * @param array - the decoded array
 * @param source - file name for messages
 * @param options - layout
 * @returns data, example shape and notes
 * @throws NpyFormatError (`bad-dtype` / `bad-shape`)
 */
export function examplesFromArray(
  array: NumericArray,
  source: string,
  options: ArrayLayoutOptions = {},
): { data: Uint8Array | Float32Array; exampleShape: number[]; notes: string[] } {
  const notes: string[] = [];
  const shape = [...array.shape];
  let data: Uint8Array | Float32Array;
  if (array.data instanceof Uint8Array || array.data instanceof Float32Array) data = array.data;
  else if (array.data instanceof Float64Array) {
    data = Float32Array.from(array.data);
    notes.push(`${source}: float64 values converted to float32 (the precision training uses)`);
  } else {
    throw new NpyFormatError(
      source,
      'bad-dtype',
      `${array.dtype} data is not supported; supported: ${describeDTypes(NPY_DATA_DTYPES)} (float64 is converted to float32)`,
    );
  }
  const dims = `(${shape.join(', ')})`;
  if (shape.length < 2 || shape.length > 4) {
    throw new NpyFormatError(
      source,
      'bad-shape',
      `shape ${dims} is not N x D, N x H x W, N x H x W x C or N x C x H x W` +
        (shape.length === 1 ? ' (a vector: labels belong in --labels or the npz key y)' : ''),
    );
  }
  if (shape[0] === 0) throw new NpyFormatError(source, 'bad-shape', `shape ${dims} holds no examples`);
  if (shape.some((d) => d === 0))
    throw new NpyFormatError(source, 'bad-shape', `shape ${dims} has an empty axis`);
  if (options.channelsFirst === true) {
    if (shape.length !== 4) {
      throw new NpyFormatError(
        source,
        'bad-shape',
        `channels-first needs N x C x H x W, found shape ${dims}`,
      );
    }
    const [n, c, h, w] = shape as [number, number, number, number];
    data = transposeExamples(data, n, c, h * w); // [c, hw] -> [hw, c]
    notes.push(`${source}: N x C x H x W ${dims} transposed to N x H x W x C`);
    return { data, exampleShape: [h, w, c], notes };
  }
  if (
    options.channelsFirst === undefined &&
    shape.length === 4 &&
    shape[3]! > 4 &&
    [1, 3, 4].includes(shape[1]!)
  ) {
    throw new NpyFormatError(
      source,
      'bad-shape',
      `shape ${dims} looks channels-first (N x C x H x W): pass channelsFirst: true (--channels-first), ` +
        'or channelsFirst: false if it really is N x H x W x C',
    );
  }
  return { data, exampleShape: shape.slice(1), notes };
}

/**
 * Each of `n` examples, a row-major `[rows, cols]` block, transposed to `[cols, rows]`: one copy in
 * the same dtype: the one layout transpose, both ways (`[c, hw] <-> [hw, c]`).
 */
function transposeExamples<A extends Uint8Array | Float32Array>(
  src: A,
  n: number,
  rows: number,
  cols: number,
): A {
  const out = new (src.constructor as new (length: number) => A)(src.length);
  const per = rows * cols;
  for (let i = 0; i < n; i++) {
    const base = i * per;
    for (let r = 0; r < rows; r++) {
      const from = base + r * cols;
      for (let k = 0; k < cols; k++) out[base + k * rows + r] = src[from + k]!;
    }
  }
  return out;
}

/**
 * An image dataset in channel-major layout, as models take it: examples `[h, w, c]` (channels last,
 * the layout loaders store) or `[h, w]` (grey) become `[c, h, w]`. The data (and a mask, if any)
 * are transposed in one copy in the same dtype (uint8 stays uint8); with one channel the layouts
 * hold the same bytes, so the result shares the storage. Labels and class names are kept.
 *
 * @param dataset - image examples `[h, w]` or `[h, w, c]`
 * @returns the same examples, shape `[c, h, w]`
 * @throws DatasetShapeError for examples of another rank
 */
export function toChannelsFirst<D extends DType>(dataset: Dataset<D>): Dataset<D> {
  const s = dataset.exampleShape;
  if (s.length !== 2 && s.length !== 3)
    throw new DatasetShapeError(
      dataset.name,
      `channels-first needs image examples [h, w] or [h, w, c], got [${s.join(', ')}]`,
    );
  const [h, w, c = 1] = s as [number, number, number?];
  const flip = <A extends Uint8Array | Float32Array>(a: A): A =>
    c === 1 ? a : transposeExamples(a, dataset.count, h * w, c);
  return createDataset({
    name: dataset.name,
    dtype: dataset.dtype,
    data: flip(dataset.data as Uint8Array | Float32Array) as DTypeArray[D],
    exampleShape: [c, h, w],
    labels: dataset.labels,
    classNames: dataset.classNames,
    mask: dataset.mask && flip(dataset.mask),
  });
}

/**
 * Reads an integer label vector (`N` or `N x 1`) into bytes, checking its length and range.
 *
 * @param array - the decoded labels
 * @param source - file name for messages
 * @param count - the number of examples the labels must match
 * @param dataSource - the data file, for the length message
 * @returns one label per example
 * @throws NpyFormatError (`bad-labels`)
 */
export function labelsFromArray(
  array: NumericArray,
  source: string,
  count: number,
  dataSource: string,
): Uint8Array {
  const bad = (message: string) => new NpyFormatError(source, 'bad-labels', message);
  if (!(array.shape.length === 1 || (array.shape.length === 2 && array.shape[1] === 1))) {
    throw bad(`labels must be a vector of N class ids, found shape (${array.shape.join(', ')})`);
  }
  if (array.data instanceof Float32Array || array.data instanceof Float64Array) {
    throw bad(
      `labels must be integers, found ${array.dtype}; supported: ${describeDTypes(NPY_LABEL_DTYPES)}`,
    );
  }
  if (array.shape[0] !== count)
    throw bad(`${array.shape[0]} labels, but ${dataSource} holds ${count} examples`);
  if (array.data instanceof Uint8Array) return array.data;
  const out = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const v = Number(array.data[i]);
    if (!(v >= 0 && v <= 255))
      throw bad(`label ${v} at index ${i} is outside 0..255 (class ids, at most 256 classes)`);
    out[i] = v;
  }
  return out;
}

/**
 * Class names `'0'`, `'1'`, ... up to the largest label in any of the label vectors.
 *
 * @param labels - label vectors (e.g. train and test)
 * @returns the names
 */
export function numericClassNames(...labels: (Uint8Array | undefined)[]): string[] {
  let max = -1;
  for (const l of labels) if (l) for (let i = 0; i < l.length; i++) if (l[i]! > max) max = l[i]!;
  return Array.from({ length: max + 1 }, (_, i) => String(i));
}

/**
 * A dataset from a data array and optional labels.
 *
 * @param name - dataset name
 * @param x - the data array and its file
 * @param y - the labels and their file, if any
 * @param options - layout
 * @returns the dataset (labels with names `'0'`, `'1'`, ... when given) and notes
 * @throws NpyFormatError when the arrays are unusable or disagree
 */
export function arrayDataset(
  name: string,
  x: { array: NumericArray; source: string },
  y?: { array: NumericArray; source: string },
  options: ArrayLayoutOptions = {},
): ArrayDataset {
  const { data, exampleShape, notes } = examplesFromArray(x.array, x.source, options);
  const count = x.array.shape[0]!;
  const labels = y === undefined ? undefined : labelsFromArray(y.array, y.source, count, x.source);
  const classNames = labels === undefined ? undefined : numericClassNames(labels);
  return {
    dataset: createDataset({
      name,
      dtype: data instanceof Uint8Array ? 'uint8' : 'float32',
      data,
      exampleShape,
      labels,
      classNames,
    }),
    notes,
  };
}
