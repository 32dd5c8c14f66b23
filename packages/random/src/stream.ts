/**
 * Fast streams: a key seeds one xoshiro128** state through Threefry, and the generator gives the
 * words. For the hot loops of training (every step draws its reparameterisation noise), where
 * Threefry + Box-Muller (`normal`) would cost several times more per draw.
 */
import type { PRNGKey } from './key';
import { threefry2x32Into } from './threefry';
import { xoshiroNext, xoshiroState } from './xoshiro';
import { zigguratNormals } from './ziggurat';

const TWO_M24 = 2 ** -24;
const seed = new Uint32Array(4);

/**
 * Fills `out[at..at+n)` with draws of `kind` from the xoshiro128** stream of `key`, whose state is
 * Threefry(key, `[0, 0]`) and Threefry(key, `[1, 0]`) (the last word ORed with 1, never all zero):
 * uniforms in [0, 1) with 24 bits (`word >>> 8` times 2^-24), or standard normals by the ziggurat
 * method. Training draws step s, noise input d from `fold(fold(key, s), d)`.
 *
 * @param key - the key
 * @param kind - `'normal'` or `'uniform'`
 * @param out - receives the draws
 * @param at - first index written (default 0)
 * @param n - how many draws (default: to the end of `out`)
 */
export function fillStream(
  key: PRNGKey,
  kind: 'normal' | 'uniform',
  out: Float32Array,
  at = 0,
  n = out.length - at,
): void {
  threefry2x32Into(key.k0, key.k1, 0, 0, seed, 0);
  threefry2x32Into(key.k0, key.k1, 1, 0, seed, 2);
  const [s0, s1, s2] = [seed[0]!, seed[1]!, seed[2]!];
  const s3 = seed[3]! | 1;
  if (kind === 'normal') {
    zigguratNormals(s0, s1, s2, s3, out, at, n);
    return;
  }
  const s = xoshiroState(s0, s1, s2, s3);
  for (let i = at; i < at + n; i++) out[i] = (xoshiroNext(s) >>> 8) * TWO_M24;
}
