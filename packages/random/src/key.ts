/**
 * Explicit PRNG keys, JAX style: every draw takes a key, and fresh keys come from `split`/`fold`.
 *
 * Domain separation: every stream is Threefry-2x32-20 under the key, and the three uses differ in
 * the counter's second word, so draws, splits and folds of one key never encrypt the same counter:
 * - random bits (`randomBits`, `uniform`, ...): counters `[j, 0]` for j = 0, 1, 2, ...
 * - `split`: counters `[i, 0x53504c54]` ("SPLT") for child i
 * - `fold`:  counters `[data, 0x464f4c44]` ("FOLD")
 * Only the block cipher and `key(seed)` match JAX bit for bit; these derivations are our own.
 * (`@vae/datasets` derives its keys differently, see data-key.ts; both stay, streams never change.)
 */

import { InvalidSeedError } from './errors';
import { threefry2x32 } from './threefry';

/**
 * A PRNG key: two uint32 words `[k0, k1]` (JAX's `PRNGKey` layout, high word first).
 * An immutable plain object rather than a tuple so fields are named and keys cannot be
 * confused with ordinary number arrays; `key`, `split` and `fold` return frozen objects.
 */
export type PRNGKey = Readonly<{ readonly k0: number; readonly k1: number }>;

/** Counter tag for `split` (ASCII "SPLT"). */
export const SPLIT_TAG = 0x53504c54;
/** Counter tag for `fold` (ASCII "FOLD"). */
export const FOLD_TAG = 0x464f4c44;

const TWO_POW_32 = 0x1_0000_0000;

const makeKey = (k0: number, k1: number): PRNGKey => Object.freeze({ k0: k0 >>> 0, k1: k1 >>> 0 });

/**
 * Builds a key from an integer seed the way `jax.random.PRNGKey` does: `[hi, lo]`, the high and
 * low 32-bit words of the seed, so `key(42)` is `{ k0: 0, k1: 42 }`.
 *
 * @param seed - Integer in `0..2^53-1`.
 * @throws {@link InvalidSeedError} for non-numbers, non-integers, negatives, NaN, Infinity or seeds above 2^53-1.
 */
export function key(seed: number): PRNGKey {
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed) || seed < 0) {
    throw new InvalidSeedError(seed);
  }
  const lo = seed >>> 0; // ToUint32 is exact mod 2^32 for safe integers
  return makeKey((seed - lo) / TWO_POW_32, lo);
}

/**
 * Checks that `n` is an integer count in `0..2^32-1` (the counter space of one stream).
 * @internal
 */
export function checkCount(n: number, what: string): void {
  if (!Number.isInteger(n) || n < 0 || n >= TWO_POW_32) {
    throw new RangeError(`${what}: expected an integer in 0..${TWO_POW_32 - 1}, got ${n}`);
  }
}

/**
 * Derives `n` independent child keys; child i is Threefry(key, `[i, SPLIT_TAG]`).
 * Children differ from each other and never reuse the parent's draw counters.
 *
 * @param k - Parent key (keep using it only if you do not also use its children for the same purpose).
 * @param n - Number of children (default 2).
 * @throws RangeError if `n` is not an integer in `0..2^32-1`.
 */
export function split(k: PRNGKey, n = 2): PRNGKey[] {
  checkCount(n, 'split');
  const out: PRNGKey[] = [];
  for (let i = 0; i < n; i++) {
    const [a, b] = threefry2x32(k.k0, k.k1, i, SPLIT_TAG);
    out.push(makeKey(a, b));
  }
  return out;
}

/**
 * Mixes a uint32 into a key, giving a new key: Threefry(key, `[data, FOLD_TAG]`).
 * Handy for per-step or per-example keys: `fold(epochKey, step)`.
 *
 * @param k - Key to derive from.
 * @param data - Integer in `0..2^32-1`.
 * @throws RangeError if `data` is not an integer in `0..2^32-1`.
 */
export function fold(k: PRNGKey, data: number): PRNGKey {
  checkCount(data, 'fold');
  const [a, b] = threefry2x32(k.k0, k.k1, data, FOLD_TAG);
  return makeKey(a, b);
}
