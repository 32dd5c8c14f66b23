import { fold, type HostTensor, type NoiseDraw, type PRNGKey } from '@vae/core';
import { threefry2x32 } from '@vae/datasets';
import { xoshiro128ss } from './xoshiro';
import { fillNormals } from './ziggurat';

const TWO_M24 = 2 ** -24;
const seed = new Uint32Array(2);

/**
 * Fills `out` with draws of `kind` from one xoshiro128** stream (Blackman & Vigna) seeded by
 * Threefry(key, [0..1]): uniforms in [0, 1) with 24 bits, or standard normals by the ziggurat
 * method (ziggurat.ts; several times cheaper than core's Threefry + Box-Muller `normal`, which
 * matters because every training step draws its reparameterisation noise).
 */
export function fillStream(key: PRNGKey, kind: NoiseDraw['kind'], out: Float32Array, at: number, n: number) {
  threefry2x32(key.k0, key.k1, 0, 0, seed);
  const [s0, s1] = [seed[0]!, seed[1]!];
  threefry2x32(key.k0, key.k1, 1, 0, seed);
  const [s2, s3] = [seed[0]!, seed[1]! | 1]; // never the all-zero state
  if (kind === 'normal') {
    fillNormals(s0, s1, s2, s3, out, at, n);
    return;
  }
  const next = xoshiro128ss(s0, s1, s2, s3);
  for (let i = at; i < at + n; i++) out[i] = (next() >>> 8) * TWO_M24;
}

/**
 * Feeds for the [K, ...shape] noise inputs of a K-step run starting at global step `firstStep`.
 * Step s, draw d comes from the stream of `fold(fold(key, s), d)`: the same numbers however steps
 * are grouped into runs, which is what makes a resumed run identical to an uninterrupted one.
 */
export function stepNoiseFeeds(
  draws: readonly NoiseDraw[],
  key: PRNGKey,
  firstStep: number,
  steps: number,
): Record<string, HostTensor> {
  const out: Record<string, HostTensor> = {};
  draws.forEach((d, i) => {
    const shape = d.shape as readonly number[];
    const size = shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(steps * size);
    for (let j = 0; j < steps; j++)
      fillStream(fold(fold(key, firstStep + j), i), d.kind, data, j * size, size);
    out[d.name] = { dtype: 'float32', shape: [steps, ...shape], data };
  });
  return out;
}
