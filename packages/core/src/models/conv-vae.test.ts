import { key, uniform } from '@vae/random';
import { describe, expect, it } from 'vitest';
import { grad } from '../autodiff/grad';
import type { HostTensor } from '../ir/dtype';
import { Graph } from '../ir/graph';
import { interpret } from '../ir/interpret';
import { convDecoder28, convEncoder28 } from '../layers/presets';
import { outputShape } from '../layers/shapes';
import type { LayerSpec } from '../layers/spec';
import { GraphNoise } from '../random/noise';
import { relError, runOrt } from '../testing/harness';
import { convVAE28 } from './builders';
import { convVAE } from './conv-vae';
import { likelihoodParamShape } from './likelihood';
import { type LikelihoodSpec, ModelSpecError } from './spec';
import type { VAE } from './vae';

// The general conv VAE: any H x W x C, any conv widths, each likelihood; the 28x28 grey model is
// the same spec as before; the loss and its gradients agree with onnxruntime at odd sizes.

/** convEncoder28 / convDecoder28 as written before the general builder (the pinned reference). */
const conv = (i: number, o: number): LayerSpec => ({
  type: 'conv2d',
  inChannels: i,
  outChannels: o,
  kernel: 4,
  stride: 2,
  padding: 1,
});
const convT = (i: number, o: number): LayerSpec => ({
  type: 'convTranspose2d',
  inChannels: i,
  outChannels: o,
  kernel: 4,
  stride: 2,
  padding: 1,
});
const relu: LayerSpec = { type: 'activation', fn: 'relu' };
const legacyEncoder = (out: number): LayerSpec => ({
  type: 'sequential',
  layers: [conv(1, 32), relu, conv(32, 64), relu, { type: 'flatten' }, { type: 'dense', in: 3136, out }],
});
const legacyDecoder = (latent: number, upsample: boolean): LayerSpec => ({
  type: 'sequential',
  layers: [
    { type: 'dense', in: latent, out: 3136 },
    relu,
    { type: 'reshape', shape: [64, 7, 7] },
    ...(upsample
      ? ([
          { type: 'upsample', scale: 2 },
          { type: 'conv2d', inChannels: 64, outChannels: 32, kernel: 3, padding: 1 },
          relu,
          { type: 'upsample', scale: 2 },
          { type: 'conv2d', inChannels: 32, outChannels: 1, kernel: 3, padding: 1 },
        ] as LayerSpec[])
      : [convT(64, 32), relu, convT(32, 1)]),
  ],
});

const LIKELIHOODS: LikelihoodSpec[] = [
  { type: 'bernoulli' },
  { type: 'continuous-bernoulli' },
  { type: 'gaussian', scale: 'learned-shared' },
  { type: 'gaussian', scale: 'learned' },
  { type: 'gaussian', scale: 0.1 },
  { type: 'discretized-logistic' },
];

const f32 = (shape: number[], data: Float32Array): HostTensor => ({ dtype: 'float32', shape, data });
/** 8-bit pixels k/255, valid data for every image likelihood. */
const pixels = (shape: number[], seed: number) =>
  f32(
    shape,
    Float32Array.from(
      uniform(
        key(seed),
        shape.reduce((a, d) => a * d, 1),
      ),
      (u) => Math.floor(u * 256) / 255,
    ),
  );

describe('convVAE28 is convVAE at 28x28x1, spec for spec', () => {
  it('the presets write the same layers as before, key for key', () => {
    expect(JSON.stringify(convEncoder28(40))).toBe(JSON.stringify(legacyEncoder(40)));
    for (const up of [false, true])
      expect(JSON.stringify(convDecoder28(20, { upsample: up }))).toBe(JSON.stringify(legacyDecoder(20, up)));
  });

  it.each([
    {},
    { latent: 4, condition: { size: 2 } },
    { likelihood: { type: 'discretized-logistic' } as const, upsample: true },
    {
      likelihood: { type: 'gaussian', scale: 'learned-shared' } as const,
      prior: { type: 'mog', components: 3 } as const,
    },
  ])('%o', (opts) => {
    const general = convVAE({ height: 28, width: 28, channels: 1, hidden: [32, 64], ...opts });
    expect(JSON.stringify(convVAE28(opts).spec)).toBe(JSON.stringify(general.spec));
  });
});

describe('convVAE shapes at any size', () => {
  const geometries = [
    [28, 28, 1],
    [32, 32, 3],
    [17, 23, 3],
    [64, 48, 3],
  ] as const;
  const hiddens = [[8], [32, 64], [4, 8, 16], [8, 8, 16, 16]];
  for (const [h, w, c] of geometries)
    for (const hidden of hiddens)
      it(`${h}x${w}x${c}, hidden [${hidden}]: encoder to 2 x latent, decoder back to exactly ${h}x${w} for each likelihood`, () => {
        for (const likelihood of LIKELIHOODS)
          for (const upsample of [false, true]) {
            const m = convVAE({ height: h, width: w, channels: c, hidden, latent: 5, likelihood, upsample });
            expect(m.spec.dataShape).toEqual([c, h, w]);
            expect(outputShape(m.spec.encoder, ['N', c, h, w])).toEqual(['N', 10]);
            const out = likelihoodParamShape(likelihood, [c, h, w]);
            expect(outputShape(m.spec.decoder, ['N', 5])).toEqual(['N', ...out]);
            expect(out[0]).toBe(likelihood.type === 'discretized-logistic' ? 2 * c : c);
          }
      });

  it('a condition adds input channels to the encoder and features to the decoder input', () => {
    const m = convVAE({
      height: 17,
      width: 23,
      channels: 3,
      hidden: [4, 8],
      latent: 3,
      condition: { size: 5 },
    });
    expect(outputShape(m.spec.encoder, ['N', 8, 17, 23])).toEqual(['N', 6]);
    expect(outputShape(m.spec.decoder, ['N', 8])).toEqual(['N', 3, 17, 23]);
  });
});

