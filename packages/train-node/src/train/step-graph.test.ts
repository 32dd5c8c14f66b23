import { adam, type HostTensor, key, mlpVAE, normal } from '@vae/core';
import { afterAll, describe, expect, it } from 'vitest';
import { OrtBackend } from '../backend/ort-backend';
import { buildStepGraph, STATE_PREFIX } from './step-graph';

// A small VAE: 6 inputs, a hidden layer of 5, latent 2, batch 4.
const vae = mlpVAE({ inputSize: 6, hidden: [5], latent: 2 });
const optimizer = adam({ lr: 1e-2 });
const params = vae.init(key(3));
const state = optimizer.initState(params);
const stateShapes = Object.fromEntries(Object.entries(state).map(([n, t]) => [n, t.shape]));
const B = 4;
const backend = new OrtBackend({ threads: 1 });
afterAll(() => backend.dispose());

/** Feeds for `k` steps: fixed binary data, beta 1 and seeded noise. */
function feeds(k: number, draws: readonly { name: string; shape: readonly (number | string)[] }[]) {
  const f: Record<string, HostTensor> = { ...params };
  for (const [n, t] of Object.entries(state)) f[STATE_PREFIX + n] = t;
  const x = Float32Array.from({ length: k * B * 6 }, (_, i) => ((i * 5) % 3 === 0 ? 1 : 0));
  f.x = { dtype: 'float32', shape: [k, B, 6], data: x };
  f.beta = { dtype: 'float32', shape: [k], data: new Float32Array(k).fill(1) };
  draws.forEach((d, i) => {
    const shape = [k, ...(d.shape as number[])];
    f[d.name] = {
      dtype: 'float32',
      shape,
      data: normal(
        key(10 + i),
        shape.reduce((a, b) => a * b, 1),
      ),
    };
  });
  return f;
}

describe('buildStepGraph', () => {
  const dynamic = buildStepGraph({ vae, optimizer, batchSize: B, stateShapes });

  it('without `steps`, one session runs any number of steps, as a static graph of that length', async () => {
    const run = await backend.compile('dyn', () => dynamic);
    for (const k of [3, 2]) {
      const fixed = buildStepGraph({ vae, optimizer, batchSize: B, steps: k, stateShapes });
      const runFixed = await backend.compile(`k${k}`, () => fixed);
      const a = await run.run(feeds(k, dynamic.noise.draws));
      const b = await runFixed.run(feeds(k, fixed.noise.draws));
      expect(a.loss!.shape).toEqual([k]);
      for (const name of Object.keys(b))
        expect(Array.from(a[name]!.data as Float32Array)).toEqual(Array.from(b[name]!.data as Float32Array));
    }
  });
});
