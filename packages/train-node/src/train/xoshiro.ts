const rotl = (x: number, k: number) => (x << k) | (x >>> (32 - k));

/**
 * A xoshiro128** generator (Blackman & Vigna) from a 128-bit state: each call returns the next
 * unsigned 32-bit word. The state must not be all zero (callers OR 1 into a word). Shared by the
 * binarisation streams (and their SIMD kernel's reference) and the training noise.
 */
export function xoshiro128ss(a: number, b: number, c: number, d: number): () => number {
  let [s0, s1, s2, s3] = [a, b, c, d];
  return () => {
    const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    return r;
  };
}
