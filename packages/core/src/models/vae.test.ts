import { key, normal, uniform } from '@vae/random';
import { describe, expect, it } from 'vitest';
import { grad } from '../autodiff/grad';
import type { HostTensor } from '../ir/dtype';
import { Graph } from '../ir/graph';
import { interpret } from '../ir/interpret';
import { paramCount } from '../layers/shapes';
import { GraphNoise } from '../random/noise';
import { relError, runOrt } from '../testing/harness';
import { mlpVAE } from './builders';
import { ModelSpecError } from './spec';
import { VAE } from './vae';

const f32 = (shape: number[], data: Float32Array): HostTensor => ({ dtype: 'float32', shape, data });
const scalar = (t: HostTensor) => (t.data as Float32Array)[0]!;
const binary = (n: number, d: number, seed: number) =>
  f32(
    [n, d],
    Float32Array.from(uniform(key(seed), n * d), (u) => (u < 0.4 ? 1 : 0)),
  );

/** A tiny linear VAE: enc dense d -> 2L, dec dense L -> d, Bernoulli likelihood. */
function tinyVAE(d = 4, latent = 2): VAE {
  return new VAE({
    kind: 'vae',
    dataShape: [d],
    latent,
    encoder: { type: 'dense', in: d, out: 2 * latent },
    decoder: { type: 'dense', in: latent, out: d },
    likelihood: { type: 'bernoulli' },
    prior: { type: 'standard-normal' },
  });
}

function setup(model: VAE, _n: number, seed = 0) {
  const g = new Graph();
  const params = model.paramInputs(g);
  const x = g.input('x', ['N', ...model.spec.dataShape]);
  const noise = new GraphNoise(g);
  const init = model.init(key(seed));
  return { g, params, x, noise, init };
}

describe('ELBO on a tiny VAE', () => {
  it('equals the value computed by hand in float64', () => {
    const m = tinyVAE();
    const { g, params, x, noise, init } = setup(m, 3);
    const terms = m.loss(params, { x }, { noise });
    const xv = binary(3, 4, 1);
    const feeds: Record<string, HostTensor> = { ...init, x: xv, ...noise.feeds(key(9), { N: 3 }) };
    const [elboV, reconV, klV] = interpret(g, [terms.elbo, terms.recon, terms.kl], feeds);
    const eps = feeds[noise.draws[0]!.name]!.data as Float32Array; // [1, 3, 2]
    const W = init['enc.weight']!.data as Float32Array;
    const B = init['enc.bias']!.data as Float32Array;
    const V = init['dec.weight']!.data as Float32Array;
    const C = init['dec.bias']!.data as Float32Array;
    for (let i = 0; i < 3; i++) {
      const xi = Array.from({ length: 4 }, (_, j) => (xv.data as Float32Array)[i * 4 + j]!);
      const h = [0, 1, 2, 3].map((o) => B[o]! + xi.reduce((s, v, j) => s + v * W[j * 4 + o]!, 0));
      const mu = h.slice(0, 2);
      const sigma = h.slice(2).map((lv) => Math.exp(lv / 2));
      const z = mu.map((m0, k) => m0 + sigma[k]! * eps[i * 2 + k]!);
      const logits = [0, 1, 2, 3].map((o) => C[o]! + z.reduce((s, v, k) => s + v * V[k * 4 + o]!, 0));
      const softplus = (l: number) => Math.max(l, 0) + Math.log1p(Math.exp(-Math.abs(l)));
      const recon = logits.reduce((s, l, j) => s + xi[j]! * l - softplus(l), 0);
      const kl = mu.reduce(
        (s, m0, k) => s + 0.5 * (m0 * m0 + sigma[k]! ** 2 - 1 - 2 * Math.log(sigma[k]!)),
        0,
      );
      expect((reconV!.data as Float32Array)[i]).toBeCloseTo(recon, 5);
      expect((klV!.data as Float32Array)[i]).toBeCloseTo(kl, 5);
      expect((elboV!.data as Float32Array)[i]).toBeCloseTo(recon - kl, 5);
    }
  });

  it('IWAE with k = 1 equals the ELBO with a Monte-Carlo KL on the same noise', () => {
    const m = tinyVAE();
    const a = setup(m, 5);
    const e = m.loss(a.params, { x: a.x }, { noise: a.noise, klEstimator: 'mc' }).elbo;
    const b = setup(m, 5);
    const w = m.iwae(b.params, { x: b.x }, b.noise, 1);
    const xv = binary(5, 4, 2);
    const [ev] = interpret(a.g, [e], { ...a.init, x: xv, ...a.noise.feeds(key(3), { N: 5 }) });
    const [wv] = interpret(b.g, [w], { ...b.init, x: xv, ...b.noise.feeds(key(3), { N: 5 }) });
    expect(relError(wv!, ev!, 1e-6)).toBeLessThan(1e-6);
  });

  it('the IWAE bound increases with k on average, and stays below log p(x) estimates from larger k', () => {
    const m = tinyVAE(6, 2);
    const xv = binary(16, 6, 4);
    const mean = (k: number) => {
      let total = 0;
      for (let rep = 0; rep < 4; rep++) {
        const s = setup(m, 16);
        const w = m.iwae(s.params, { x: s.x }, s.noise, k).mean();
        total += scalar(
          interpret(s.g, [w], { ...s.init, x: xv, ...s.noise.feeds(key(100 + rep), { N: 16 }) })[0]!,
        );
      }
      return total / 4;
    };
    const [b1, b5, b50] = [mean(1), mean(5), mean(50)];
    expect(b5).toBeGreaterThan(b1);
    expect(b50).toBeGreaterThan(b5);
  });

  it('gradients of the full loss (beta, 2 particles, free bits) pass a finite-difference check', () => {
    const m = tinyVAE(5, 2);
    const { g, params, x, noise, init } = setup(m, 4);
    const { loss } = m.loss(params, { x }, { noise, particles: 2, beta: 0.7, freeBits: 0.05 });
    const names = Object.keys(params);
    const grads = grad(
      loss,
      names.map((n) => params[n]!),
    );
    const feeds: Record<string, HostTensor> = {
      ...init,
      x: binary(4, 5, 5),
      ...noise.feeds(key(11), { N: 4 }),
    };
    const gv = interpret(g, grads, feeds);
    names.forEach((name, k) => {
      const p = feeds[name]! as HostTensor<'float32'>;
      const dir = normal(key(50 + k), p.data.length);
      const at = (s: number) =>
        scalar(
          interpret(g, [loss], {
            ...feeds,
            [name]: { ...p, data: p.data.map((v, j) => v + s * 1e-2 * dir[j]!) },
          })[0]!,
        );
      const fd = (at(1) - at(-1)) / 2e-2;
      const an = (gv[k]!.data as Float32Array).reduce((s, v, j) => s + v * dir[j]!, 0);
      expect(Math.abs(fd - an), `${name}: fd ${fd} vs analytic ${an}`).toBeLessThan(
        2e-3 * Math.max(1, Math.abs(fd)),
      );
    });
  });
});

