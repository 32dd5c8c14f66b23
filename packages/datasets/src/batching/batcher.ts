/**
 * Mini-batches over a {@link Dataset}: a seeded shuffle per epoch from an explicit key, optional
 * drop-last, and transforms. Without shuffling or transforms, batches are views into the dataset
 * (no copy).
 */
import type { Dataset, DType, DTypeArray } from '../dataset';
import { DatasetArgumentError } from '../errors';
import { foldIn, type KeyLike, permutation, toDataKey } from '../random';
import { applyTransforms, type Transform } from './transforms';

/** Options of a {@link Batcher}. */
export interface BatcherOptions {
  /** Examples per batch (a positive integer). */
  readonly batchSize: number;
  /**
   * Key for the per-epoch shuffle: epoch `e` visits examples in the order
   * `permutation(foldIn(key, e), count)`. Omit (or pass `shuffle: false`) for dataset order.
   */
  readonly key?: KeyLike;
  /** Shuffle each epoch (default: true when a key is given). Shuffling without a key is an error. */
  readonly shuffle?: boolean;
  /** Drop the last batch when it is smaller than `batchSize` (default false). */
  readonly dropLast?: boolean;
  /** Transforms applied in order to each batch; with any, batches are float32 copies. */
  readonly transforms?: readonly Transform[];
}

/** One mini-batch. */
export interface Batch {
  /** Values, row-major `[size, ...exampleShape]`: float32 after transforms, else the dataset's dtype. */
  readonly x: DTypeArray[DType];
  /** Element type of `x`. */
  readonly dtype: DType;
  /** `[size, ...exampleShape]`. */
  readonly shape: readonly number[];
  /** Number of examples in this batch (the last one may be smaller unless `dropLast`). */
  readonly size: number;
  /** Dataset index of each example, in batch order. */
  readonly indices: Uint32Array;
  /** Labels of the examples, if the dataset is labelled. */
  readonly labels: Uint8Array | undefined;
  /** Observed mask of the examples, if the dataset has one. */
  readonly mask: Uint8Array | undefined;
  /** The epoch this batch belongs to. */
  readonly epoch: number;
  /** Position of this batch within its epoch (0-based). */
  readonly index: number;
}

/** Yields the mini-batches of each epoch, reproducibly. */
export class Batcher {
  /** The dataset batched over. */
  readonly dataset: Dataset;
  /** Examples per (full) batch. */
  readonly batchSize: number;
  /** Whether epochs are shuffled. */
  readonly shuffle: boolean;
  /** Whether a final short batch is dropped. */
  readonly dropLast: boolean;
  /** The transforms applied to every batch. */
  readonly transforms: readonly Transform[];
  /** Number of batches in every epoch. */
  readonly batchesPerEpoch: number;
  readonly #key: KeyLike | undefined;

  /**
   * @param dataset - the examples
   * @param options - batch size, key, shuffle, drop-last, transforms
   */
  constructor(dataset: Dataset, options: BatcherOptions) {
    const { batchSize, key, dropLast = false, transforms = [] } = options;
    const shuffle = options.shuffle ?? key !== undefined;
    if (!Number.isInteger(batchSize) || batchSize <= 0) {
      throw new DatasetArgumentError(dataset.name, `batchSize must be a positive integer, got ${batchSize}`);
    }
    if (shuffle && key === undefined) {
      throw new DatasetArgumentError(
        dataset.name,
        'shuffling needs an explicit key, e.g. { key: { seed: 0 } }',
      );
    }
    this.dataset = dataset;
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.dropLast = dropLast;
    this.transforms = [...transforms];
    this.#key = key === undefined ? undefined : toDataKey(key);
    this.batchesPerEpoch = dropLast
      ? Math.floor(dataset.count / batchSize)
      : Math.ceil(dataset.count / batchSize);
  }

  /**
   * The order in which epoch `epoch` visits the examples (all `count` of them; with `dropLast`
   * the tail past the last full batch is not yielded).
   *
   * @param epoch - an integer in [0, 2^32)
   * @returns dataset indices in visiting order
   */
  order(epoch: number): Uint32Array {
    checkEpoch(this.dataset.name, epoch);
    const n = this.dataset.count;
    if (!this.shuffle || this.#key === undefined) {
      const identity = new Uint32Array(n);
      for (let i = 0; i < n; i++) identity[i] = i;
      return identity;
    }
    return permutation(foldIn(this.#key, epoch), n);
  }

  /**
   * The batches of one epoch, in order.
   *
   * @param epoch - an integer in [0, 2^32) (default 0)
   * @returns a fresh iterator over the epoch's batches
   */
  *epoch(epoch = 0): IterableIterator<Batch> {
    const order = this.order(epoch);
    for (let b = 0; b < this.batchesPerEpoch; b++) {
      const start = b * this.batchSize;
      const end = Math.min(order.length, start + this.batchSize);
      yield this.#makeBatch(order.subarray(start, end), epoch, b);
    }
  }

  #makeBatch(indices: Uint32Array, epoch: number, index: number): Batch {
    const ds = this.dataset;
    const size = ds.exampleSize;
    const n = indices.length;
    const contiguous = !this.shuffle;
    const first = indices[0] ?? 0;
    let raw: DTypeArray[DType];
    let labels: Uint8Array | undefined;
    let mask: Uint8Array | undefined;
    if (contiguous) {
      raw = ds.data.subarray(first * size, (first + n) * size);
      labels = ds.labels?.subarray(first, first + n);
      mask = ds.mask?.subarray(first * size, (first + n) * size);
    } else {
      raw = ds.dtype === 'uint8' ? new Uint8Array(n * size) : new Float32Array(n * size);
      labels = ds.labels === undefined ? undefined : new Uint8Array(n);
      mask = ds.mask === undefined ? undefined : new Uint8Array(n * size);
      for (let r = 0; r < n; r++) {
        const i = indices[r]!;
        raw.set(ds.data.subarray(i * size, (i + 1) * size) as never, r * size);
        if (labels) labels[r] = ds.labels![i]!;
        if (mask) mask.set(ds.mask!.subarray(i * size, (i + 1) * size), r * size);
      }
    }
    const batchIndices = Uint32Array.from(indices);
    const x =
      this.transforms.length === 0
        ? raw
        : applyTransforms(raw, this.transforms, { epoch, indices: batchIndices, exampleSize: size });
    return {
      x,
      dtype: x instanceof Float32Array ? 'float32' : 'uint8',
      shape: [n, ...ds.exampleShape],
      size: n,
      indices: batchIndices,
      labels,
      mask,
      epoch,
      index,
    };
  }
}

function checkEpoch(name: string, epoch: number): void {
  if (!Number.isInteger(epoch) || epoch < 0 || epoch > 0xffff_ffff) {
    throw new DatasetArgumentError(name, `epoch must be an integer in [0, 2^32), got ${epoch}`);
  }
}
