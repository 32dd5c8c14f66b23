import { fold, key, normal } from '@vae/random';
import { describe, expect, it } from 'vitest';
import { grad } from '../autodiff/grad';
import type { HostTensor } from '../ir/dtype';
import { Graph } from '../ir/graph';
import { interpret } from '../ir/interpret';
import { loop } from '../ir/loop';
import type { Tensor } from '../ir/tensor';
import { relError, runOrt } from '../testing/harness';
import { adam, adamw } from './adam';
import { clipByGlobalNorm } from './clip';
import type { Optimizer } from './optimizer';
import { cosineLR, linearWarmupLR, stepLR } from './schedule';
import { sgd } from './sgd';

const shapes: Record<string, number[]> = { w: [4, 3], b: [3], s: [] };
const names = Object.keys(shapes);
const host = (shape: number[], seed: number, std = 1): HostTensor => ({
  dtype: 'float32',
  shape,
  data: normal(
    fold(key(5), seed),
    shape.reduce((a, d) => a * d, 1),
    { std },
  ),
});
const init = Object.fromEntries(names.map((n, i) => [n, host(shapes[n]!, i)]));

/**
 * A problem whose gradients depend on the parameters (so a Loop must carry them right):
 * loss = sum(a * (w - c)^2) + sum(tanh(b)) + s^2 * 3, with constants a, c.
 */
function problem(opt: Optimizer, clip?: number) {
  const g = new Graph('opt_loop');
  const a = g.constant(host([4, 3], 20, 0.5));
  const c = g.constant(host([4, 3], 21));
  const params = Object.fromEntries(names.map((n) => [n, g.input(`p_${n}`, shapes[n]!)]));
  const state0 = opt.initState(init);
  const sNames = Object.keys(state0);
  const state = Object.fromEntries(
    sNames.map((n) => [n, g.input(`s_${n.replaceAll('.', '_')}`, state0[n]!.shape)]),
  );
  const lossOf = (ps: Record<string, Tensor>) =>
    ps.w!.sub(c).square().mul(a).sum().add(ps.b!.tanh().sum()).add(ps.s!.square().mul(3));
  const step = (ps: Record<string, Tensor>, st: Record<string, Tensor>) => {
    const list = names.map((n) => ps[n]!);
    let grads = Object.fromEntries(grad(lossOf(ps), list).map((t, i) => [names[i]!, t]));
    if (clip !== undefined) grads = clipByGlobalNorm(grads, clip).grads;
    const out = opt.update({ params: ps, grads, state: st });
    return [...names.map((n) => out.params[n]!), ...sNames.map((n) => out.state[n]!)];
  };
  const single = step(params, state);
  const unpack = (ts: Tensor[]) => ({
    ps: Object.fromEntries(names.map((n, i) => [n, ts[i]!])),
    st: Object.fromEntries(sNames.map((n, i) => [n, ts[names.length + i]!])),
  });
  const initial = [...names.map((n) => params[n]!), ...sNames.map((n) => state[n]!)];
  const inK = (k: number) =>
    loop(g, k, initial, (_i, carried) => {
      const { ps, st } = unpack(carried);
      return { carried: step(ps, st) };
    })[0];
  const feedsOf = (vals: HostTensor[]) =>
    Object.fromEntries(initial.map((t, i) => [t.name, vals[i]!])) as Record<string, HostTensor>;
  const start = [...names.map((n) => init[n]!), ...sNames.map((n) => state0[n]!)];
  return { g, single, inK, feedsOf, start };
}

const cases: [string, Optimizer, number?][] = [
  ['sgd nesterov + wd', sgd({ lr: 0.02, momentum: 0.9, nesterov: true, weightDecay: 1e-2 })],
  [
    'sgd dampening + stepLR',
    sgd({ lr: stepLR({ lr: 0.05, stepSize: 2, gamma: 0.7 }), momentum: 0.9, dampening: 0.5 }),
  ],
  ['adam + L2 + clip', adam({ lr: 0.05, weightDecay: 0.01 }), 1.0],
  [
    'adamw + warmup(cosine)',
    adamw({ lr: linearWarmupLR({ warmupSteps: 3, after: cosineLR({ lr: 0.05, tMax: 10 }) }) }),
  ],
];

describe('optimizer step graphs: Loop and onnxruntime-node', () => {
  it.each(cases)(
    '%s: a Loop of K steps equals K single steps, and ORT equals the interpreter',
    async (_n, opt, clip) => {
      const K = 5;
      const p = problem(opt, clip);
      // K single steps, state fed back by hand
      let vals = p.start;
      for (let k = 0; k < K; k++) vals = interpret(p.g, p.single, p.feedsOf(vals));
      const looped = p.inK(K);
      const ours = interpret(p.g, looped, p.feedsOf(p.start));
      ours.forEach((t, i) => expect(relError(t, vals[i]!), `output ${i}`).toBeLessThanOrEqual(1e-6));
      // the single-step and the looped graphs on onnxruntime-node
      const feeds = p.feedsOf(p.start);
      const ortSingle = await runOrt(p.g, p.single, feeds);
      const ourSingle = interpret(p.g, p.single, feeds);
      ortSingle.forEach((t, i) =>
        expect(relError(t, ourSingle[i]!), `single ${i}`).toBeLessThanOrEqual(1e-5),
      );
      const ortLoop = await runOrt(p.g, looped, feeds);
      ortLoop.forEach((t, i) => expect(relError(t, ours[i]!), `loop ${i}`).toBeLessThanOrEqual(1e-5));
      // the step counter is carried: K after K steps
      const stepIdx = Object.keys(opt.initState(init)).indexOf('step');
      expect(Array.from(ours[names.length + stepIdx]!.data as Float32Array)).toEqual([K]);
    },
  );
});
