/**
 * Threefry-2x32 with 20 rounds (Salmon et al., "Parallel Random Numbers: As Easy as 1, 2, 3", SC'11),
 * bit-for-bit the block function of `jax._src.prng.threefry_2x32` and Random123's `threefry2x32_20`.
 *
 * All arithmetic is on uint32 held in JS numbers: a sum of two uint32 is exact in float64 (< 2^34),
 * so `>>> 0` after each add gives the wrap-around mod 2^32 without Math or BigInt.
 */

/** Rotation constants: rows `[13,15,26,6]` and `[17,29,16,24]`, alternating every 4 rounds as in JAX. */
const ROTATIONS: readonly number[] = [13, 15, 26, 6, 17, 29, 16, 24];

/** Skein key-schedule parity constant: the third key word is `k0 ^ k1 ^ 0x1BD11BDA`. */
const KS_PARITY = 0x1bd11bda;

const rotl = (x: number, r: number): number => ((x << r) | (x >>> (32 - r))) >>> 0;

/**
 * Encrypts one counter block and writes the two output words to `out[o]`, `out[o + 1]`.
 * Writing into a buffer (instead of returning a tuple) keeps the bulk loop allocation-free.
 */
function block(k0: number, k1: number, x0: number, x1: number, out: Uint32Array, o: number): void {
  const k2 = (k0 ^ k1 ^ KS_PARITY) >>> 0;
  // Initial key injection, then 5 groups of 4 rounds, each followed by an injection (5 in all)
  // whose key words rotate through [k0, k1, k2] and whose second word also adds the group index.
  let a = (x0 + k0) >>> 0;
  let b = (x1 + k1) >>> 0;
  for (let s = 1; s <= 5; s++) {
    const row = ((s - 1) & 1) * 4;
    for (let r = 0; r < 4; r++) {
      a = (a + b) >>> 0;
      b = (rotl(b, ROTATIONS[row + r]!) ^ a) >>> 0;
    }
    const m = s % 3;
    a = (a + (m === 0 ? k0 : m === 1 ? k1 : k2)) >>> 0;
    b = (b + (m === 0 ? k1 : m === 1 ? k2 : k0) + s) >>> 0;
  }
  out[o] = a;
  out[o + 1] = b;
}

const scratch = new Uint32Array(2);

/**
 * Threefry-2x32-20 of the counter `[x0, x1]` under the key `[k0, k1]`.
 * Inputs are coerced to uint32 (`>>> 0`); callers should pass integers in `0..2^32-1`.
 *
 * @returns The two encrypted uint32 words.
 * @example threefry2x32(0, 0, 0, 0) // [0x6b200159, 0x99ba4efe]
 */
export function threefry2x32(k0: number, k1: number, x0: number, x1: number): [number, number] {
  block(k0 >>> 0, k1 >>> 0, x0 >>> 0, x1 >>> 0, scratch, 0);
  return [scratch[0]!, scratch[1]!];
}

/**
 * Bulk Threefry-2x32-20 over consecutive counters: fills `out` with the words of the blocks
 * `[start, tag], [start + 1, tag], ...` in order (`out[2j]`, `out[2j + 1]` come from block `start + j`).
 * When `out.length` is odd the second word of the last block is dropped, so a shorter fill is
 * always a prefix of a longer one.
 *
 * @param k0 - First key word (uint32).
 * @param k1 - Second key word (uint32).
 * @param out - Destination; its length sets how many words are produced.
 * @param start - First value of the counter's first word (uint32, default 0).
 * @param tag - Second counter word, used for domain separation (uint32, default 0).
 * @returns `out`, for chaining.
 * @throws RangeError if the counter's first word would pass 2^32 - 1 (counters would repeat).
 */
export function threefry2x32Fill(k0: number, k1: number, out: Uint32Array, start = 0, tag = 0): Uint32Array {
  const full = out.length >>> 1;
  const blocks = full + (out.length & 1);
  if (!Number.isInteger(start) || start < 0 || start + blocks > 0x1_0000_0000) {
    throw new RangeError(`threefry2x32Fill: counters ${start}..${start + blocks - 1} exceed uint32`);
  }
  const a = k0 >>> 0;
  const b = k1 >>> 0;
  const t = tag >>> 0;
  for (let j = 0; j < full; j++) block(a, b, start + j, t, out, 2 * j);
  if (out.length & 1) {
    block(a, b, start + full, t, scratch, 0);
    out[out.length - 1] = scratch[0]!;
  }
  return out;
}
