// Where a training step's time goes: the MLP recipe's step graph (784-400-20, batch 128, K = 64
// steps per call) on onnxruntime-node, timed without the profiler, next to graphs that isolate its
// parts, interleaved call by call in one process:
//   step/adam   the real step graph (Adam's loop form, as `vae train` runs it)
//   step/sgd    the same step with SGD: the difference is Adam's cost
//   products    the step's five large matrix products alone (+ a weight update): the floor
//   adam-only   Adam's passes over the two 784x400 weights alone
// then, with --profile, onnxruntime's profile of the real step by operator type (the profiler
// inflates small kernels: compare shares with the ablations, not absolute times).
//   pnpm exec tsx --conditions=@vae/source profile/step.ts [--threads 2] [--calls 12] [--profile]
//     [--config session.dynamic_block_base=4 ...]   (onnxruntime session config entries)
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  adam,
  buildStepGraph,
  Graph,
  type HostTensor,
  key,
  loop,
  mlpVAE,
  type Optimizer,
  sgd,
  stepNoiseFeeds,
  type Tensor,
  toOnnx,
} from '@vae/core';
import { formatProfile, profileFiles, summariseProfile } from '@vae/train-node';
import * as ort from 'onnxruntime-node';

const { values: opt } = parseArgs({
  options: {
    threads: { type: 'string', default: '2' },
    calls: { type: 'string', default: '12' },
    profile: { type: 'boolean', default: false },
    // onnxruntime session config entries for every session, e.g. session.dynamic_block_base=4
    config: { type: 'string', multiple: true, default: [] },
  },
});
const CONFIG = Object.fromEntries(opt.config.map((kv) => kv.split('=') as [string, string]));
const THREADS = Number(opt.threads);
const CALLS = Number(opt.calls);
const K = 64;
const B = 128;
const D = 784;
const H = 400;

interface Case {
  readonly name: string;
  readonly onnx: Uint8Array;
  readonly feeds: Record<string, ort.Tensor>;
}

const toOrt = (t: HostTensor) => new ort.Tensor('float32', t.data as Float32Array, [...t.shape]);
const random = (n: number, scale = 0.01) =>
  Float32Array.from({ length: n }, () => (Math.random() - 0.5) * scale);
const pixels = () => Float32Array.from({ length: K * B * D }, () => (Math.random() < 0.3 ? 1 : 0));

/** The real step graph of the MLP recipe with this optimizer, and feeds for one K-step call. */
function stepCase(name: string, optimizer: Optimizer): Case {
  const vae = mlpVAE({ latent: 20, hidden: [H] });
  const params = vae.init(key(1));
  const state = optimizer.initState(params);
  const stateShapes = Object.fromEntries(Object.entries(state).map(([n, t]) => [n, t.shape]));
  const built = buildStepGraph({ vae, optimizer, batchSize: B, stateShapes, maxSteps: K });
  const feeds: Record<string, ort.Tensor> = {
    x: new ort.Tensor('float32', pixels(), [K, B, D]),
    beta: new ort.Tensor('float32', new Float32Array(K).fill(1), [K]),
  };
  for (const [n, t] of Object.entries(params)) feeds[n] = toOrt(t);
  for (const [n, t] of Object.entries(state)) feeds[`optim.${n}`] = toOrt(t);
  for (const [n, t] of Object.entries(stepNoiseFeeds(built.noise.draws, key(2), 0, K))) feeds[n] = toOrt(t);
  return { name, onnx: toOnnx(built.graph, { outputs: built.outputs }), feeds };
}

/** The five large products of the step (forward x W1 and h W4, their weight gradients, dh). */
function productsCase(): Case {
  const g = new Graph('products');
  const w1In = g.input('w1', [D, H]);
  const w4In = g.input('w4', [H, D]);
  const xs = g.input('x', [K, B, D]);
  const [fin] = loop(g, K, [w1In, w4In], (iter, [w1, w4]) => {
    const x = xs.gather(iter, 0);
    const h = x.matmul(w1!).relu();
    const logits = h.matmul(w4!);
    const dW4 = h.transpose([1, 0]).matmul(logits);
    const dh = logits.matmul(w4!.transpose([1, 0]));
    const dW1 = x.transpose([1, 0]).matmul(dh);
    return { carried: [w1!.sub(dW1.mul(1e-9)), w4!.sub(dW4.mul(1e-9))] };
  });
  const feeds = {
    w1: new ort.Tensor('float32', random(D * H), [D, H]),
    w4: new ort.Tensor('float32', random(D * H), [H, D]),
    x: new ort.Tensor('float32', pixels(), [K, B, D]),
  };
  return { name: 'products', onnx: toOnnx(g, { outputs: { a: fin[0]!, b: fin[1]! } }), feeds };
}

