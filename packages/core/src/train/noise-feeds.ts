import { fillStream, fold, type PRNGKey } from '@vae/random';
import type { HostTensor } from '../ir/dtype';
import type { NoiseDraw } from '../random/noise';

/**
 * Feeds for the [K, ...shape] noise inputs of a K-step run starting at global step `firstStep`.
 * Step s, draw d comes from the xoshiro128** stream (`@vae/random`'s `fillStream`: ziggurat normals,
 * several times cheaper per draw than Threefry + Box-Muller `normal`) of `fold(fold(key, s), d)`:
 * the same numbers however steps are grouped into runs, which is what makes a resumed run identical
 * to an uninterrupted one.
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
