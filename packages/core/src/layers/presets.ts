import { convDecoder, convEncoder } from './conv-stack';
import type { ActivationFn, LayerSpec } from './spec';

/**
 * A multi-layer perceptron `sizes[0] -> ... -> sizes[n-1]`: dense layers with `activation` between
 * them (none after the last). Parameters: `<prefix>.0.weight`, `<prefix>.2.weight`, ...
 */
export function mlp(sizes: readonly number[], activation: ActivationFn = 'relu'): LayerSpec {
  return {
    type: 'sequential',
    layers: sizes
      .slice(1)
      .flatMap((out, i): LayerSpec[] => [
        { type: 'dense', in: sizes[i]!, out },
        ...(i < sizes.length - 2 ? [{ type: 'activation', fn: activation } as const] : []),
      ]),
  };
}

/**
 * Conv encoder for 1x28x28 images: conv 1->32 k4 s2 p1, relu, conv 32->64 k4 s2 p1, relu (64x7x7),
 * flatten, dense 3136 -> `outFeatures` (e.g. 2 x latent for a Gaussian posterior). The same spec as
 * `convEncoder({ height: 28, width: 28, channels: 1, outFeatures })`.
 */
export function convEncoder28(outFeatures: number): LayerSpec {
  return convEncoder({ height: 28, width: 28, channels: 1, outFeatures });
}

/**
 * The mirror decoder to 1x28x28 (logits or means): dense latent -> 3136, relu, reshape 64x7x7, then
 * either transposed convs (64->32->1, k4 s2 p1) or, with `upsample`, nearest x2 + conv k3 p1 twice
 * (free of checkerboard artefacts). The same spec as `convDecoder({ height: 28, width: 28, ... })`.
 */
export function convDecoder28(latent: number, opts: { upsample?: boolean } = {}): LayerSpec {
  return convDecoder({ height: 28, width: 28, channels: 1, latent, upsample: opts.upsample ?? false });
}
