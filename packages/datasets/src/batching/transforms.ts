/**
 * Per-batch transforms. A transform rewrites a float32 batch in place; it sees the epoch and the
 * dataset index of each example, so random transforms are a pure function of
 * `(key, epoch, example index, feature)`: the same example gets the same draw whatever batch it
 * lands in, and runs are reproducible.
 */
import { DatasetArgumentError } from '../errors';
import { fillUniform, foldIn, type KeyLike, toDataKey } from '../random';

/** What a transform knows about the batch it is applied to. */
export interface TransformContext {
  /** The epoch (0-based) the batch belongs to. */
  readonly epoch: number;
  /** Dataset index of each example in the batch, in batch order. */
  readonly indices: Uint32Array;
  /** Number of values per example. */
  readonly exampleSize: number;
}

/** A batch transform: rewrites `x` (row-major `[indices.length, exampleSize]`) in place. */
export interface Transform {
  /** A short description, e.g. `scaleToUnit(255)`. */
  readonly name: string;
  /**
   * Applies the transform.
   *
   * @param x - the batch values, modified in place
   * @param context - epoch and example indices
   */
  apply(x: Float32Array, context: TransformContext): void;
}

/**
 * Divides by `maxValue` so raw values in `[0, maxValue]` land in [0, 1] (pixels: `maxValue` 255).
 *
 * @param maxValue - the largest raw value (default 255)
 * @returns the transform
 */
export function scaleToUnit(maxValue = 255): Transform {
  if (!(maxValue > 0) || !Number.isFinite(maxValue)) {
    throw new DatasetArgumentError(
      '<scaleToUnit>',
      `maxValue must be a positive finite number, got ${maxValue}`,
    );
  }
  const inv = 1 / maxValue;
  return {
    name: `scaleToUnit(${maxValue})`,
    apply(x) {
      for (let i = 0; i < x.length; i++) x[i] = x[i]! * inv;
    },
  };
}

/** Options of {@link staticBinarize}: a fixed threshold, or one fixed random draw from a key. */
export type StaticBinarizeOptions = { readonly threshold: number } | { readonly key: KeyLike };

/**
 * Static binarisation of values in [0, 1]. With `{ threshold }`: `x > threshold ? 1 : 0`. With
 * `{ key }`: `u < x ? 1 : 0` where `u` is one uniform per (example, feature) drawn once from the
 * key, the same in every epoch (a fixed stochastically binarised copy, as in Salakhutdinov &
 * Murray 2008).
 *
 * @param options - threshold or key
 * @returns the transform
 */
export function staticBinarize(options: StaticBinarizeOptions): Transform {
  if ('threshold' in options) {
    const t = options.threshold;
    if (!Number.isFinite(t)) {
      throw new DatasetArgumentError('<staticBinarize>', `threshold must be finite, got ${t}`);
    }
    return {
      name: `staticBinarize(threshold=${t})`,
      apply(x) {
        for (let i = 0; i < x.length; i++) x[i] = x[i]! > t ? 1 : 0;
      },
    };
  }
  const key = toDataKey(options.key);
  return {
    name: 'staticBinarize(key)',
    apply(x, context) {
      bernoulliInPlace(x, context, key);
    },
  };
}

/**
 * Dynamic binarisation of values in [0, 1]: a fresh Bernoulli draw `u < x ? 1 : 0` in every epoch,
 * from `foldIn(key, epoch)`.
 *
 * @param options - `{ key }`
 * @returns the transform
 */
export function dynamicBinarize(options: { readonly key: KeyLike }): Transform {
  const key = toDataKey(options.key);
  return {
    name: 'dynamicBinarize(key)',
    apply(x, context) {
      bernoulliInPlace(x, context, foldIn(key, context.epoch));
    },
  };
}

function bernoulliInPlace(x: Float32Array, context: TransformContext, key: KeyLike): void {
  const { indices, exampleSize } = context;
  const u = new Float32Array(exampleSize);
  for (let r = 0; r < indices.length; r++) {
    fillUniform(key, indices[r]!, u);
    const base = r * exampleSize;
    for (let j = 0; j < exampleSize; j++) x[base + j] = u[j]! < x[base + j]! ? 1 : 0;
  }
}

/**
 * Applies transforms in order to a copy of the given rows, as float32.
 *
 * @param rows - row-major source values (not modified)
 * @param transforms - the transforms
 * @param context - epoch and example indices of the rows
 * @returns the transformed float32 copy
 */
export function applyTransforms(
  rows: Uint8Array | Float32Array,
  transforms: readonly Transform[],
  context: TransformContext,
): Float32Array {
  const x = Float32Array.from(rows);
  for (const t of transforms) t.apply(x, context);
  return x;
}
