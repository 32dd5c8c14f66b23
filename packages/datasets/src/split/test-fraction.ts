/**
 * Held-out test splits for datasets that come without one: a seeded, stratified draw of a
 * fraction of the examples. Pure: no Node built-ins.
 */
import { type Dataset, type DType, subsetDataset } from '../dataset';
import { DatasetArgumentError } from '../errors';
import { type KeyLike, permutation } from '../random';

/** Options of {@link splitTestFraction}. */
export interface TestFractionOptions {
  /** Draw the fraction from each class separately (default: true when the dataset has labels). */
  readonly stratify?: boolean;
}

/** A train/test split and the source indices of each side (ascending). */
export interface TestFractionSplit<D extends DType = DType> {
  /** The examples kept for training (and validation), in source order. */
  readonly train: Dataset<D>;
  /** The held-out examples, in source order. */
  readonly test: Dataset<D>;
  /** Source index of each training example. */
  readonly trainIndices: Uint32Array;
  /** Source index of each test example. */
  readonly testIndices: Uint32Array;
}

/**
 * Holds out `fraction` of a dataset as a test split. Deterministic: the examples are ranked by
 * `permutation(key, count)` (this package's data-key family), and the first `round(fraction * n)`
 * of each class (stratified) or of the whole set go to test. Both sides are copies in source order.
 *
 * @param dataset - the source
 * @param fraction - share of examples held out, `0 < fraction < 1`
 * @param key - the split's key (`{ seed }` or a `DataKey`)
 * @param options - stratification
 * @returns `{ train, test, trainIndices, testIndices }`
 * @throws DatasetArgumentError on a bad fraction or when a side would be empty
 */
export function splitTestFraction<D extends DType>(
  dataset: Dataset<D>,
  fraction: number,
  key: KeyLike,
  options: TestFractionOptions = {},
): TestFractionSplit<D> {
  const n = dataset.count;
  if (!(typeof fraction === 'number' && fraction > 0 && fraction < 1)) {
    throw new DatasetArgumentError(dataset.name, `test fraction must be a number in (0, 1), got ${fraction}`);
  }
  const labels = options.stratify === false ? undefined : dataset.labels;
  if (options.stratify === true && dataset.labels === undefined) {
    throw new DatasetArgumentError(dataset.name, 'stratify needs labels, and the dataset has none');
  }
  const order = permutation(key, n);
  const isTest = new Uint8Array(n);
  if (labels === undefined) {
    const k = Math.round(fraction * n);
    for (let r = 0; r < k; r++) isTest[order[r]!] = 1;
  } else {
    const perClass = new Map<number, number>();
    for (let i = 0; i < n; i++) perClass.set(labels[i]!, (perClass.get(labels[i]!) ?? 0) + 1);
    const quota = new Map([...perClass].map(([c, m]) => [c, Math.round(fraction * m)]));
    for (let r = 0; r < n; r++) {
      const i = order[r]!;
      const left = quota.get(labels[i]!)!;
      if (left > 0) {
        isTest[i] = 1;
        quota.set(labels[i]!, left - 1);
      }
    }
  }
  let testCount = 0;
  for (let i = 0; i < n; i++) testCount += isTest[i]!;
  if (testCount === 0 || testCount === n) {
    throw new DatasetArgumentError(
      dataset.name,
      `a test fraction of ${fraction} of ${n} examples leaves ${testCount === 0 ? 'no test' : 'no training'} examples`,
    );
  }
  const testIndices = new Uint32Array(testCount);
  const trainIndices = new Uint32Array(n - testCount);
  for (let i = 0, a = 0, b = 0; i < n; i++) {
    if (isTest[i]) testIndices[a++] = i;
    else trainIndices[b++] = i;
  }
  return {
    train: subsetDataset(dataset, trainIndices, `${dataset.name}/train`),
    test: subsetDataset(dataset, testIndices, `${dataset.name}/test`),
    trainIndices,
    testIndices,
  };
}