/** Adam's update (the loop form's passes) on the two large weights, gradients held fixed. */
function adamOnlyCase(): Case {
  const g = new Graph('adam_only');
  const shapes = [
    [D, H],
    [H, D],
  ];
  const carried0 = shapes.flatMap((s, i) => ['p', 'm', 'v'].map((n) => g.input(`${n}${i}`, s)));
  const grads = shapes.map((s, i) => g.input(`g${i}`, s));
  const stepSize = g.input('step', []);
  const [fin] = loop(g, K, carried0, (iter, c) => {
    const t = iter.cast('float32').add(1);
    const out: Tensor[] = [];
    shapes.forEach((_, i) => {
      const [p, m0, v0] = [c[3 * i]!, c[3 * i + 1]!, c[3 * i + 2]!];
      const m = m0.mul(0.9).add(grads[i]!);
      const v = v0.add(grads[i]!.square());
      out.push(p.sub(m.div(v.sqrt().add(t.mul(1e-8))).mul(stepSize.mul(t))), m, v);
    });
    return { carried: out };
  });
  const feeds: Record<string, ort.Tensor> = { step: new ort.Tensor('float32', Float32Array.of(1e-3), []) };
  shapes.forEach((s, i) => {
    for (const n of ['p', 'm', 'v', 'g']) feeds[`${n}${i}`] = new ort.Tensor('float32', random(D * H), s);
  });
  const outputs = Object.fromEntries(fin.map((t, i) => [`o${i}`, t]));
  return { name: 'adam-only', onnx: toOnnx(g, { outputs }), feeds };
}

const session = (c: Case, extra: ort.InferenceSession.SessionOptions = {}) =>
  ort.InferenceSession.create(c.onnx, {
    intraOpNumThreads: THREADS,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    ...(opt.config.length > 0 ? { extra: { ...CONFIG } } : {}),
    ...extra,
  });

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

const cases = [
  stepCase('step/adam', adam({ lr: 1e-3 })),
  stepCase('step/sgd', sgd({ lr: 1e-3 })),
  productsCase(),
  adamOnlyCase(),
];
const sessions = await Promise.all(cases.map((c) => session(c)));
const times = cases.map(() => [] as number[]);
console.log(
  `ms per step, ${THREADS} threads, ${CALLS} calls of ${K} steps each (the first is warm-up), load ${os.loadavg()[0]!.toFixed(2)}`,
);
for (let call = 0; call <= CALLS; call++)
  for (const [i, c] of cases.entries()) {
    const t0 = performance.now();
    await sessions[i]!.run(c.feeds);
    if (call > 0) times[i]!.push((performance.now() - t0) / K);
  }
const step = median(times[0]!);
for (const [i, c] of cases.entries()) {
  const m = median(times[i]!);
  console.log(
    `  ${c.name.padEnd(10)} ${m.toFixed(3)} ms (min ${Math.min(...times[i]!).toFixed(3)}; ${((100 * m) / step).toFixed(0)}% of the step)`,
  );
}
console.log(`  Adam's cost (step/adam - step/sgd): ${(step - median(times[1]!)).toFixed(3)} ms`);
console.log(`  the step beyond its products: ${(step - median(times[2]!)).toFixed(3)} ms`);
console.log(`load after: ${os.loadavg()[0]!.toFixed(2)}`);

if (opt.profile) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vae-step-profile-'));
  const prefix = path.join(dir, 'step');
  const s = await session(cases[0]!, { enableProfiling: true, profileFilePrefix: prefix });
  for (let call = 0; call < 4; call++) await s.run(cases[0]!.feeds);
  s.endProfiling();
  await s.release();
  for (const file of profileFiles(prefix)) console.log(formatProfile(summariseProfile(file), 16));
  rmSync(dir, { recursive: true, force: true });
}
await Promise.all(sessions.map((s) => s.release()));
