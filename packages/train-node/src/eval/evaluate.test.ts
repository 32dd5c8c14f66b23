import { elboPass, type HostTensor, importanceSampledLogLikelihood, key, mlpVAE } from '@vae/core';
import { afterAll, describe, expect, it } from 'vitest';
import { OrtBackend } from '../backend/ort-backend';

// Oracle: with a 1-D latent, log p(x) = log ∫ N(z; 0, 1) p(x|z) dz can be computed by quadrature in
// float64, independently of the graph code, the sampler and onnxruntime.
const D = 6;
const vae = mlpVAE({ inputSize: D, latent: 1, hidden: [5] });
const params = vae.init(key(11));
const f = (name: string) => params[name]!.data as Float32Array;

function decoderLogits(z: number): number[] {
  const w0 = f('dec.0.weight');
  const b0 = f('dec.0.bias');
  const w2 = f('dec.2.weight');
  const b2 = f('dec.2.bias');
  const h = Array.from(b0, (b, j) => Math.max(0, b + z * w0[j]!));
  return Array.from(b2, (b, o) => h.reduce((s, v, j) => s + v * w2[j * D + o]!, b));
}

function logpxQuadrature(x: number[]): number {
  const lo = -10;
  const hi = 10;
  const n = 20000;
  const dz = (hi - lo) / n;
  let acc = 0;
  for (let i = 0; i <= n; i++) {
    const z = lo + i * dz;
    const logits = decoderLogits(z);
    const ll = logits.reduce(
      (s, l, j) => s + x[j]! * l - Math.max(l, 0) - Math.log1p(Math.exp(-Math.abs(l))),
      0,
    );
    const w = i === 0 || i === n ? 0.5 : 1;
    acc += w * Math.exp(ll - 0.5 * z * z - 0.5 * Math.log(2 * Math.PI)) * dz;
  }
  return Math.log(acc);
}

const rows = [
  [1, 0, 1, 1, 0, 0],
  [0, 0, 0, 1, 1, 1],
  [1, 1, 1, 1, 1, 1],
];
const inputs: Record<string, HostTensor> = {
  x: { dtype: 'float32', shape: [rows.length, D], data: Float32Array.from(rows.flat()) },
};
const backend = new OrtBackend({ threads: 1 });
afterAll(() => backend.dispose());

describe('importance-sampled log p(x)', () => {
  it('matches quadrature of the marginal likelihood (k = 4000, chunks of 500)', async () => {
    const est = await importanceSampledLogLikelihood(backend, vae, params, inputs, key(5), {
      k: 4000,
      chunk: 500,
      batch: 2,
    });
    rows.forEach((x, i) => expect(est[i]!).toBeCloseTo(logpxQuadrature(x), 1));
    const exact = rows.map(logpxQuadrature);
    const err = Math.max(...rows.map((_, i) => Math.abs(est[i]! - exact[i]!)));
    expect(err).toBeLessThan(0.03);
  });

  it('matches quadrature with the default blocks (all k = 4000 samples of an example in one run)', async () => {
    const est = await importanceSampledLogLikelihood(backend, vae, params, inputs, key(7), { k: 4000 });
    const err = Math.max(...rows.map((x, i) => Math.abs(est[i]! - logpxQuadrature(x))));
    expect(err).toBeLessThan(0.03);
  });

  it('is above the ELBO for every example (Jensen), and k must be a positive integer', async () => {
    const pass = await elboPass(backend, vae, params, inputs, key(6));
    const exact = rows.map(logpxQuadrature);
    pass.elbo.forEach((e, i) => expect(e).toBeLessThan(exact[i]! + 0.5));
    await expect(
      importanceSampledLogLikelihood(backend, vae, params, inputs, key(5), { k: 0 }),
    ).rejects.toThrow(/positive integer/);
  });
});
