import type { DataKey } from './data-key';
import { threefry2x32Into } from './threefry';
import { xoshiro128ss } from './xoshiro';

/**
 * The random stream of one example's dynamic binarisation in training, addressable by (key, example)
 * like a counter-based generator: Threefry(key, [example, 0..1]) gives 128 seed bits, spread over
 * four xoshiro128** states, one per SIMD lane. Step t of the four streams gives four 32-bit words,
 * i.e. the 16-bit draws of pixels 8t..8t+7: lane l serves pixel 8t + 2l (low half) and 8t + 2l + 1
 * (high half). `@vae/train-node`'s WebAssembly SIMD kernel (binarize.wat) computes exactly this from
 * {@link binarizeLaneSeeds}; {@link binarizeDraws} is its plain-JS reference. Pixel j of value k is 1
 * when `k > 0 && draw[j] <= 257 k` (P = k/255 to within 2^-16).
 */

const block = new Uint32Array(2);
const base = new Uint32Array(4);
const GOLDEN = 0x9e3779b9;

/** MurmurHash3's 32-bit finaliser: a bijection that spreads every input bit over the output. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Writes the four lanes' xoshiro states for `example` at `out[at..at+16)`: word i of lane l at
 * `at + 4 i + l` (so one 16-byte load gives word i of all lanes).
 */
export function binarizeLaneSeeds(key: DataKey, example: number, out: Uint32Array, at: number): void {
  threefry2x32Into(key.hi, key.lo, example, 0, block);
  base.set(block, 0);
  threefry2x32Into(key.hi, key.lo, example, 1, block);
  base.set(block, 2);
  for (let i = 0; i < 4; i++)
    for (let l = 0; l < 4; l++) out[at + 4 * i + l] = fmix32(base[i]! ^ Math.imul(GOLDEN, 4 * l + i + 1));
  // xoshiro must never start from the all-zero state.
  for (let l = 0; l < 4; l++) out[at + 12 + l] = (out[at + 12 + l]! | 1) >>> 0;
}

const seeds = new Uint32Array(16);

/** The 16-bit uniform draws of `example` for pixels 0..size-1 (the reference for the kernel). */
export function binarizeDraws(key: DataKey, example: number, size: number, out: Uint16Array): void {
  binarizeLaneSeeds(key, example, seeds, 0);
  for (let l = 0; l < 4; l++) {
    const next = xoshiro128ss(seeds[l]!, seeds[4 + l]!, seeds[8 + l]!, seeds[12 + l]!);
    for (let j = 2 * l; j < size; j += 8) {
      const w = next();
      out[j] = w & 0xffff;
      if (j + 1 < size) out[j + 1] = w >>> 16;
    }
  }
}