/** Per-example ELBO and loss, and the loss's gradients, on the interpreter and onnxruntime-node. */
async function parity(m: VAE, n: number, seed: number, cond = 0) {
  const g = new Graph();
  const params = m.paramInputs(g);
  const x = g.input('x', ['N', ...m.spec.dataShape]);
  const c = cond ? g.input('c', ['N', cond]) : undefined;
  const noise = new GraphNoise(g);
  const terms = m.loss(params, { x, ...(c ? { c } : {}) }, { noise });
  const names = Object.keys(params);
  const grads = grad(
    terms.loss,
    names.map((k) => params[k]!),
  );
  const feeds: Record<string, HostTensor> = {
    ...m.init(key(seed)),
    x: pixels([n, ...m.spec.dataShape], seed + 1),
    ...noise.feeds(key(seed + 2), { N: n }),
  };
  if (cond)
    feeds.c = f32(
      [n, cond],
      Float32Array.from({ length: n * cond }, (_, i) => (i % cond === 0 ? 1 : 0)),
    );
  const outs = [terms.elbo, terms.loss, ...grads];
  const ours = interpret(g, outs, feeds);
  const ort = await runOrt(g, outs, feeds);
  return { ours, ort, names };
}

describe('convVAE ELBO: interpreter and onnxruntime-node agree', () => {
  // floor: the |value| below which errors count as absolute (relError). A continuous Bernoulli is
  // left out here: its ELBO sums pixel terms that cancel to near 0, and its log-normaliser's
  // gradient near lambda = 1/2 is float32-noisy (~1e-4) at any size, conv or not.
  const cases: [string, () => VAE, number, number][] = [
    [
      '17x23x3 discretized logistic, hidden [4, 8, 16]',
      () =>
        convVAE({
          height: 17,
          width: 23,
          channels: 3,
          hidden: [4, 8, 16],
          latent: 3,
          likelihood: { type: 'discretized-logistic' },
        }),
      0,
      1e-2,
    ],
    [
      '32x32x3 gaussian (learned shared scale), upsampling decoder',
      () =>
        convVAE({
          height: 32,
          width: 32,
          channels: 3,
          hidden: [4, 8],
          latent: 4,
          likelihood: { type: 'gaussian', scale: 'learned-shared' },
          upsample: true,
        }),
      0,
      1e-2,
    ],
    [
      '15x9x3 upsampling decoder at odd sides, conditional, fixed-scale gaussian',
      () =>
        convVAE({
          height: 15,
          width: 9,
          channels: 3,
          hidden: [4, 6],
          latent: 2,
          likelihood: { type: 'gaussian', scale: 0.2 },
          condition: { size: 2 },
          upsample: true,
        }),
      2,
      1e-2,
    ],
    [
      '64x48x3 bernoulli, hidden [4, 8, 8, 8]',
      () => convVAE({ height: 64, width: 48, channels: 3, hidden: [4, 8, 8, 8], latent: 4 }),
      0,
      1e-2,
    ],
  ];
  it.each(cases)('%s', async (_, make, cond, floor) => {
    const m = make();
    const { ours, ort, names } = await parity(m, 3, 11, cond);
    expect(ours[0]!.shape).toEqual([3]);
    // Finite (a density's ELBO may be positive).
    expect(Array.from(ours[0]!.data as Float32Array).every(Number.isFinite)).toBe(true);
    expect(relError(ours[0]!, ort[0]!, floor)).toBeLessThan(1e-5);
    expect(relError(ours[1]!, ort[1]!, floor)).toBeLessThan(1e-5);
    // Gradients, parameter by parameter (the conv VJPs at odd sides: cropped or output-padded).
    names.forEach((name, i) => expect(relError(ours[i + 2]!, ort[i + 2]!, 1e-2), name).toBeLessThan(1e-4));
  });
});

describe('convVAE refuses a size that cannot take the convs', () => {
  it('in one line naming the size, the hidden widths and what to change', () => {
    const tooSmall = () => convVAE({ height: 5, width: 5, channels: 3, hidden: [32, 64, 128] });
    expect(tooSmall).toThrow(ModelSpecError);
    expect(tooSmall).toThrow(
      'convVAE: 5x5 images are too small for hidden [32, 64, 128]: each hidden width is a stride-2 conv that halves the size (5x5 -> 2x2 -> 1x1 -> 0x0); give at most 2 hidden widths or larger images',
    );
    expect(() => convVAE({ height: 1, width: 8, channels: 1, hidden: [4] })).toThrow(
      'convVAE: 1x8 images are too small for hidden [4]: each hidden width is a stride-2 conv that halves the size (1x8 -> 0x4); give images of at least 2x2 pixels',
    );
    expect(() => convVAE({ height: 8, width: 8, channels: 1, hidden: [] })).toThrow(
      'convVAE: hidden must list one or more positive channel widths, got []',
    );
  });
});
