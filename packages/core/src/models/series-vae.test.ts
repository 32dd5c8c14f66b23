import { key, normal } from '@vae/random';
import { describe, expect, it } from 'vitest';
import { grad } from '../autodiff/grad';
import type { HostTensor } from '../ir/dtype';
import { Graph } from '../ir/graph';
import { interpret } from '../ir/interpret';
import { outputShape } from '../layers/shapes';
import { GraphNoise } from '../random/noise';
import { relError, runOrt } from '../testing/harness';
import { seriesStepScoreGraph } from './series-scores';
import { seriesConvVAE, seriesGruVAE } from './series-vae';
import { type LikelihoodSpec, ModelSpecError } from './spec';
import type { VAE } from './vae';

// Time-series VAEs over windows [C, W]: shapes at odd lengths, agreement with onnxruntime-node, and
// per-step scores that add up to each window's -ELBO.

const f32 = (shape: number[], data: ArrayLike<number>): HostTensor => ({
  dtype: 'float32',
  shape,
  data: Float32Array.from(data),
});
const floats = (t: HostTensor) => Array.from(t.data as Float32Array);
const windows = (n: number, c: number, w: number, seed: number) =>
  f32([n, c, w], normal(key(seed), n * c * w));

const LIKELIHOODS: LikelihoodSpec[] = [
  { type: 'gaussian', scale: 'learned-shared' },
  { type: 'gaussian', scale: 'learned' },
  { type: 'gaussian', scale: 0.5 },
  { type: 'discretized-logistic' },
];

describe('series VAE shapes', () => {
  for (const [c, w] of [
    [1, 7],
    [3, 25],
    [2, 50],
    [4, 64],
  ] as const)
    it(`[${c}, ${w}]: encoder to 2 x latent, decoder back to exactly [${c}, ${w}] (conv and GRU)`, () => {
      for (const likelihood of LIKELIHOODS) {
        const outC = likelihood.type === 'discretized-logistic' ? 2 * c : c;
        for (const m of [
          seriesConvVAE({ channels: c, window: w, latent: 3, hidden: w < 8 ? [4] : [4, 8], likelihood }),
          seriesGruVAE({ channels: c, window: w, latent: 3, hidden: 6, likelihood }),
        ]) {
          expect(m.spec.dataShape).toEqual([c, w]);
          expect(outputShape(m.spec.encoder, ['N', c, w])).toEqual(['N', 6]);
          expect(outputShape(m.spec.decoder, ['N', 3])).toEqual(['N', outC, w]);
        }
      }
    });

  it('defaults: Gaussian with one learned scale, latent 8; per-feature scale when asked', () => {
    const m = seriesConvVAE({ channels: 2, window: 16 });
    expect(m.spec.likelihood).toEqual({ type: 'gaussian', scale: 'learned-shared' });
    expect(m.spec.latent).toBe(8);
    expect(m.paramShapes()['lik.logScale']).toEqual([1]);
    const perFeature = seriesGruVAE({
      channels: 2,
      window: 16,
      likelihood: { type: 'gaussian', scale: 'learned' },
    });
    expect(perFeature.paramShapes()['lik.logScale']).toEqual([2, 16]);
  });

  it('refuses windows too short for the convs, in one line', () => {
    expect(() => seriesConvVAE({ channels: 1, window: 3, hidden: [4, 8] })).toThrow(ModelSpecError);
    expect(() => seriesConvVAE({ channels: 1, window: 3, hidden: [4, 8] })).toThrow(
      'seriesConvVAE: a window of 3 steps is too short for 2 stride-2 convs (3 -> 1 -> 0): give fewer hidden widths or a window of at least 4',
    );
    expect(() => seriesGruVAE({ channels: 0, window: 5 })).toThrow(
      'channels and window must be positive integers',
    );
  });
});

