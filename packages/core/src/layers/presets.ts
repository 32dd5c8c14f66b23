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
 * flatten, dense 3136 -> `outFeatures` (e.g. 2 x latent for a Gaussian posterior).
 */
export function convEncoder28(outFeatures: number): LayerSpec {
  return {
    type: 'sequential',
    layers: [
      { type: 'conv2d', inChannels: 1, outChannels: 32, kernel: 4, stride: 2, padding: 1 },
      { type: 'activation', fn: 'relu' },
      { type: 'conv2d', inChannels: 32, outChannels: 64, kernel: 4, stride: 2, padding: 1 },
      { type: 'activation', fn: 'relu' },
      { type: 'flatten' },
      { type: 'dense', in: 64 * 7 * 7, out: outFeatures },
    ],
  };
}

/**
 * The mirror decoder to 1x28x28 (logits or means): dense latent -> 3136, relu, reshape 64x7x7, then
 * either transposed convs (64->32->1, k4 s2 p1) or, with `upsample`, nearest x2 + conv k3 p1 twice
 * (free of checkerboard artefacts).
 */
export function convDecoder28(latent: number, opts: { upsample?: boolean } = {}): LayerSpec {
  const up: LayerSpec[] = opts.upsample
    ? [
        { type: 'upsample', scale: 2 },
        { type: 'conv2d', inChannels: 64, outChannels: 32, kernel: 3, padding: 1 },
        { type: 'activation', fn: 'relu' },
        { type: 'upsample', scale: 2 },
        { type: 'conv2d', inChannels: 32, outChannels: 1, kernel: 3, padding: 1 },
      ]
    : [
        { type: 'convTranspose2d', inChannels: 64, outChannels: 32, kernel: 4, stride: 2, padding: 1 },
        { type: 'activation', fn: 'relu' },
        { type: 'convTranspose2d', inChannels: 32, outChannels: 1, kernel: 4, stride: 2, padding: 1 },
      ];
  return {
    type: 'sequential',
    layers: [
      { type: 'dense', in: latent, out: 64 * 7 * 7 },
      { type: 'activation', fn: 'relu' },
      { type: 'reshape', shape: [64, 7, 7] },
      ...up,
    ],
  };
}
