// inpaint() through infer-web (onnxruntime-web wasm in Node) against the chain `vae impute --method
// gibbs` runs: core's metropolisWithinGibbs over the model's role graphs (roleGibbsGraphs, what
// train-node compiles on onnxruntime-node) here on core's reference interpreter, same key and fill.
import {
  createBundle,
  InterpreterBackend,
  key,
  metropolisWithinGibbs,
  mlpVAE,
  normal,
  roleGibbsGraphs,
  uniform,
  type VAE,
} from '@vae/core';
import { describe, expect, it } from 'vitest';
import { loadModel } from './load';
import { maxAbsDiff } from './test-helpers';

const n = 5;
const d = 36;
const cases: [string, VAE][] = [
  ['Bernoulli', mlpVAE({ inputSize: d, hidden: [16], latent: 3 })],
  [
    'Gaussian (learned shared scale)',
    mlpVAE({
      inputSize: d,
      hidden: [16],
      latent: 3,
      likelihood: { type: 'gaussian', scale: 'learned-shared' },
    }),
  ],
];
const x = uniform(key(2), n * d);
// The bottom half of each 6x6 image is missing.
const missing = Float32Array.from({ length: n * d }, (_, j) => (j % d >= d / 2 ? 1 : 0));
const fill = new Float32Array(d).fill(0.3);

describe.each(cases)('%s bundle: inpaint', (label, vae) => {
  const params = vae.init(key(5));
  if (params['lik.logScale'])
    params['lik.logScale'] = { ...params['lik.logScale'], data: normal(key(6), 1, { std: 0.3 }) };

  it('equals core`s Metropolis-within-Gibbs on the interpreter, observed pixels kept', async () => {
    const model = await loadModel((await createBundle(vae, params)).files);
    const got = await model.inpaint(x, missing, { iters: 8, key: 3, fill });
    const x0 = Float32Array.from(x, (v, j) => (missing[j] ? fill[j % d]! : v));
    const want = await metropolisWithinGibbs(
      roleGibbsGraphs(new InterpreterBackend(), vae, params),
      x0,
      missing,
      {
        n,
        latent: 3,
        iters: 8,
        key: key(3),
      },
    );
    const diff = maxAbsDiff(got.filled, want.filled);
    console.log(`${label}: max abs diff ${diff}, acceptance ${got.acceptance} vs ${want.acceptance}`);
    expect(diff).toBeLessThan(1e-4);
    expect(got.acceptance).toBe(want.acceptance);
    for (let j = 0; j < x.length; j++) if (!missing[j]) expect(got.filled[j]).toBe(x[j]);
    await model.dispose();
  });
});

describe('inpaint input checks', () => {
  it('refuses a mask of another size or with values other than 0/1, and a bad iteration count', async () => {
    const vae = mlpVAE({ inputSize: d, hidden: [8], latent: 2 });
    const model = await loadModel((await createBundle(vae, vae.init(key(1)))).files);
    await expect(model.inpaint(x, missing.subarray(0, d))).rejects.toThrow(/missing has 36 values for 180/);
    await expect(model.inpaint(x, new Float32Array(n * d).fill(0.5))).rejects.toThrow(/0 \(observed\) or 1/);
    await expect(model.inpaint(x, missing, { iters: 0 })).rejects.toThrow(/iters must be a positive integer/);
    // Without a fill, the chain starts from the likelihood mean at z = 0; pseudo-Gibbs accepts everything.
    const r = await model.inpaint(x, missing, { iters: 2, metropolis: false });
    expect(r.acceptance).toBe(1);
    expect(r.filled.length).toBe(n * d);
    await model.dispose();
  });
});