/** -ELBO, loss and every gradient on the interpreter and onnxruntime-node. */
async function parity(m: VAE, n: number, seed: number) {
  const g = new Graph();
  const params = m.paramInputs(g);
  const x = g.input('x', ['N', ...m.spec.dataShape]);
  const noise = new GraphNoise(g);
  const terms = m.loss(params, { x }, { noise, particles: 2 });
  const names = Object.keys(params);
  const grads = grad(
    terms.loss,
    names.map((k) => params[k]!),
  );
  const [c, w] = m.spec.dataShape as [number, number];
  const feeds = {
    ...m.init(key(seed)),
    x: windows(n, c, w, seed + 1),
    ...noise.feeds(key(seed + 2), { N: n }),
  };
  const outs = [terms.elbo, terms.loss, ...grads];
  return { ours: interpret(g, outs, feeds), ort: await runOrt(g, outs, feeds), names };
}

describe('series VAE ELBO: interpreter and onnxruntime-node agree', () => {
  it.each([
    [
      'conv, odd window 25, shared scale',
      () => seriesConvVAE({ channels: 3, window: 25, latent: 3, hidden: [4, 6] }),
    ],
    [
      'GRU, per-feature scale',
      () =>
        seriesGruVAE({
          channels: 2,
          window: 9,
          latent: 2,
          hidden: 5,
          likelihood: { type: 'gaussian', scale: 'learned' },
        }),
    ],
  ])('%s', async (_, make) => {
    const { ours, ort, names } = await parity(make(), 3, 4);
    expect(relError(ours[0]!, ort[0]!, 1e-2)).toBeLessThan(1e-5);
    expect(relError(ours[1]!, ort[1]!, 1e-2)).toBeLessThan(1e-5);
    names.forEach((name, i) => expect(relError(ours[i + 2]!, ort[i + 2]!, 1e-2), name).toBeLessThan(1e-4));
  });
});

describe('per-step scores', () => {
  it('the NLL per step is the Gaussian by hand at z = loc + scale eps; step scores sum to the -ELBO', async () => {
    const m = seriesGruVAE({ channels: 2, window: 6, latent: 2, hidden: 4 });
    const params = m.init(key(3));
    params['lik.logScale'] = f32([1], [Math.log(0.7)]);
    const n = 3;
    const x = windows(n, 2, 6, 5);
    const { graph, outputs, noise } = seriesStepScoreGraph(m);
    const feeds: Record<string, HostTensor> = { ...params, x, ...noise.feeds(key(6), { N: n }) };
    const names = ['stepNll', 'stepKl', 'stepScore', 'negElbo'];
    const outs = names.map((k) => outputs[k]!);
    const [stepNll, stepKl, stepScore, negElbo] = interpret(graph, outs, feeds).map(floats);
    // The oracle: the encoder and decoder roles, then the Gaussian log-density in float64.
    const enc = m.roleGraph('encoder');
    const [loc, scale] = interpret(enc.graph, [enc.outputs.loc!, enc.outputs.scale!], { ...params, x }).map(
      floats,
    );
    const eps = floats(feeds[noise.draws[0]!.name]!);
    const z = f32(
      [n, 2],
      loc!.map((mu, i) => mu + scale![i]! * eps[i]!),
    );
    const dec = m.roleGraph('decoder');
    const [mean] = interpret(dec.graph, [dec.outputs.params!], { ...params, z }).map(floats);
    const X = floats(x);
    for (let i = 0; i < n; i++) {
      for (let t = 0; t < 6; t++) {
        let nll = 0;
        for (let c = 0; c < 2; c++) {
          const j = i * 12 + c * 6 + t;
          nll += 0.5 * ((X[j]! - mean![j]!) / 0.7) ** 2 + Math.log(0.7) + 0.5 * Math.log(2 * Math.PI);
        }
        expect(stepNll![i * 6 + t]).toBeCloseTo(nll, 4);
      }
      const sum = stepScore!.slice(i * 6, i * 6 + 6).reduce((a, v) => a + v, 0);
      expect(sum).toBeCloseTo(negElbo![i]!, 3);
      expect(stepKl![i]).toBeGreaterThan(0);
    }
    const ort = await runOrt(graph, outs, feeds);
    ort.forEach((t, k) =>
      expect(relError(t, interpret(graph, outs, feeds)[k]!, 1e-2), names[k]).toBeLessThan(1e-5),
    );
  });
});
