import { adam, buildStepGraph, type HostTensor, key, mlpVAE, normal, STATE_PREFIX } from '@vae/core';
import { afterAll, describe, expect, it } from 'vitest';
import { OrtBackend } from '../backend/ort-backend';

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

/** Largest relative difference between two maps of float32 outputs (floor 1e-3). */
function maxRelDiff(a: Record<string, HostTensor>, b: Record<string, HostTensor>): number {
  let worst = 0;
  for (const name of Object.keys(b)) {
    const [x, y] = [a[name]!.data as Float32Array, b[name]!.data as Float32Array];
    for (let i = 0; i < y.length; i++)
      worst = Math.max(worst, Math.abs(x[i]! - y[i]!) / (Math.abs(y[i]!) + 1e-3));
  }
  return worst;
}

describe('buildStepGraph', () => {
  const dynamic = buildStepGraph({ vae, optimizer, batchSize: B, stateShapes, maxSteps: 3 });

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

  it("Adam's loop form (loss scaled, state rescaled in the loop) ends where the plain update does", async () => {
    const k = 12;
    // Symbolic steps with no bound: the plain update on every step.
    const plain = buildStepGraph({ vae, optimizer, batchSize: B, stateShapes });
    const looped = buildStepGraph({ vae, optimizer, batchSize: B, steps: k, stateShapes });
    const a = await (await backend.compile('plain', () => plain)).run(feeds(k, plain.noise.draws));
    const b = await (await backend.compile('looped', () => looped)).run(feeds(k, looped.noise.draws));
    // Same weights, slots and losses to float32 rounding (the slots leave in their plain form).
    expect(maxRelDiff(b, a)).toBeLessThan(2e-5);
    const v = Object.keys(a).find((n) => n.includes('adam.v.'))!;
    expect(maxRelDiff({ v: b[v]! }, { v: a[v]! })).toBeLessThan(2e-5);
    // One full-size pass fewer per parameter and step: count the ops shaped like a weight matrix.
    const [wName, wShape] = Object.entries(vae.paramShapes()).find(([, s]) => s.length === 2)!;
    const passes = (sg: typeof plain) => {
      const body = sg.graph.nodes.find((n) => n.op === 'Loop')!.attrs.body as typeof sg.graph;
      return body.nodes.filter((n) => n.outputs[0]!.shape.join() === wShape.join()).length;
    };
    expect(passes(plain) - passes(looped), wName).toBe(1);
  });

  it('a loop longer than the optimizer allows falls back to the plain update', () => {
    const limit = optimizer.inLoop!.maxSteps;
    expect(limit).toBeGreaterThan(1000); // b2 = 0.999: the scale stays below 2^10 for ~13.8k steps
    const over = buildStepGraph({ vae, optimizer, batchSize: B, stateShapes, maxSteps: limit + 1 });
    const within = buildStepGraph({ vae, optimizer, batchSize: B, stateShapes, maxSteps: limit });
    const pows = (sg: typeof over) => sg.graph.nodes.filter((n) => n.op === 'Pow').length;
    // The loop form's exit rescales the slots with b2^(n/2) and b2^n outside the Loop.
    expect(pows(within)).toBe(pows(over) + 2);
  });
});
