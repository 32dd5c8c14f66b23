/**
 * Standardisation with statistics computed on the training split only, then applied unchanged to
 * every split (test data must not leak into the statistics).
 */
import type { Dataset } from '../dataset';
import { DatasetArgumentError } from '../errors';
import { applyTransforms, type Transform } from './transforms';

/** Mean and standard deviation per feature (or one of each when computed globally). */
export interface StandardizationStats {
  /** Mean per feature (length `exampleSize`, or 1 for global stats). */
  readonly mean: Float32Array;
  /** Standard deviation per feature; features with std below `epsilon` get 1. */
  readonly std: Float32Array;
}

/** Options of {@link computeStandardization}. */
export interface StandardizationOptions {
  /** One mean/std over all features instead of one per feature (default false). */
  readonly global?: boolean;
  /** Standard deviations below this are replaced by 1 (default 1e-6): constant features stay finite. */
  readonly epsilon?: number;
  /** Transforms to apply before measuring (e.g. `scaleToUnit()`), with epoch 0. */
  readonly before?: readonly Transform[];
}

/**
 * Computes mean and standard deviation (population, two-pass in float64) over a dataset. Pass the
 * training split only; apply the result with {@link standardize} to every split.
 *
 * @param train - the training split
 * @param options - global or per-feature, epsilon, preceding transforms
 * @returns the statistics
 */
export function computeStandardization(
  train: Dataset,
  options: StandardizationOptions = {},
): StandardizationStats {
  const { global = false, epsilon = 1e-6, before = [] } = options;
  if (train.count === 0) {
    throw new DatasetArgumentError(
      train.name,
      'cannot compute standardisation statistics of an empty dataset',
    );
  }
  const size = train.exampleSize;
  const width = global ? 1 : size;
  const sum = new Float64Array(width);
  const sumSq = new Float64Array(width);
  const counts = new Float64Array(width);
  const chunk = 1024;
  const passes: Array<(x: Float32Array, mask: Uint8Array | undefined) => void> = [
    (x, mask) => {
      for (let i = 0; i < x.length; i++) {
        if (mask && mask[i] === 0) continue;
        const f = global ? 0 : i % size;
        sum[f] = sum[f]! + x[i]!;
        counts[f] = counts[f]! + 1;
      }
    },
    (x, mask) => {
      for (let i = 0; i < x.length; i++) {
        if (mask && mask[i] === 0) continue;
        const f = global ? 0 : i % size;
        const d = x[i]! - sum[f]! / counts[f]!;
        sumSq[f] = sumSq[f]! + d * d;
      }
    },
  ];
  for (const pass of passes) {
    for (let start = 0; start < train.count; start += chunk) {
      const end = Math.min(train.count, start + chunk);
      const indices = new Uint32Array(end - start).map((_, k) => start + k);
      const x = applyTransforms(train.data.subarray(start * size, end * size), before, {
        epoch: 0,
        indices,
        exampleSize: size,
      });
      pass(x, train.mask?.subarray(start * size, end * size));
    }
  }
  const mean = new Float32Array(width);
  const std = new Float32Array(width);
  for (let f = 0; f < width; f++) {
    const n = counts[f]!;
    mean[f] = n > 0 ? sum[f]! / n : 0;
    const s = n > 0 ? Math.sqrt(sumSq[f]! / n) : 0;
    std[f] = s < epsilon ? 1 : s;
  }
  return { mean, std };
}

/**
 * `(x - mean) / std` with statistics from {@link computeStandardization}.
 *
 * @param stats - the training-split statistics
 * @returns the transform
 */
export function standardize(stats: StandardizationStats): Transform {
  const { mean, std } = stats;
  if (mean.length !== std.length || mean.length === 0) {
    throw new DatasetArgumentError(
      '<standardize>',
      `mean (${mean.length}) and std (${std.length}) lengths differ`,
    );
  }
  const inv = std.map((s) => 1 / s);
  const width = mean.length;
  return {
    name: 'standardize',
    apply(x, context) {
      if (width !== 1 && width !== context.exampleSize) {
        throw new DatasetArgumentError(
          '<standardize>',
          `statistics have ${width} features but examples have ${context.exampleSize}`,
        );
      }
      for (let i = 0; i < x.length; i++) {
        const f = width === 1 ? 0 : i % width;
        x[i] = (x[i]! - mean[f]!) * inv[f]!;
      }
    },
  };
}

/**
 * The inverse of {@link standardize}: `x * std + mean`, e.g. to bring a model's output back to the
 * data's units.
 *
 * @param stats - the statistics used to standardise
 * @returns the transform
 */
export function unstandardize(stats: StandardizationStats): Transform {
  const { mean, std } = stats;
  const width = mean.length;
  return {
    name: 'unstandardize',
    apply(x) {
      for (let i = 0; i < x.length; i++) {
        const f = width === 1 ? 0 : i % width;
        x[i] = x[i]! * std[f]! + mean[f]!;
      }
    },
  };
}
