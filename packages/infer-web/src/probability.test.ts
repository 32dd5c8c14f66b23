// Data-space values and prior draws through infer-web's API (onnxruntime-web wasm in Node) equal the
// model's own graphs on core's interpreter with the same key: the bundle's probability graphs, no JS
// copy of a likelihood or prior. (Scores: score.test.ts.)
import {
  createBundle,
  Graph,
  GraphNoise,
  type HostTensor,
  interpret,
  key,
  mlpVAE,
  normal,
  type Tensor,
  tabularVAE,
  type VAE,
} from '@vae/core';
import { describe, expect, it } from 'vitest';
import { priorDrawReference } from '../../core/src/testing/prior-draw';
import { loadModel } from './load';

const n = 6;
const cases: [string, VAE][] = [
  ['Bernoulli / standard normal', mlpVAE({ inputSize: 12, hidden: [8], latent: 3 })],
  [
    'continuous Bernoulli / MoG',
    mlpVAE({
      inputSize: 12,
      hidden: [8],
      latent: 3,
      likelihood: { type: 'continuous-bernoulli' },
      prior: { type: 'mog', components: 3 },
    }),
  ],
  [
    'Gaussian (learned) / VampPrior',
    mlpVAE({
      inputSize: 12,
      hidden: [8],
      latent: 3,
      likelihood: { type: 'gaussian', scale: 'learned' },
      prior: { type: 'vamp', pseudoInputs: 4 },
    }),
  ],
  [
    'discretised logistic / standard normal',
    mlpVAE({ inputSize: 12, hidden: [8], latent: 3, likelihood: { type: 'discretized-logistic' } }),
  ],
  [
    'tabular / MoG',
    tabularVAE(
      [
        { name: 'age', type: 'continuous' },
        { name: 'smoker', type: 'binary' },
        { name: 'colour', type: 'categorical', categories: 3 },
      ],
      { latent: 2, hidden: [6], prior: { type: 'mog', components: 2 } },
    ),
  ],
];

/** `build` on the interpreter, the model's parameters as inputs, noise from `seed` (fold(key, i)). */
function reference(
  vae: VAE,
  params: Record<string, HostTensor>,
  feeds: Record<string, HostTensor>,
  build: (g: Graph, p: Record<string, Tensor>, noise: GraphNoise) => Tensor,
  seed: number,
): Float32Array {
  const g = new Graph();
  const inputs = Object.fromEntries(Object.entries(feeds).map(([k, t]) => [k, g.input(k, t.shape)]));
  const p = { ...vae.paramInputs(g), ...inputs };
  const noise = new GraphNoise(g);
  const out = build(g, p, noise);
  const [v] = interpret(g, [out], { ...params, ...feeds, ...noise.feeds(key(seed), { N: n }) });
  return v!.data as Float32Array;
}

const maxRel = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!) / Math.max(1, Math.abs(b[i]!)));
  return m;
};

describe.each(cases)('%s bundle through infer-web', (label, vae) => {
  const params = vae.init(key(5));
  for (const name of ['prior.logits', 'lik.logScale'])
    if (params[name])
      params[name] = { ...params[name], data: normal(key(6), params[name].data.length, { std: 0.3 }) };

  it('toData (mean and sample) and sample() equal the likelihood and prior on the interpreter', async () => {
    const model = await loadModel((await createBundle(vae, params)).files);
    const drawn = await model.sample(n, 9);
    const L = vae.spec.latent;
    // The layout `vae sample --png --seed 9` draws too (its test checks against the same oracle).
    const wantZ = priorDrawReference(vae, params, n, key(9));
    const z = { dtype: 'float32', shape: [n, L], data: drawn.z } as HostTensor;
    const mean = reference(vae, params, { z }, (_g, p) => vae.decode(p, p.z!).mean, 0);
    const sample = reference(vae, params, { z }, (_g, p, noise) => vae.decode(p, p.z!).sample(noise), 3);
    const diffs = {
      prior: maxRel(drawn.z, wantZ),
      mean: maxRel(await model.toData(drawn.params), mean),
      sample: maxRel(await model.toData(drawn.params, { mode: 'sample', key: 3 }), sample),
    };
    console.log(`${label}: max rel diff ${JSON.stringify(diffs)}`);
    for (const d of Object.values(diffs)) expect(d).toBeLessThanOrEqual(1e-5);
    await model.dispose();
  });
});
