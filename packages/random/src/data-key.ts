/**
 * The data-key family: keys for shuffling, binarisation and synthetic data, as `@vae/datasets` has
 * always derived them. Same seed layout and block cipher as `key` (key.ts), but other derivations,
 * kept because datasets' streams (epoch orders, binarisation draws, the embedded digits' split) are
 * pinned and must never change:
 * - `foldIn(k, data)` is Threefry(k, `[0, data]`) (`fold` uses `[data, FOLD_TAG]`);
 * - `splitKey(k, n)` child i is Threefry(k, `[1, i]`) (`split` uses `[i, SPLIT_TAG]`);
 * - draws are addressed by stream (data-draws.ts), not by one counter sequence.
 * A `DataKey` is `{ hi, lo }` and a `PRNGKey` is `{ k0, k1 }` so the two are never mixed up.
 */
import { RandomArgumentError } from './errors';
import { threefry2x32Into } from './threefry';

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
 * Makes a data key from a non-negative integer seed up to 2^53 - 1 (like JAX's `PRNGKey(seed)`: the high
 * word holds the seed's bits above 32, the low word the rest).
 *
 * @param seed - a non-negative safe integer
 * @returns the key
 * @throws {@link RandomArgumentError} for any other seed
 */
export function dataKey(seed: number): DataKey {
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new RandomArgumentError('<key>', `seed must be a non-negative safe integer, got ${seed}`);
  }
  return { hi: Math.floor(seed / 0x1_0000_0000) >>> 0, lo: seed >>> 0 };
}

/**
 * Normalises a {@link KeyLike} to a {@link DataKey}.
 *
 * @param key - a key or `{ seed }`
 * @returns the key
 * @throws {@link RandomArgumentError} for a bad seed or key words that are not uint32
 */
export function toDataKey(key: KeyLike): DataKey {
  if ('seed' in key) return dataKey(key.seed);
  if (!isWord(key.hi) || !isWord(key.lo)) {
    throw new RandomArgumentError(
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
 * @throws {@link RandomArgumentError} for other `data` or a bad key
 */
export function foldIn(key: KeyLike, data: number): DataKey {
  if (!isWord(data)) throw new RandomArgumentError('<key>', `foldIn data must be in [0, 2^32), got ${data}`);
  const k = toDataKey(key);
  threefry2x32Into(k.hi, k.lo, 0, data, scratch);
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
    threefry2x32Into(k.hi, k.lo, 1, i, scratch);
    out.push({ hi: scratch[0]!, lo: scratch[1]! });
  }
  return out;
}
