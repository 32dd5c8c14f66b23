import { key } from '@vae/random';
import { describe, expect, it } from 'vitest';
import type { HostTensor } from '../ir/dtype';
import { Graph } from '../ir/graph';
import { interpret } from '../ir/interpret';
import { GraphNoise } from '../random/noise';
import { runOrt } from '../testing/harness';
import { probabilityRoleGraph } from './probability-roles';
import { VAE } from './vae';

// An input far out of distribution can drive the encoder's log-variance so low that the posterior
// scale exp(logVar / 2) underflows to 0 in float32 (logVar < -207). log q(z|x), the KL and the
// importance-sampled bound must stay finite and exact there: they depend on logVar, not on the scale.

const D = 4;
const L = 2;
const K = 5;
const N = 3;
const LOG_VAR = -300;
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
const f32 = (shape: number[], data: ArrayLike<number>): HostTensor => ({
  dtype: 'float32',
  shape,
  data: Float32Array.from(data),
});
const floats = (t: HostTensor) => Array.from(t.data as Float32Array);

/** Linear encoder with zero weights, so every x gets loc = MU and log-variance LOG_VAR. */
const MU = [0.7, -1.3];
function model() {
  const vae = new VAE({
    kind: 'vae',
    dataShape: [D],
    latent: L,
    encoder: { type: 'dense', in: D, out: 2 * L },
    decoder: { type: 'dense', in: L, out: D },
    likelihood: { type: 'bernoulli' },
    prior: { type: 'standard-normal' },
  });
  const params = vae.init(key(3));
  params['enc.weight'] = f32([D, 2 * L], new Array(D * 2 * L).fill(0));
  params['enc.bias'] = f32([2 * L], [...MU, LOG_VAR, LOG_VAR]);
  return { vae, params };
}

const X = [1, 0, 0, 1, 0, 1, 1, 1, 0, 0, 1, 0];
const softplus = (v: number) => Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));
/** log Bernoulli(x_i | logits) summed over D, float64. */
const bernoulli = (i: number, logits: readonly number[]) =>
  logits.reduce((s, l, j) => s + X[i * D + j]! * l - softplus(l), 0);
/** Float64 closed forms at z = loc (the scale, 7e-66, moves z by nothing a float64 decoder sees). */
const logNormal01 = MU.reduce((s, m) => s - 0.5 * m * m - HALF_LOG_2PI, 0);
const logQ = (eps: readonly number[]) =>
  eps.reduce((s, e) => s - 0.5 * e * e - LOG_VAR / 2 - HALF_LOG_2PI, 0);
const KL = MU.reduce((s, m) => s + 0.5 * (Math.exp(LOG_VAR) + m * m - 1) - LOG_VAR / 2, 0);
const logMeanExp = (a: readonly number[]) => {
  const m = Math.max(...a);
  return m + Math.log(a.reduce((s, v) => s + Math.exp(v - m), 0) / a.length);
};
const close = (got: number, want: number) =>
  expect(Math.abs(got - want)).toBeLessThan(1e-6 * Math.abs(want) + 1e-4);

describe('a posterior whose scale underflows to 0 (logVar = -300)', () => {
  const { vae, params } = model();
  const g = new Graph();
  const p = vae.paramInputs(g);
  const x = g.input('x', ['N', D]);
  const noise = new GraphNoise(g);
  const q = vae.encode(p, { x });
  const z = q.rsample(noise, [K]);
  const logq = q.logProb(z);
  const terms = vae.loss(p, { x }, { noise });
  const bound = vae.iwae(p, { x }, noise, K);
  const feeds: Record<string, HostTensor> = { ...params, x: f32([N, D], X), ...noise.feeds(key(7), { N }) };
  const [zEps, , iwEps] = noise.draws.map((d) => floats(feeds[d.name]!)); // [K, N, L], [1, N, L], [K, N, L]
  const logits = floats(interpret(g, [vae.decodeParams(p, g.constant(f32([1, L], MU)))], feeds)[0]!);
  const epsOf = (e: number[], k: number, i: number) => e.slice((k * N + i) * L, (k * N + i + 1) * L);

  it('has scale 0 in float32, so the old (z - loc) / scale was 0 / 0', () => {
    const [scale] = interpret(g, [vae.encodeMoments(p, { x }).scale], feeds);
    expect(floats(scale!).every((s) => s === 0)).toBe(true);
  });

  for (const [name, run] of [
    ['interpreter', async (outs: Parameters<typeof interpret>[1]) => interpret(g, outs, feeds)],
    ['onnxruntime', async (outs: Parameters<typeof interpret>[1]) => runOrt(g, outs, feeds)],
  ] as const) {
    it(`${name}: log q(z|x), KL and the IW bound equal their float64 closed forms`, async () => {
      const [lq, kl, iw] = (await run([logq, terms.kl, bound])).map(floats);
      for (let i = 0; i < N; i++) {
        for (let k = 0; k < K; k++) close(lq![k * N + i]!, logQ(epsOf(zEps!, k, i)));
        close(kl![i]!, KL);
        const logw = Array.from(
          { length: K },
          (_, k) => bernoulli(i, logits) + logNormal01 - logQ(epsOf(iwEps!, k, i)),
        );
        close(iw![i]!, logMeanExp(logw));
      }
    });
  }

  it("the bundle's score graph stays finite with scale 0 (its log-scale is floored at 2^-126)", () => {
    const s = probabilityRoleGraph(vae, 'score');
    const eps = f32([1, N, L], zEps!.slice(0, N * L));
    const out = interpret(s.graph, [s.outputs.iwae!, s.outputs.kl!], {
      ...params,
      x: f32([N, D], X),
      loc: f32([N, L], [...MU, ...MU, ...MU]),
      scale: f32([N, L], new Array(N * L).fill(0)),
      eps,
      params: f32([1, N, D], [...logits, ...logits, ...logits]),
    });
    const floor = Math.log(2 ** -126);
    for (let i = 0; i < N; i++) {
      const e = epsOf(floats(eps), 0, i);
      const lq = e.reduce((a, v) => a - 0.5 * v * v - floor - HALF_LOG_2PI, 0);
      close(floats(out[0]!)[i]!, bernoulli(i, logits) + logNormal01 - lq);
      close(
        floats(out[1]!)[i]!,
        MU.reduce((a, m) => a + 0.5 * (2 ** -252 + m * m - 1) - floor, 0),
      );
    }
  });
});
