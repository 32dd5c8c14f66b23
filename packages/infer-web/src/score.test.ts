import {
  createBundle,
  Graph,
  GraphNoise,
  type HostTensor,
  interpret,
  key,
  mlpVAE,
  normal,
  type TabularColumn,
  tabularVAE,
  uniform,
  type VAE,
} from '@vae/core';
import { describe, expect, it } from 'vitest';
import { loadModel } from './load';
import { build } from './test-helpers';

const f32 = (shape: number[], data: Float32Array): HostTensor => ({ dtype: 'float32', shape, data });

/** -IWAE bound per example from core's graph (vae.iwae) on the reference interpreter, same noise key. */
function coreNll(
  vae: VAE,
  params: Record<string, HostTensor>,
  feeds: Record<string, HostTensor>,
  k: number,
  seed: number,
) {
  const g = new Graph();
  const p = vae.paramInputs(g);
  const x = g.input('x', ['N', ...vae.spec.dataShape]);
  const c = feeds.c ? g.input('c', ['N', feeds.c.shape[1]!]) : undefined;
  const mask = feeds.mask ? g.input('mask', ['N', feeds.mask.shape[1]!]) : undefined;
  const noise = new GraphNoise(g);
  const bound = vae.iwae(p, { x, ...(c ? { c } : {}), ...(mask ? { mask } : {}) }, noise, k);
  const n = feeds.x!.shape[0]!;
  const [b] = interpret(g, [bound], { ...params, ...feeds, ...noise.feeds(key(seed), { N: n }) });
  return Array.from(b!.data as Float32Array, (v) => -v);
}

const columns: TabularColumn[] = [
  { name: 'age', type: 'continuous' },
  { name: 'smoker', type: 'binary' },
  { name: 'colour', type: 'categorical', categories: 3 },
];
const n = 4;
const binary = (d: number) => Float32Array.from(uniform(key(21), n * d), (u) => (u < 0.3 ? 1 : 0));

/** [label, model, data feeds, extra params] */
const cases: [string, VAE, Record<string, HostTensor>, Record<string, HostTensor>?][] = [
  [
    'Bernoulli, standard normal prior',
    mlpVAE({ inputSize: 784, hidden: [32], latent: 6 }),
    { x: f32([n, 784], binary(784)) },
  ],
  [
    'Bernoulli, mixture-of-Gaussians prior',
    mlpVAE({ inputSize: 20, hidden: [8], latent: 3, prior: { type: 'mog', components: 3 } }),
    { x: f32([n, 20], binary(20)) },
    {
      'prior.logits': f32([3], Float32Array.from([0.2, -0.5, 1])),
      'prior.logScale': f32([3, 3], Float32Array.from([0, -0.5, 0.3, 0.1, 0.2, -0.2, 0, 0, -1])),
    },
  ],
  [
    'Bernoulli, VampPrior',
    mlpVAE({ inputSize: 20, hidden: [8], latent: 3, prior: { type: 'vamp', pseudoInputs: 4 } }),
    { x: f32([n, 20], binary(20)) },
  ],
  [
    'conditional Bernoulli',
    mlpVAE({ inputSize: 20, hidden: [8], latent: 3, condition: { size: 4 } }),
    {
      x: f32([n, 20], binary(20)),
      c: f32([n, 4], Float32Array.from([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1])),
    },
  ],
  [
    'Gaussian with learned scale',
    mlpVAE({ inputSize: 6, hidden: [8], latent: 2, likelihood: { type: 'gaussian', scale: 'learned' } }),
    { x: f32([n, 6], normal(key(3), n * 6)) },
    { 'lik.logScale': f32([6], Float32Array.from([-1, -0.5, 0, 0.5, 0.2, -0.3])) },
  ],
  [
    'continuous Bernoulli',
    mlpVAE({ inputSize: 10, hidden: [8], latent: 2, likelihood: { type: 'continuous-bernoulli' } }),
    { x: f32([n, 10], uniform(key(4), n * 10)) },
  ],
  [
    'discretised logistic',
    mlpVAE({ inputSize: 8, hidden: [8], latent: 2, likelihood: { type: 'discretized-logistic' } }),
    {
      x: f32(
        [n, 8],
        Float32Array.from({ length: n * 8 }, (_, i) => [0, 1, 17 / 255, 128 / 255, 254 / 255][i % 5]!),
      ),
    },
  ],
  [
    'tabular with missing cells',
    tabularVAE(columns, { latent: 2, hidden: [6] }),
    {
      x: f32([n, 5], Float32Array.from([0.5, 1, 0, 0, 1, -1, 0, 1, 0, 0, 2, 1, 0, 1, 0, 0.1, 0, 0, 0, 1])),
      mask: f32([n, 3], Float32Array.from([1, 1, 1, 1, 0, 1, 0, 1, 1, 1, 1, 0])),
    },
  ],
];

describe('score: importance-sampled -log p(x)', () => {
  it.each(cases)(
    '%s: equals core iwaeBound on the interpreter with the same key',
    async (label, vae, feeds, extra) => {
      const params = { ...vae.init(key(5)), ...(extra ?? {}) };
      const model = await loadModel((await createBundle(vae, params)).files);
      const k = 8;
      const got = await model.score(feeds.x!.data as Float32Array, k, 77, {
        ...(feeds.c ? { c: feeds.c.data as Float32Array } : {}),
        ...(feeds.mask ? { mask: feeds.mask.data as Float32Array } : {}),
      });
      const want = coreNll(vae, params, feeds, k, 77);
      const worst = Math.max(...want.map((w, i) => Math.abs(got[i]! - w) / Math.max(1, Math.abs(w))));
      console.log(
        `${label}: -log p(x) ${Array.from(got, (v) => v.toFixed(3)).join(', ')}; max rel diff vs core ${worst.toExponential(2)}`,
      );
      expect(worst).toBeLessThan(1e-6);
      await model.dispose();
    },
  );

  it('gives the same estimate however the k samples are split into runs', async () => {
    const [, vae, feeds] = cases[0]!;
    const model = await loadModel((await build(vae, 5)).bundle.files);
    const x = feeds.x!.data as Float32Array;
    const one = await model.score(x, 16, 3);
    const split = await model.score(x, 16, 3, { maxRows: n * 3 });
    one.forEach((v, i) => expect(Math.abs(v - split[i]!)).toBeLessThan(1e-4));
    const other = await model.score(x, 16, 4);
    expect(Array.from(other)).not.toEqual(Array.from(one));
    await model.dispose();
  });
});
