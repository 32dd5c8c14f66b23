/**
 * Draws of the data-key family (data-key.ts), as `@vae/datasets` uses them: 32-bit words, uniforms,
 * normals, permutations. A stream is addressed by `(key, stream, index)`: word `i` of stream `s` is
 * word `i & 1` of `threefry(key, [s, i >>> 1])`, so draws for one example (stream = example index)
 * do not depend on the order in which examples are visited. These are not the draws of draws.ts
 * (`uniform`, `normal`, `permutation` of a `PRNGKey`): other bit layouts, other streams.
 */
import { type KeyLike, toDataKey } from './data-key';
import { RandomArgumentError } from './errors';
import { fisherYates } from './fisher-yates';
import { threefry2x32Into } from './threefry';

const block = new Uint32Array(2);
const TWO_POW_M24 = 1 / 16_777_216;

/**
 * Fills `out` with 32-bit words `start, start + 1, ...` of stream `stream` under `key`.
 *
 * @param key - the key
 * @param stream - stream number, an integer in [0, 2^32)
 * @param out - receives the words
 * @param start - index of the first word (default 0); must be even for speed, any value works
 */
export function fillWords(key: KeyLike, stream: number, out: Uint32Array, start = 0): void {
  const k = toDataKey(key);
  const n = out.length;
  let i = 0;
  let w = start;
  if (w % 2 === 1 && n > 0) {
    threefry2x32Into(k.hi, k.lo, stream, (w - 1) / 2, block);
    out[i++] = block[1]!;
    w++;
  }
  for (; i + 1 < n; i += 2, w += 2) {
    threefry2x32Into(k.hi, k.lo, stream, w / 2, block);
    out[i] = block[0]!;
    out[i + 1] = block[1]!;
  }
  if (i < n) {
    threefry2x32Into(k.hi, k.lo, stream, w / 2, block);
    out[i] = block[0]!;
  }
}

/**
 * Fills `out` with uniforms in [0, 1) on a 2^-24 grid (exact in float32), from stream `stream`.
 *
 * @param key - the key
 * @param stream - stream number, an integer in [0, 2^32)
 * @param out - receives the uniforms
 */
export function fillUniform(key: KeyLike, stream: number, out: Float32Array | Float64Array): void {
  const k = toDataKey(key);
  const n = out.length;
  for (let i = 0; i < n; i += 2) {
    threefry2x32Into(k.hi, k.lo, stream, i / 2, block);
    out[i] = (block[0]! >>> 8) * TWO_POW_M24;
    if (i + 1 < n) out[i + 1] = (block[1]! >>> 8) * TWO_POW_M24;
  }
}

/**
 * Fills `out` with standard normal draws (Box-Muller on pairs of 53-bit uniforms).
 *
 * @param key - the key
 * @param stream - stream number, an integer in [0, 2^32)
 * @param out - receives the draws
 */
export function fillNormal(key: KeyLike, stream: number, out: Float32Array | Float64Array): void {
  const k = toDataKey(key);
  const n = out.length;
  for (let i = 0; i < n; i += 2) {
    threefry2x32Into(k.hi, k.lo, stream, i, block);
    const u1 = 1 - toUnit53(block[0]!, block[1]!); // (0, 1]: log is finite
    threefry2x32Into(k.hi, k.lo, stream, i + 1, block);
    const u2 = toUnit53(block[0]!, block[1]!);
    const r = Math.sqrt(-2 * Math.log(u1));
    out[i] = r * Math.cos(2 * Math.PI * u2);
    if (i + 1 < n) out[i + 1] = r * Math.sin(2 * Math.PI * u2);
  }
}

function toUnit53(a: number, b: number): number {
  return ((a >>> 5) * 67_108_864 + (b >>> 6)) / 9_007_199_254_740_992;
}

/**
 * A uniformly random permutation of `0 .. n-1` (Fisher-Yates with unbiased bounded integers by
 * rejection), determined by `key` alone; its words are stream 0's (`[0, j]`). `@vae/datasets`
 * exports it as `permutation`; `permutation` here is the `PRNGKey` one (draws.ts).
 *
 * @param key - the key
 * @param n - the length, an integer in [0, 2^32)
 * @returns the permutation
 * @throws {@link RandomArgumentError} for a bad length or key
 */
export function dataPermutation(key: KeyLike, n: number): Uint32Array {
  if (!Number.isInteger(n) || n < 0 || n > 0xffff_ffff) {
    throw new RandomArgumentError('<permutation>', `length must be an integer in [0, 2^32), got ${n}`);
  }
  const k = toDataKey(key);
  let counter = 0;
  let have = 0;
  return fisherYates(n, () => {
    if (have === 0) {
      threefry2x32Into(k.hi, k.lo, 0, counter++, block);
      have = 2;
    }
    return block[2 - have--]!;
  });
}
