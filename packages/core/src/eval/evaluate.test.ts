import { fold, key } from '@vae/random';
import { describe, expect, it } from 'vitest';
import { InterpreterBackend } from '../backend/interpreter-backend';
import type { HostTensor } from '../ir/dtype';
import { mlpVAE } from '../models/index';
import { buildLogWeightGraph } from './eval-graphs';
import { streamNoiseFeeds } from './eval-noise';
import { IW_ELEMENTS, IW_ROWS, importanceSampledLogLikelihood, iwBlock } from './evaluate';

const D = 4;
const vae = mlpVAE({ inputSize: D, latent: 2, hidden: [3] });
const x: HostTensor = {
  dtype: 'float32',
  shape: [3, D],
  data: Float32Array.from([1, 0, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1]),
};

describe('iwBlock', () => {
  it('puts all k samples of an example in one run when they fit, and about IW_ROWS rows per run', () => {
    expect(iwBlock(1000, 784)).toEqual({ chunk: 1000, batch: 4 });
    expect(iwBlock(64, 784)).toEqual({ chunk: 64, batch: IW_ROWS / 64 });
    expect(iwBlock(1, 6)).toEqual({ chunk: 1, batch: IW_ROWS });
  });

  it('splits k into chunks, one example per run, when a run would exceed IW_ELEMENTS', () => {
    const wide = 3 * 32 * 32;
    const { chunk, batch } = iwBlock(5000, wide);
    expect(batch).toBe(1);
    expect(chunk * wide).toBeLessThanOrEqual(IW_ELEMENTS);
    expect(iwBlock(10, 1e8)).toEqual({ chunk: 1, batch: 1 });
  });
});

describe('streamNoiseFeeds', () => {
  it('fills every noise input at its resolved shape, the same for the same key', () => {
    const { noise } = buildLogWeightGraph(vae, 5);
    const a = streamNoiseFeeds(noise, key(3), { N: 7 });
    const b = streamNoiseFeeds(noise, key(3), { N: 7 });
    const c = streamNoiseFeeds(noise, fold(key(3), 1), { N: 7 });
    expect(Object.keys(a)).toEqual(noise.draws.map((d) => d.name));
    for (const [name, t] of Object.entries(a)) {
      expect(t.shape).toEqual([5, 7, 2]);
      expect(t.data).toEqual(b[name]!.data);
      expect(t.data).not.toEqual(c[name]!.data);
    }
    // Standard normals: mean near 0, variance near 1 over the 70 draws.
    const d = Object.values(a)[0]!.data as Float32Array;
    const m = d.reduce((s, v) => s + v, 0) / d.length;
    expect(Math.abs(m)).toBeLessThan(0.5);
    expect(d.reduce((s, v) => s + (v - m) ** 2, 0) / d.length).toBeGreaterThan(0.5);
  });

  it('names a symbolic dim it was not given a size for', () => {
    const { noise } = buildLogWeightGraph(vae, 5);
    expect(() => streamNoiseFeeds(noise, key(3))).toThrow(/give a size for dim N/);
  });
});

describe('importanceSampledLogLikelihood', () => {
  it('runs on the weights it is given: other or updated weights on the same backend are never served stale', async () => {
    const backend = new InterpreterBackend();
    const a = vae.init(key(1));
    const b = vae.init(key(2));
    const run = (p: typeof a, be = backend) =>
      importanceSampledLogLikelihood(be, vae, p, { x }, key(5), { k: 6, chunk: 4, batch: 2 });
    const first = await run(a);
    const other = await run(b);
    expect(other).toEqual(await run(b, new InterpreterBackend()));
    expect(other).not.toEqual(first);
    expect(await run(a)).toEqual(first);
    // Weights updated in place (a caller's optimiser step) are read again, not remembered.
    const w = Object.values(a).find((t) => t.data.length > 1)!.data as Float32Array;
    for (let i = 0; i < w.length; i++) w[i] = w[i]! * 1.5;
    expect(await run(a)).not.toEqual(first);
  });

  it('gives the same figures however the samples are grouped into chunks, up to the draws', async () => {
    const params = vae.init(key(1));
    const backend = new InterpreterBackend();
    const one = await importanceSampledLogLikelihood(backend, vae, params, { x }, key(5), { k: 400 });
    const many = await importanceSampledLogLikelihood(backend, vae, params, { x }, key(5), {
      k: 400,
      chunk: 150,
      batch: 2,
    });
    // Different draws of the same estimator (k = 400 on a 2-d latent): close, not equal.
    for (let i = 0; i < 3; i++) expect(Math.abs(one[i]! - many[i]!)).toBeLessThan(0.1);
  });
});
