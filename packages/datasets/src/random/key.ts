/**
 * Explicit PRNG keys for shuffling, binarisation and synthetic data. Randomness in this package is
 * never a hidden global: every random function takes a key, and the same key always gives the
 * same numbers on every platform.
 */
import { DatasetArgumentError } from '../errors';
import { threefry2x32 } from './threefry';

/** A 64-bit Threefry key as two unsigned 32-bit words. Build one with {@link dataKey}. */
export interface DataKey {
  /** High key word (unsigned 32-bit). */
  readonly hi: number;
  /** Low key word (unsigned 32-bit). */
  readonly lo: number;
}

/** Anything accepted where a key is expected: a {@link DataKey} or `{ seed }` (an integer seed). */
export type KeyLike = DataKey | { readonly seed: number };

/**
 * Makes a key from a non-negative integer seed up to 2^53 - 1 (like JAX's `PRNGKey(seed)`: the high
 * word holds the seed's bits above 32, the low word the rest).
 *
 * @param seed - a non-negative safe integer
 * @returns the key
 */
export function dataKey(seed: number): DataKey {
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new DatasetArgumentError('<key>', `seed must be a non-negative safe integer, got ${seed}`);
  }
  return { hi: Math.floor(seed / 0x1_0000_0000) >>> 0, lo: seed >>> 0 };
}

/**
 * Normalises a {@link KeyLike} to a {@link DataKey}.
 *
 * @param key - a key or `{ seed }`
 * @returns the key
 */
export function toDataKey(key: KeyLike): DataKey {
  if ('seed' in key) return dataKey(key.seed);
  if (!isWord(key.hi) || !isWord(key.lo)) {
    throw new DatasetArgumentError(
      '<key>',
      `key words must be unsigned 32-bit integers, got ${key.hi}, ${key.lo}`,
    );
  }
  return { hi: key.hi, lo: key.lo };
}

function isWord(x: number): boolean {
  return Number.isInteger(x) && x >= 0 && x <= 0xffff_ffff;
}

const scratch = new Uint32Array(2);

/**
 * Derives a new key from a key and an integer (JAX's `fold_in`): `foldIn(key, epoch)` gives an
 * independent key per epoch.
 *
 * @param key - the parent key
 * @param data - a non-negative integer below 2^32
 * @returns the derived key
 */
export function foldIn(key: KeyLike, data: number): DataKey {
  if (!isWord(data)) throw new DatasetArgumentError('<key>', `foldIn data must be in [0, 2^32), got ${data}`);
  const k = toDataKey(key);
  threefry2x32(k.hi, k.lo, 0, data, scratch);
  return { hi: scratch[0]!, lo: scratch[1]! };
}

/**
 * Splits a key into `n` independent keys (JAX's `split`).
 *
 * @param key - the parent key
 * @param n - how many keys (default 2)
 * @returns `n` derived keys
 */
export function splitKey(key: KeyLike, n = 2): DataKey[] {
  const k = toDataKey(key);
  const out: DataKey[] = [];
  for (let i = 0; i < n; i++) {
    threefry2x32(k.hi, k.lo, 1, i, scratch);
    out.push({ hi: scratch[0]!, lo: scratch[1]! });
  }
  return out;
}
