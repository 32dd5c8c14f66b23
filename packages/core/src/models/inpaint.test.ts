import { fold, key, normal, uniform } from '@vae/random';
import { describe, expect, it } from 'vitest';
import { InterpreterBackend } from '../backend/interpreter-backend';
import { f32, type HostTensor } from '../ir/dtype';
import { Graph } from '../ir/graph';
import { mlpVAE } from './builders';
import { importanceInpaintGraph, observedLogLikelihood } from './inpaint';
import type { LikelihoodSpec } from './spec';

const floats = (t: HostTensor | undefined) => Array.from(t!.data as Float32Array);
const logNormal = (x: number, m: number, s: number) =>
  -0.5 * ((x - m) / s) ** 2 - Math.log(s) - 0.5 * Math.log(2 * Math.PI);
const softplus = (l: number) => Math.max(l, 0) + Math.log1p(Math.exp(-Math.abs(l)));

/**
 * The importance weights and fill in float64 from the networks' outputs alone (the encoder's loc and
 * scale, the decoder's parameters at each z): an oracle for the graph's probability code.
 */
function oracle(
  lik: 'bernoulli' | 'gaussian',
  x: number[],
  missing: number[],
  loc: number[],
  scale: number[],
  eps: number[],
  decoded: readonly number[][],
  d: number,
  L: number,
  n: number,
  k: number,
  sigma = 1,
) {
  const logw: number[] = [];
  const means: number[][] = [];
  for (let j = 0; j < k; j++)
    for (let i = 0; i < n; i++) {
      const z = Array.from(
        { length: L },
        (_, a) => loc[i * L + a]! + scale[i * L + a]! * eps[(j * n + i) * L + a]!,
      );
      let lw = 0;
      for (let a = 0; a < L; a++)
        lw += logNormal(z[a]!, 0, 1) - logNormal(z[a]!, loc[i * L + a]!, scale[i * L + a]!);
      const p = decoded[j]!.slice(i * d, (i + 1) * d);
      for (let f = 0; f < d; f++) {
        if (missing[i * d + f]) continue;
        const v = x[i * d + f]!;
        lw += lik === 'bernoulli' ? v * p[f]! - softplus(p[f]!) : logNormal(v, p[f]!, sigma);
      }
      logw.push(lw);
      means.push(p.map((l) => (lik === 'bernoulli' ? 1 / (1 + Math.exp(-l)) : l)));
    }
  const mean: number[] = [];
  for (let i = 0; i < n; i++) {
    const lw = Array.from({ length: k }, (_, j) => logw[j * n + i]!);
    const m = Math.max(...lw);
    const w = lw.map((v) => Math.exp(v - m));
    const total = w.reduce((a, b) => a + b, 0);
    for (let f = 0; f < d; f++)
      mean.push(w.reduce((a, wj, j) => a + (wj / total) * means[j * n + i]![f]!, 0));
  }
  return { logw, mean };
}

describe('importanceInpaintGraph', () => {
  const d = 6;
  const L = 2;
  const n = 3;
  const k = 5;
  const x = uniform(key(2), n * d);
  const missing = Float32Array.from(uniform(key(3), n * d), (u) => (u < 0.4 ? 1 : 0));

  for (const [name, likelihood, sigma] of [
    ['bernoulli', { type: 'bernoulli' }, 1],
    ['gaussian (fixed scale 0.3)', { type: 'gaussian', scale: 0.3 }, 0.3],
  ] as const) {
    it(`gives the float64 weights and weighted mean of a hand computation: ${name}`, async () => {
      const vae = mlpVAE({ inputSize: d, hidden: [5], latent: L, likelihood: likelihood as LikelihoodSpec });
      const params = vae.init(key(1));
      const built = importanceInpaintGraph(vae, k);
      const backend = new InterpreterBackend();
      const graph = await backend.compile('inpaint', () => built);
      const noise = built.noise.feeds(fold(key(7), 0), { N: n });
      const out = await graph.run({ ...params, ...noise, x: f32([n, d], x), missing: f32([n, d], missing) });
      const enc = await (await backend.compile('enc', () => vae.roleGraph('encoder'))).run({
        ...params,
        x: f32([n, d], x),
      });
      const dec = await backend.compile('dec', () => vae.roleGraph('decoder'));
      // The decoder's parameters at every particle's z (all rows of one particle in one run).
      const outs: number[][] = [];
      const eps = floats(Object.values(noise)[0]);
      const loc = floats(enc.loc);
      const scale = floats(enc.scale);
      for (let j = 0; j < k; j++) {
        const z = Array.from({ length: n * L }, (_, t) => loc[t]! + scale[t]! * eps[j * n * L + t]!);
        outs.push(floats((await dec.run({ ...params, z: f32([n, L], z) })).params));
      }
      const want = oracle(
        likelihood.type,
        Array.from(x),
        Array.from(missing),
        loc,
        scale,
        eps,
        outs,
        d,
        L,
        n,
        k,
        sigma,
      );
      floats(out.logw).forEach((v, i) => expect(v).toBeCloseTo(want.logw[i]!, 4));
      floats(out.mean).forEach((v, i) => expect(v).toBeCloseTo(want.mean[i]!, 5));
    });
  }

  it('restricted to nothing missing, the observed log-likelihood is the likelihood itself', async () => {
    const vae = mlpVAE({ inputSize: d, hidden: [5], latent: L });
    const g = new Graph('t');
    const params = vae.paramInputs(g);
    const xt = g.input('x', [n, d]);
    const z = g.input('z', [n, L]);
    const lik = vae.decode(params, z);
    const ones = g.constant(f32([n, d], new Float32Array(n * d).fill(1)));
    const backend = new InterpreterBackend();
    const graph = await backend.compile('t', () => ({
      graph: g,
      outputs: { a: observedLogLikelihood(lik, xt, ones, 1), b: lik.logProb(xt) },
    }));
    const r = await graph.run({
      ...vae.init(key(1)),
      x: f32([n, d], x),
      z: f32([n, L], normal(key(4), n * L)),
    });
    floats(r.a).forEach((v, i) => expect(v).toBeCloseTo(floats(r.b)[i]!, 4));
  });

  it('refuses a sample count that is not a positive integer', () => {
    const vae = mlpVAE({ inputSize: d, hidden: [5], latent: L });
    expect(() => importanceInpaintGraph(vae, 0)).toThrow(/samples must be a positive integer/);
  });
});