describe('MLP VAE (784-400-20)', () => {
  it('has the parameter count of the Kingma & Welling architecture', () => {
    const m = mlpVAE();
    expect(paramCount(m.spec.encoder)).toBe(784 * 400 + 400 + 400 * 40 + 40);
    expect(paramCount(m.spec.decoder)).toBe(20 * 400 + 400 + 400 * 784 + 784);
  });

  it('its loss and gradients agree between onnxruntime-node and the interpreter', async () => {
    const m = mlpVAE({ inputSize: 20, hidden: [16], latent: 3 });
    const { g, params, x, noise, init } = setup(m, 6);
    const t = m.loss(params, { x }, { noise });
    const gs = grad(t.loss, [params['enc.0.weight']!, params['dec.2.bias']!]);
    const feeds = { ...init, x: binary(6, 20, 6), ...noise.feeds(key(1), { N: 6 }) };
    const outs = [t.elbo, t.kl, t.loss, ...gs];
    const ours = interpret(g, outs, feeds);
    const ort = await runOrt(g, outs, feeds);
    ours.forEach((v, i) => expect(relError(v, ort[i]!, 1e-2)).toBeLessThan(1e-5));
  });

  it('rejects specs whose parts do not fit, naming the part', () => {
    const bad = { ...tinyVAE().spec, decoder: { type: 'dense' as const, in: 2, out: 5 } };
    expect(() => new VAE(bad)).toThrow(ModelSpecError);
    expect(() => new VAE(bad)).toThrow('decoder must output [N, 4] for a bernoulli likelihood, got [N, 5]');
    expect(() => new VAE({ ...tinyVAE().spec, encoder: { type: 'dense', in: 4, out: 3 } })).toThrow(
      /encoder must output \[N, 4\]/,
    );
  });
});

describe('a conditional decoder over k particles', () => {
  it('with a fixed batch size (particles folded into the batch) decodes each particle with its own row of c', () => {
    const m = mlpVAE({ inputSize: 6, hidden: [5], latent: 2, condition: { size: 3 } });
    const [k, n] = [3, 4];
    const g = new Graph();
    const params = m.paramInputs(g);
    const z = g.input('z', [k, n, 2]);
    const c = g.input('c', [n, 3]);
    const folded = m.decodeParams(params, z, c);
    const each = Array.from({ length: k }, (_, i) =>
      m.decodeParams(params, z.slice([i], [i + 1], [0]).squeeze([0]), c),
    );
    const oneHot = Float32Array.from({ length: n * 3 }, (_, i) => (i % 3 === Math.floor(i / 3) % 3 ? 1 : 0));
    const feeds = {
      ...m.init(key(3)),
      z: f32([k, n, 2], normal(key(4), k * n * 2)),
      c: f32([n, 3], oneHot),
    };
    const [all, ...parts] = interpret(g, [folded, ...each], feeds);
    expect(all!.shape).toEqual([k, n, 6]);
    const got = all!.data as Float32Array;
    parts.forEach((p, i) => {
      expect(Array.from(got.subarray(i * n * 6, (i + 1) * n * 6))).toEqual(
        Array.from(p.data as Float32Array),
      );
    });
  });

  it('lets the k-sample IW bound of a conditional model run with a fixed batch size', () => {
    const m = mlpVAE({ inputSize: 6, hidden: [5], latent: 2, condition: { size: 3 } });
    const g = new Graph();
    const params = m.paramInputs(g);
    const x = g.input('x', [4, 6]);
    const c = g.input('c', [4, 3]);
    const noise = new GraphNoise(g);
    const bound = m.iwae(params, { x, c }, noise, 5);
    const oneHot = Float32Array.from({ length: 12 }, (_, i) => (i % 3 === Math.floor(i / 3) % 3 ? 1 : 0));
    const feeds = {
      ...m.init(key(1)),
      x: binary(4, 6, 2),
      c: f32([4, 3], oneHot),
      ...noise.feeds(key(5), { N: 4 }),
    };
    const [v] = interpret(g, [bound], feeds);
    expect(v!.shape).toEqual([4]);
    for (const e of v!.data as Float32Array) expect(Number.isFinite(e)).toBe(true);
  });
});
