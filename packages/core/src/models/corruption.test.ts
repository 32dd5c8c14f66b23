import { key, uniform } from '@vae/random';
import { describe, expect, it } from 'vitest';
import type { HostTensor } from '../ir/dtype';
import { Graph } from '../ir/graph';
import { interpret } from '../ir/interpret';
import { GraphNoise } from '../random/noise';
import { mlpVAE, tabularVAE } from './builders';
import { checkDenoise, corrupt } from './corruption';
import { type DenoiseSpec, ModelSpecError } from './spec';
import { VAE } from './vae';

const f32 = (shape: number[], data: Float32Array): HostTensor => ({ dtype: 'float32', shape, data });
const vals = (t: HostTensor) => t.data as Float32Array;

/** x~ of `x` ([n, d]) under `d`, with the noise drawn from key `seed`. */
function corrupted(d: DenoiseSpec, x: HostTensor, seed: number): Float32Array {
  const g = new Graph();
  const xin = g.input('x', ['N', x.shape[1]!]);
  const noise = new GraphNoise(g);
  const [out] = interpret(g, [corrupt(d, xin, noise)], { x, ...noise.feeds(key(seed), { N: x.shape[0]! }) });
  return vals(out!);
}

describe('corrupt: statistics on 200,000 values', () => {
  // Every pixel 0.5, so each outcome (kept, 0, 1, shifted) is visible. Tolerances are 5 standard
  // errors of the estimate: a binomial share p has sd sqrt(p (1 - p) / n) (about 1e-3 here), a
  // sample sd of n normals has sd sigma / sqrt(2 n) (8e-4 for sigma 0.5).
  const n = 200_000;
  const x = f32([1000, 200], new Float32Array(n).fill(0.5));
  const share = (v: Float32Array, f: (a: number) => boolean) => v.filter(f).length / n;
  const se = (p: number) => Math.sqrt((p * (1 - p)) / n);

  it('gaussian:0.5 adds zero-mean noise of standard deviation 0.5', () => {
    const v = corrupted({ type: 'gaussian', std: 0.5 }, x, 1);
    const e = Array.from(v, (a) => a - 0.5);
    const mean = e.reduce((a, b) => a + b, 0) / n;
    const sd = Math.sqrt(e.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
    expect(Math.abs(mean)).toBeLessThan((5 * 0.5) / Math.sqrt(n));
    expect(Math.abs(sd - 0.5)).toBeLessThan((5 * 0.5) / Math.sqrt(2 * n));
  });

  it('mask:0.3 zeroes 30% of the values and keeps the rest as they are', () => {
    const v = corrupted({ type: 'mask', rate: 0.3 }, x, 2);
    expect(Math.abs(share(v, (a) => a === 0) - 0.3)).toBeLessThan(5 * se(0.3));
    expect(share(v, (a) => a === 0 || a === 0.5)).toBe(1);
  });

  it('salt-pepper:0.2 sets 10% to 0 and 10% to 1 and keeps the rest', () => {
    const v = corrupted({ type: 'salt-pepper', rate: 0.2 }, x, 3);
    expect(Math.abs(share(v, (a) => a === 0) - 0.1)).toBeLessThan(5 * se(0.1));
    expect(Math.abs(share(v, (a) => a === 1) - 0.1)).toBeLessThan(5 * se(0.1));
    expect(share(v, (a) => a === 0 || a === 1 || a === 0.5)).toBe(1);
  });

  it('the same key gives the same corruption, another key another one', () => {
    const d: DenoiseSpec = { type: 'salt-pepper', rate: 0.5 };
    const small = f32([4, 50], new Float32Array(200).fill(0.5));
    expect(corrupted(d, small, 7)).toEqual(corrupted(d, small, 7));
    expect(corrupted(d, small, 7)).not.toEqual(corrupted(d, small, 8));
  });
});

describe('checkDenoise', () => {
  it('refuses bad settings and tabular models with a one-line ModelSpecError', () => {
    const bad: DenoiseSpec[] = [
      { type: 'gaussian', std: 0 },
      { type: 'gaussian', std: Number.NaN },
      { type: 'mask', rate: 1 },
      { type: 'salt-pepper', rate: 0 },
      { type: 'blur', rate: 0.5 } as unknown as DenoiseSpec,
    ];
    for (const d of bad) {
      expect(() => checkDenoise(d)).toThrow(ModelSpecError);
      expect(() => checkDenoise(d)).toThrow(/^denoise: [^\n]+$/);
    }
    const table = tabularVAE([{ name: 'a', type: 'continuous' }], { latent: 1, hidden: [4] });
    expect(() => new VAE({ ...table.spec, denoise: { type: 'mask', rate: 0.5 } })).toThrow(
      /^denoise is for image and vector data; a tabular model cannot be denoising$/,
    );
    const m = mlpVAE({ inputSize: 6, hidden: [4], latent: 2 });
    expect(() => new VAE({ ...m.spec, denoise: { type: 'gaussian', std: -1 } })).toThrow(ModelSpecError);
    expect(new VAE({ ...m.spec, denoise: { type: 'gaussian', std: 0.5 } }).spec.denoise?.type).toBe(
      'gaussian',
    );
  });
});

describe('denoising VAE', () => {
  const plain = mlpVAE({ inputSize: 6, hidden: [5], latent: 2 });
  const dvae = new VAE({ ...plain.spec, denoise: { type: 'mask', rate: 0.5 } });
  const params0 = plain.init(key(4));
  const x = f32(
    [3, 6],
    Float32Array.from(uniform(key(5), 18), (u) => (u < 0.5 ? 1 : 0)),
  );

  it('without denoise, corrupt returns the batch and draws nothing', () => {
    const g = new Graph();
    const noise = new GraphNoise(g);
    const batch = { x: g.input('x', ['N', 6]) };
    expect(plain.corrupt(batch, noise)).toBe(batch);
    expect(noise.draws).toHaveLength(0);
  });

  it('the ELBO encodes the corrupted x and scores the clean x', () => {
    // The denoising loss, its corruption drawn first (noise_0), then the reparameterisation (noise_1).
    const g = new Graph();
    const params = dvae.paramInputs(g);
    const noise = new GraphNoise(g);
    const batch = dvae.corrupt({ x: g.input('x', ['N', 6]) }, noise);
    const terms = dvae.loss(params, batch, { noise });
    expect(noise.draws.map((d) => d.kind)).toEqual(['uniform', 'normal']);
    const feeds = noise.feeds(key(6), { N: 3 });
    const [recon, kl, xt] = interpret(g, [terms.recon, terms.kl, batch.corrupted!], {
      ...params0,
      x,
      ...feeds,
    });
    // The oracle, from the plain model's public parts: q(z|x~) from x~ fed as data, z = its rsample
    // with the same eps, log p(x|z) of the clean x.
    const h = new Graph();
    const hp = plain.paramInputs(h);
    const hn = new GraphNoise(h, 'eps');
    const xc = h.input('xc', ['N', 6]);
    const q = plain.encode(hp, { x: h.input('xt', ['N', 6]) });
    const z = q.rsample(hn, [1]);
    const want = plain.decode(hp, z).logProb(xc).mean([0]);
    const wantKl = plain.loss(hp, { x: h.input('xt2', ['N', 6]) }, { noise: hn }).kl;
    const [r, k] = interpret(h, [want, wantKl], {
      ...params0,
      xc: x,
      xt: xt!,
      xt2: xt!,
      eps_0_normal: feeds.noise_1_normal!,
      eps_1_normal: feeds.noise_1_normal!,
    });
    expect(Array.from(vals(recon!))).toEqual(Array.from(vals(r!)));
    expect(Array.from(vals(kl!))).toEqual(Array.from(vals(k!)));
    // The corruption did something: x~ differs from x, so scoring x~ would be another number.
    expect(Array.from(vals(xt!))).not.toEqual(Array.from(vals(x)));
  });

  it('role graphs are the plain model’s: no noise input, same nodes', () => {
    for (const role of ['encoder', 'encode-mean', 'decoder', 'decode-mean'] as const) {
      const a = dvae.roleGraph(role).graph;
      const b = plain.roleGraph(role).graph;
      expect(a.inputs.map((t) => t.name)).toEqual(b.inputs.map((t) => t.name));
      expect(a.nodes.map((nd) => nd.op)).toEqual(b.nodes.map((nd) => nd.op));
    }
  });
});
