import { fold, type HostTensor, type NoiseDraw, normal, type PRNGKey, uniform } from '@vae/core';

/**
 * Feeds for the [K, ...shape] noise inputs of a K-step run starting at global step `firstStep`.
 * Step s, draw d comes from `fold(fold(key, s), d)`: the same numbers however steps are grouped
 * into runs, which is what makes a resumed run identical to an uninterrupted one.
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
    for (let j = 0; j < steps; j++) {
      const k = fold(fold(key, firstStep + j), i);
      data.set(d.kind === 'normal' ? normal(k, size) : uniform(k, size), j * size);
    }
    out[d.name] = { dtype: 'float32', shape: [steps, ...shape], data };
  });
  return out;
}
