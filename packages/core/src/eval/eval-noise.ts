import { fillStream, fold, type PRNGKey } from '@vae/random';
import type { HostTensor } from '../ir/dtype';
import { drawShape, type GraphNoise } from '../random/noise';

/**
 * Feeds for every noise input of an evaluation graph, with symbolic dims resolved by `dims`: draw i
 * comes from the xoshiro128** stream of `fold(key, i)` (`@vae/random`'s `fillStream`, ziggurat
 * normals). The importance-sampled NLL draws k x N x latent normals (2e8 for k = 1000 on 10k test
 * images): at ~7 ns a draw instead of ~38 for Threefry + Box-Muller (`GraphNoise.feeds`), drawing
 * them drops from a sixth of `vae eval --iw 1000` to a few percent.
 */
export function streamNoiseFeeds(
  noise: GraphNoise,
  key: PRNGKey,
  dims: Readonly<Record<string, number>> = {},
): Record<string, HostTensor> {
  const out: Record<string, HostTensor> = {};
  noise.draws.forEach((d, i) => {
    const shape = drawShape(d, dims);
    const data = new Float32Array(shape.reduce((p, s) => p * s, 1));
    fillStream(fold(key, i), d.kind, data);
    out[d.name] = { dtype: 'float32', shape, data };
  });
  return out;
}
