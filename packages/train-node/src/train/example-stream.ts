import { type DataKey, threefry2x32 } from '@vae/datasets';

const block = new Uint32Array(2);

/**
 * Fills `out` with 32-bit words for one example: xoshiro128** (Blackman & Vigna) seeded from
 * Threefry(key, [example, 0..1]). The seed keeps draws addressable by (key, example) like a
 * counter-based generator, and xoshiro makes the ~400 words an image needs about 5x cheaper than
 * one Threefry call per two words.
 */
export function fillExampleWords(key: DataKey, example: number, out: Uint32Array): void {
  threefry2x32(key.hi, key.lo, example, 0, block);
  let s0 = block[0]!;
  let s1 = block[1]!;
  threefry2x32(key.hi, key.lo, example, 1, block);
  let s2 = block[0]!;
  let s3 = block[1]! | 1; // never the all-zero state
  for (let i = 0; i < out.length; i++) {
    const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    out[i] = r >>> 0;
  }
}

const rotl = (x: number, k: number) => (x << k) | (x >>> (32 - k));
