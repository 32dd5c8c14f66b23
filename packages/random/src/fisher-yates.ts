const TWO_POW_32 = 0x1_0000_0000;

/**
 * A permutation of `0..n-1` by Fisher-Yates from a stream of uint32 words: for i = n-1 down to 1,
 * swap i with j = w mod (i + 1), where words at or above the largest multiple of i + 1 below 2^32
 * are redrawn (rejection, so there is no modulo bias). The algorithm both key families' permutations
 * share; only their word streams differ.
 *
 * @param n - the length, an integer in `0..2^32-1` (checked by the caller)
 * @param next - gives the next uint32 word of the stream
 * @returns the permutation
 * @internal
 */
export function fisherYates(n: number, next: () => number): Uint32Array {
  const perm = new Uint32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const bound = i + 1;
    const limit = TWO_POW_32 - (TWO_POW_32 % bound);
    let w = next();
    while (w >= limit) w = next();
    const j = w % bound;
    const t = perm[i]!;
    perm[i] = perm[j]!;
    perm[j] = t;
  }
  return perm;
}
