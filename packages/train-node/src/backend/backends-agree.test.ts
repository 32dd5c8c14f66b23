/**
 * The Backend interface's promise: one training step graph, two backends, the same training. The
 * real step graph (train-node's `buildStepGraph`: ELBO, gradients, Adam's loop form, K steps in an
 * ONNX Loop) runs on core's reference interpreter and on onnxruntime-node, with parameters and
 * optimizer state carried from call to call by `carryState`.
 */
import {
  adam,
  type Backend,
  buildStepGraph,
  carryState,
  type HostTensor,
  InterpreterBackend,
  key,
  mlpVAE,
  NEXT_PREFIX,
  normal,
  resolveBackend,
  STATE_PREFIX,
} from '@vae/core';
import { afterAll, describe, expect, it } from 'vitest';
import { OrtBackend } from './ort-backend';
import { ORT_NODE_PRIORITY } from './register';

const D = 16;
const B = 8;
const K = 4;
const CALLS = 3;
const vae = mlpVAE({ inputSize: D, hidden: [8], latent: 2 });
const optimizer = adam({ lr: 1e-2 });
const params = vae.init(key(7));
const state = optimizer.initState(params);
const stateShapes = Object.fromEntries(Object.entries(state).map(([n, t]) => [n, t.shape]));
// As the trainer builds it: symbolic step count, Adam's loop form for runs of up to K steps.
const built = buildStepGraph({ vae, optimizer, batchSize: B, stateShapes, maxSteps: K });

/** Call `call`'s feeds: fixed binary data (a few prototypes), beta 1, seeded noise. */
function feeds(call: number): Record<string, HostTensor> {
  const x = Float32Array.from({ length: K * B * D }, (_, i) => {
    const row = Math.floor(i / D) + call * K * B;
    return ((row % 3) * 5 + (i % D) * 7) % 4 < 2 ? 1 : 0;
  });
  const f: Record<string, HostTensor> = {
    x: { dtype: 'float32', shape: [K, B, D], data: x },
    beta: { dtype: 'float32', shape: [K], data: new Float32Array(K).fill(1) },
  };
  built.noise.draws.forEach((d, i) => {
    const shape = [K, ...(d.shape as number[])];
    f[d.name] = {
      dtype: 'float32',
      shape,
      data: normal(
        key(100 * call + i),
        shape.reduce((a, b) => a * b),
      ),
    };
  });
  return f;
}

/** Per-step losses over CALLS calls of K steps, and the final parameters. */
async function trainOn(backend: Backend) {
  const compiled = await backend.compile('train', () => built);
  const carry: Record<string, string> = {};
  for (const n of Object.keys(params)) carry[n] = NEXT_PREFIX + n;
  for (const n of Object.keys(state)) carry[STATE_PREFIX + n] = NEXT_PREFIX + STATE_PREFIX + n;
  const initial: Record<string, HostTensor> = { ...params };
  for (const [n, t] of Object.entries(state)) initial[STATE_PREFIX + n] = t;
  const run = carryState(compiled, carry, initial);
  const losses: number[] = [];
  for (let call = 0; call < CALLS; call++) {
    const out = await run.run(feeds(call));
    losses.push(...(out.loss!.data as Float32Array));
  }
  return { losses, state: run.state };
}

const ort = new OrtBackend({ threads: 1 });
afterAll(() => ort.dispose());

describe('backends agree', () => {
  it('training on the interpreter gives the losses onnxruntime-node gives', async () => {
    const a = await trainOn(new InterpreterBackend());
    const b = await trainOn(ort);
    expect(a.losses).toHaveLength(K * CALLS);
    // Training happens: the last call's mean loss is below the first call's (11.09 -> 10.58).
    const mean = (xs: number[]) => xs.reduce((t, v) => t + v, 0) / xs.length;
    expect(mean(a.losses.slice(-K))).toBeLessThan(mean(a.losses.slice(0, K)) - 0.2);
    // The interpreter sums in float64 and rounds each op to float32; onnxruntime sums in float32
    // in its own order (blocked, FMA). Both are float32-accurate (~6e-8 relative per op), so a loss,
    // a few dozen ops from the weights and a sum over B x D terms, differs in its last bits, and the
    // parameters drift apart by as little over a few Adam steps (its update divides by sqrt(v), so a
    // gradient entry near zero could amplify a difference; not on these data). Measured: 8.9e-8
    // relative on the losses (one float32 ulp), 1.1e-7 on parameters and moments. 1e-5 leaves room
    // for other CPUs' kernels (AVX2 vs AVX-512 blocking) without hiding a wrong op.
    const rel = a.losses.map((l, i) => Math.abs(l - b.losses[i]!) / Math.abs(b.losses[i]!));
    expect(Math.max(...rel)).toBeLessThan(1e-5);
    for (const [name, t] of Object.entries(a.state)) {
      const [x, y] = [t.data as Float32Array, b.state[name]!.data as Float32Array];
      x.forEach((v, i) => expect(Math.abs(v - y[i]!), name).toBeLessThan(1e-5 * (1 + Math.abs(y[i]!))));
    }
  });

  it('onnxruntime-node is registered, above the interpreter, and initialises here', async () => {
    expect(ORT_NODE_PRIORITY).toBeGreaterThan(0);
    const { name, backend } = await resolveBackend();
    expect(name).toBe('onnxruntime-node');
    expect(backend).toBeInstanceOf(OrtBackend);
    await ort.init();
  });
});
