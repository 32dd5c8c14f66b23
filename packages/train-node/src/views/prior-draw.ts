import {
  fold,
  type Graph,
  GraphNoise,
  type HostTensor,
  normal,
  type PRNGKey,
  type Tensor,
  type VAE,
} from '@vae/core';

/** z ~ p(z) in a graph, and the feeds that draw it from a key ({@link priorDraw}). */
export interface PriorDraw {
  /** The draws, [n, latent]. */
  readonly z: Tensor;
  /** Feeds for `z`'s inputs, drawn from the sampling key `k` (the seed's key). */
  feeds(k: PRNGKey, temperature?: number): Record<string, HostTensor>;
}

/**
 * z ~ p(z) for `n` rows, laid out as `@vae/infer-web`'s `sample(n, seed)` draws it, so the same seed
 * gives the same z in the CLI and in a browser (`vae sample --png` and `--csv` alike). The z key is
 * `fold(k, 0)`: a standard-normal prior's z is `temperature * normal(fold(k, 0), n * latent)`, fed as
 * input `z`; any other prior samples with its own sampler, its i-th noise input from
 * `fold(fold(k, 0), i)` (temperature 1 only: callers refuse others).
 */
export function priorDraw(vae: VAE, g: Graph, params: Record<string, Tensor>, n: number): PriorDraw {
  const L = vae.spec.latent;
  const standard = vae.spec.prior.type === 'standard-normal';
  const noise = new GraphNoise(g, 'prior');
  const z = standard ? g.input('z', [n, L]) : vae.prior(params, g).sample(noise, [n]);
  return {
    z,
    feeds(k, temperature = 1) {
      const zKey = fold(k, 0);
      if (!standard) return noise.feeds(zKey);
      const data = normal(zKey, n * L);
      if (temperature !== 1) for (let i = 0; i < data.length; i++) data[i] = data[i]! * temperature;
      return { z: { dtype: 'float32', shape: [n, L], data } };
    },
  };
}
