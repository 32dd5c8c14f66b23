/**
 * Threefry-2x32 with 20 rounds (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3",
 * SC'11; the generator JAX uses). A counter-based PRNG: the output is a pure function of a 64-bit
 * key and a 64-bit counter, so any element of a random stream can be computed independently of
 * the others, in any order. This is a small self-contained copy for `@vae/datasets` (which must
 * not depend on `@vae/core`); it is checked against the Random123 known-answer vectors.
 */

/** `(x <<< r)` on 32-bit integers. */
function rotl(x: number, r: number): number {
  return (x << r) | (x >>> (32 - r));
}

/**
 * Threefry-2x32-20 block function: encrypts the counter `(c0, c1)` under the key `(k0, k1)`.
 * All inputs are treated as unsigned 32-bit integers.
 *
 * @param k0 - key word 0
 * @param k1 - key word 1
 * @param c0 - counter word 0
 * @param c1 - counter word 1
 * @param out - receives the two output words (unsigned 32-bit) at `out[0]`, `out[1]`
 */
export function threefry2x32(k0: number, k1: number, c0: number, c1: number, out: Uint32Array): void {
  const k2 = 0x1bd11bda ^ k0 ^ k1;
  let x0 = (c0 + k0) | 0;
  let x1 = (c1 + k1) | 0;
  x0 = (x0 + x1) | 0;
  x1 = rotl(x1, 13) ^ x0;
  x0 = (x0 + x1) | 0;
  x1 = rotl(x1, 15) ^ x0;
  x0 = (x0 + x1) | 0;
  x1 = rotl(x1, 26) ^ x0;
  x0 = (x0 + x1) | 0;
  x1 = rotl(x1, 6) ^ x0;
  x0 = (x0 + k1) | 0;
  x1 = (x1 + k2 + 1) | 0;
  x0 = (x0 + x1) | 0;
  x1 = rotl(x1, 17) ^ x0;
  x0 = (x0 + x1) | 0;
  x1 = rotl(x1, 29) ^ x0;
  x0 = (x0 + x1) | 0;
  x1 = rotl(x1, 16) ^ x0;
  x0 = (x0 + x1) | 0;
  x1 = rotl(x1, 24) ^ x0;
  x0 = (x0 + k2) | 0;
  x1 = (x1 + k0 + 2) | 0;
  x0 = (x0 + x1) | 0;
  x1 = rotl(x1, 13) ^ x0;
  x0 = (x0 + x1) | 0;
  x1 = rotl(x1, 15) ^ x0;
  x0 = (x0 + x1) | 0;
  x1 = rotl(x1, 26) ^ x0;
  x0 = (x0 + x1) | 0;
  x1 = rotl(x1, 6) ^ x0;
  x0 = (x0 + k0) | 0;
  x1 = (x1 + k1 + 3) | 0;
  x0 = (x0 + x1) | 0;
  x1 = rotl(x1, 17) ^ x0;
  x0 = (x0 + x1) | 0;
  x1 = rotl(x1, 29) ^ x0;
  x0 = (x0 + x1) | 0;
  x1 = rotl(x1, 16) ^ x0;
  x0 = (x0 + x1) | 0;
  x1 = rotl(x1, 24) ^ x0;
  x0 = (x0 + k1) | 0;
  x1 = (x1 + k2 + 4) | 0;
  x0 = (x0 + x1) | 0;
  x1 = rotl(x1, 13) ^ x0;
  x0 = (x0 + x1) | 0;
  x1 = rotl(x1, 15) ^ x0;
  x0 = (x0 + x1) | 0;
  x1 = rotl(x1, 26) ^ x0;
  x0 = (x0 + x1) | 0;
  x1 = rotl(x1, 6) ^ x0;
  x0 = (x0 + k2) | 0;
  x1 = (x1 + k0 + 5) | 0;
  out[0] = x0;
  out[1] = x1;
}
