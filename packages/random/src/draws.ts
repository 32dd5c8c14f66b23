/**
 * Draws from a {@link PRNGKey}. Every function is a pure function of (key, arguments): reusing a key
 * reproduces the same numbers, so derive fresh keys with `split`/`fold` for independent draws.
 * All draws read the key's bit stream (counters `[j, 0]`, see key.ts), so e.g. `uniform(k, n)` and
 * `randomBits(k, n)` are built from the same words; do not reuse one key for two draws you need independent.
 */
import { fisherYates } from './fisher-yates';
import { checkCount, type PRNGKey } from './key';
import { threefry2x32Fill } from './threefry';

const TWO_POW_32 = 0x1_0000_0000;
const TWO_POW_M32 = 1 / TWO_POW_32;
const TWO_PI = 2 * Math.PI;

/**
 * `n` uniformly random uint32 words: word 2j and 2j+1 are Threefry(key, `[j, 0]`).
 * `randomBits(k, m)` is a prefix of `randomBits(k, n)` for m <= n.
 * @throws RangeError if `n` is not an integer in `0..2^32-1`.
 */
export function randomBits(k: PRNGKey, n: number): Uint32Array {
  checkCount(n, 'randomBits');
  return threefry2x32Fill(k.k0, k.k1, new Uint32Array(n));
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** Largest float32 strictly below the finite float32 `x` (stepping the bit pattern). */
function prevFloat32(x: number): number {
  f32[0] = x;
  if (x > 0) u32[0] = u32[0]! - 1;
  else if (x === 0)
    u32[0] = 0x80000001; // -0 and +0 both step to the smallest negative subnormal
  else u32[0] = u32[0]! + 1;
  return f32[0]!;
}

/**
 * `n` float32 values uniform on `[low, high)` (default `[0, 1)`).
 * Uses the 23-bit mantissa trick: `(bits >>> 9) | 0x3f800000` read as float32 is uniform on [1, 2)
 * with step 2^-23; minus 1 and scaled. Results that round up to `high` in float32 are stepped down to
 * the largest float32 below `high`, so the half-open bound holds for any range.
 * @throws RangeError if `low`/`high` (rounded to float32) are not finite with `low < high`.
 */
export function uniform(k: PRNGKey, n: number, opts: { low?: number; high?: number } = {}): Float32Array {
  const lo = Math.fround(opts.low ?? 0);
  const hi = Math.fround(opts.high ?? 1);
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo < hi)) {
    throw new RangeError(`uniform: need finite float32 low < high, got [${opts.low}, ${opts.high})`);
  }
  const bits = randomBits(k, n);
  for (let i = 0; i < n; i++) bits[i] = (bits[i]! >>> 9) | 0x3f800000;
  const out = new Float32Array(bits.buffer, bits.byteOffset, n); // reinterpret in place, no copy
  const span = hi - lo;
  const below = prevFloat32(hi);
  for (let i = 0; i < n; i++) {
    // out[i] - 1 is exact (out[i] is in [1, 2)); rounding is monotone, so v >= lo always holds.
    const v = Math.fround(lo + (out[i]! - 1) * span);
    out[i] = v >= hi ? below : v;
  }
  return out;
}

/**
 * `n` float32 normal draws with the given `mean` (default 0) and `std` (default 1).
 * Box-Muller in float64 from two 32-bit uniforms in (0, 1] (so `log` never sees 0), then rounded to
 * float32. Each pair of words [2j, 2j+1] gives values 2j and 2j+1 (cos and sin branches).
 * Reproducibility: V8 implements Math.log/cos/sin with fdlibm ports, so Node and Chromium browsers give
 * identical bits; engines with another libm could differ in the last float64 ulp, which almost never
 * survives the rounding to float32.
 * @throws RangeError for non-finite `mean`, negative or non-finite `std`, or a bad `n`.
 */
export function normal(k: PRNGKey, n: number, opts: { mean?: number; std?: number } = {}): Float32Array {
  const mean = opts.mean ?? 0;
  const std = opts.std ?? 1;
  if (!Number.isFinite(mean) || !Number.isFinite(std) || std < 0) {
    throw new RangeError(`normal: need finite mean and std >= 0, got mean=${mean}, std=${std}`);
  }
  checkCount(n, 'normal');
  const pairs = Math.ceil(n / 2);
  const bits = threefry2x32Fill(k.k0, k.k1, new Uint32Array(2 * pairs));
  const out = new Float32Array(n);
  for (let j = 0; j < pairs; j++) {
    const u1 = (bits[2 * j]! + 1) * TWO_POW_M32; // (0, 1]
    const u2 = (bits[2 * j + 1]! + 1) * TWO_POW_M32; // (0, 1]
    const r = Math.sqrt(-2 * Math.log(u1));
    const t = TWO_PI * u2;
    out[2 * j] = mean + std * r * Math.cos(t);
    if (2 * j + 1 < n) out[2 * j + 1] = mean + std * r * Math.sin(t);
  }
  return out;
}

/**
 * Float32 0/1 draws: value i is 1 with probability `p` (scalar) or `p[i]` (array).
 * Compares 32-bit words against `p * 2^32`, so p = 0 never and p = 1 always gives 1.
 * @param n - Count; required for a scalar `p`, and must equal `p.length` if given with an array.
 * @throws RangeError for probabilities outside [0, 1] (or NaN) or a bad `n`.
 */
export function bernoulli(k: PRNGKey, p: number, n: number): Float32Array;
export function bernoulli(k: PRNGKey, p: Float32Array, n?: number): Float32Array;
export function bernoulli(k: PRNGKey, p: Float32Array | number, n?: number): Float32Array {
  const count = typeof p === 'number' ? n : (n ?? p.length);
  if (count === undefined || (typeof p !== 'number' && count !== p.length)) {
    throw new RangeError(`bernoulli: n must be given for scalar p and equal p.length for arrays`);
  }
  const probs = typeof p === 'number' ? [p] : p;
  for (const pi of probs) {
    if (!(pi >= 0 && pi <= 1)) throw new RangeError(`bernoulli: probability ${pi} not in [0, 1]`);
  }
  const bits = randomBits(k, count);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const pi = typeof p === 'number' ? p : p[i]!;
    out[i] = bits[i]! < pi * TWO_POW_32 ? 1 : 0;
  }
  return out;
}

/**
 * A uniformly random permutation of `0..n-1` (Fisher-Yates), e.g. to shuffle a dataset each epoch
 * with `permutation(fold(dataKey, epoch), size)`. Indices come from the key's bit stream by rejection
 * sampling (words at or above the largest multiple of the bound are redrawn), so there is no modulo bias.
 * @throws RangeError if `n` is not an integer in `0..2^32-1`.
 */
export function permutation(k: PRNGKey, n: number): Uint32Array {
  checkCount(n, 'permutation');
  // Lazily read the same word stream as randomBits, 128 blocks at a time (rejections make the
  // total number of words unknown up front).
  const buf = new Uint32Array(256);
  let pos = buf.length;
  let block = 0;
  return fisherYates(n, () => {
    if (pos === buf.length) {
      threefry2x32Fill(k.k0, k.k1, buf, block);
      block += buf.length / 2;
      pos = 0;
    }
    return buf[pos++]!;
  });
}
