/**
 * This package's randomness: the data-key family of `@vae/random` (keys `{ hi, lo }`, `foldIn`,
 * `splitKey`, stream-addressed draws, `permutation`), whose streams every shuffle, binarisation and
 * synthetic dataset here is pinned to. Every random function takes a key, and the same key gives the
 * same numbers on every platform. Re-exported under this package's names, with `@vae/random`'s
 * argument errors rethrown as {@link DatasetArgumentError} so that every error of this package stays
 * a `DatasetError` (same source label, same message).
 */
import * as random from '@vae/random';
import { DatasetArgumentError } from './errors';

export type { DataKey, KeyLike } from '@vae/random';
/** Threefry-2x32-20 of one counter, written to `out[0..1]` (`@vae/random`'s `threefry2x32Into`). */
export const threefry2x32 = random.threefry2x32Into;

function datasetErrors<A extends unknown[], R>(f: (...args: A) => R): (...args: A) => R {
  return (...args) => {
    try {
      return f(...args);
    } catch (e) {
      if (e instanceof random.RandomArgumentError) {
        throw new DatasetArgumentError(e.source, e.detail, { cause: e });
      }
      throw e;
    }
  };
}

/** A key from a non-negative safe-integer seed (like JAX's `PRNGKey(seed)`); see `@vae/random`. */
export const dataKey = datasetErrors(random.dataKey);
/** Normalises a key or `{ seed }` to a key. */
export const toDataKey = datasetErrors(random.toDataKey);
/** Threefry(key, `[0, data]`): an independent key per epoch, example, ... (JAX's `fold_in`). */
export const foldIn = datasetErrors(random.foldIn);
/** `n` keys, child i is Threefry(key, `[1, i]`) (JAX's `split`). */
export const splitKey = datasetErrors(random.splitKey);
/** Fills `out` with 32-bit words `start, start + 1, ...` of stream `stream` under `key`. */
export const fillWords = datasetErrors(random.fillWords);
/** Fills `out` with uniforms in [0, 1) on a 2^-24 grid from stream `stream`. */
export const fillUniform = datasetErrors(random.fillUniform);
/** Fills `out` with standard normals (Box-Muller on pairs of 53-bit uniforms) from stream `stream`. */
export const fillNormal = datasetErrors(random.fillNormal);
/** A uniformly random permutation of `0 .. n-1` determined by `key` (`@vae/random`'s `dataPermutation`). */
export const permutation = datasetErrors(random.dataPermutation);
