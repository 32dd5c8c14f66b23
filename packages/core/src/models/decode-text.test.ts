import { key, uniform } from '@vae/random';
import { describe, expect, it } from 'vitest';
import { grad } from '../autodiff/grad';
import type { HostTensor } from '../ir/dtype';
import { Graph } from '../ir/graph';
import { interpret } from '../ir/interpret';
import { adam } from '../optim/adam';
import { GraphNoise } from '../random/noise';
import { relError, runOrt } from '../testing/harness';
import { TEXT_IDS } from './text-spec';
import { type TextVAE, textVAE } from './text-vae';

// Free-running decoding (greedy and Gumbel-max sampling) against a step-by-step oracle built from
// the teacher-forced logits, its ONNX form on onnxruntime-node, and a few Adam steps.

const V = 8;
const LEN = 7;
const f32 = (shape: number[], data: ArrayLike<number>): HostTensor => ({
  dtype: 'float32',
  shape,
  data: Float32Array.from(data),
});
const floats = (t: HostTensor) => Array.from(t.data as Float32Array);
const argmax = (row: number[]) => row.reduce((b, v, i) => (v > row[b]! ? i : b), 0);

/** A model whose EOS logit is raised, so decoded strings end at different steps. */
function model(opts: { zEveryStep?: boolean; lm?: boolean } = {}) {
  const m = textVAE({ vocab: V, maxLen: LEN - 1, latent: 2, embed: 3, hidden: 6, ...opts });
  const params = m.init(key(5));
  const bias = params['dec.3.bias']!.data as Float32Array;
  bias[TEXT_IDS.eos] = bias[TEXT_IDS.eos]! + 0.6;
  return { m, params };
}

/**
 * The oracle: step t's token is argmax(logits_t + temperature * Gumbel(u_t)), with logits_t from the
 * teacher-forced decoder fed the tokens chosen so far (the interpreter, one run per step); after
 * the first EOS, padding.
 */
function stepByStep(
  m: TextVAE,
  params: Record<string, HostTensor>,
  z: HostTensor,
  u: number[],
  temp: number,
) {
  const g = new Graph();
  const ps = m.paramInputs(g);
  const x = g.input('x', ['N', LEN]);
  const zi = g.input('z', ['N', m.spec.latent]);
  const logits = m.logits(ps, zi, x); // x here is the decoder input itself
  const n = z.shape[0]!;
  const input = new Array<number>(n * LEN).fill(TEXT_IDS.pad);
  const out = new Array<number>(n * LEN).fill(TEXT_IDS.pad);
  for (let i = 0; i < n; i++) input[i * LEN] = TEXT_IDS.bos;
  for (let t = 0; t < LEN; t++) {
    const [lv] = interpret(g, [logits], { ...params, x: f32([n, LEN], input), z }).map(floats);
    for (let i = 0; i < n; i++) {
      const row = lv!.slice((i * LEN + t) * V, (i * LEN + t + 1) * V).map((l, c) => {
        const uu = Math.min(Math.max(u[(i * LEN + t) * V + c]!, 1e-7), 1 - 1e-7);
        return l + temp * -Math.log(-Math.log(uu));
      });
      const id = argmax(row);
      out[i * LEN + t] = id;
      if (t + 1 < LEN) input[i * LEN + t + 1] = id;
    }
  }
  for (let i = 0; i < n; i++) {
    const end = out.slice(i * LEN, (i + 1) * LEN).indexOf(TEXT_IDS.eos);
    if (end >= 0) for (let t = end + 1; t < LEN; t++) out[i * LEN + t] = TEXT_IDS.pad;
  }
  return out;
}

function decodeFeeds(m: TextVAE, n: number, temp: number, seed: number) {
  const z = f32([n, m.spec.latent], uniform(key(seed), n * m.spec.latent, { low: -2, high: 2 }));
  const u = f32([n, LEN, V], uniform(key(seed + 1), n * LEN * V));
  return { z, u, temperature: f32([1], [temp]) };
}

describe('text decoding', () => {
  it.each([
    ['greedy', 0, {}],
    ['sampled (Gumbel-max)', 1, {}],
    ['greedy, z at every step', 0, { zEveryStep: true }],
    ['sampled from the LM', 1, { lm: true }],
  ] as const)('%s equals the step-by-step oracle, with padding after EOS', (_, temp, opts) => {
    const { m, params } = model(opts);
    const n = 8;
    const { graph, outputs } = m.roleGraph('decoder');
    const feeds = decodeFeeds(m, n, temp, 31);
    const [ids] = interpret(graph, [outputs.ids!], { ...feeds, ...params }).map(floats);
    const want = stepByStep(m, params, feeds.z, floats(feeds.u), temp);
    expect(ids).toEqual(want);
    // The strings end at different steps (EOS seen inside, padding after it is exercised).
    const ends = new Set(Array.from({ length: n }, (_, i) => ids!.slice(i * LEN, (i + 1) * LEN).indexOf(2)));
    expect(ends.size).toBeGreaterThan(1);
  });

  it('runs on onnxruntime-node with the same ids, and the encoder role agrees too', async () => {
    const { m, params } = model({ zEveryStep: true });
    for (const temp of [0, 1]) {
      const { graph, outputs } = m.roleGraph('decoder');
      const feeds = { ...decodeFeeds(m, 5, temp, 41), ...params };
      const [ours] = interpret(graph, [outputs.ids!], feeds);
      const [ort] = await runOrt(graph, [outputs.ids!], feeds);
      expect(floats(ort!)).toEqual(floats(ours!));
    }
    const enc = m.roleGraph('encoder');
    // Two texts: "ab" + EOS + padding, and a full-length one (ids 4.. are characters).
    const encFeeds = { x: f32([2, LEN], [4, 5, 2, 0, 0, 0, 0, 7, 7, 7, 7, 7, 7, 2]), ...params };
    const outs = [enc.outputs.loc!, enc.outputs.scale!];
    const ours = interpret(enc.graph, outs, encFeeds);
    const ort = await runOrt(enc.graph, outs, encFeeds);
    ours.forEach((t, i) => expect(relError(t, ort[i]!)).toBeLessThan(1e-5));
    expect(() => m.roleGraph('decode-mean')).toThrow('a text model has no mean');
  });
});

describe('training', () => {
  it('a few Adam steps on a tiny corpus lower the loss (word dropout on, fixed evaluation noise)', () => {
    const m = textVAE({ vocab: V, maxLen: LEN - 1, latent: 2, embed: 4, hidden: 8, wordDropout: 0.1 });
    const words = [
      [4, 5, 6],
      [5, 6, 7, 4],
      [6, 4],
      [7, 7, 5, 6, 4],
    ];
    const x = f32(
      [words.length, LEN],
      words.flatMap((w) =>
        Array.from({ length: LEN }, (_, t) => (t < w.length ? w[t]! : t === w.length ? 2 : 0)),
      ),
    );
    const g = new Graph();
    const params = m.paramInputs(g);
    const names = Object.keys(params);
    const opt = adam({ lr: 0.03 });
    let values = m.init(key(8));
    let state = opt.initState(values);
    const stateIn = Object.fromEntries(
      Object.entries(state).map(([n, t]) => [n, g.input(`optim.${n}`, t.shape)]),
    );
    const xi = g.input('x', ['N', LEN]);
    const noise = new GraphNoise(g);
    const terms = m.loss(params, m.corrupt({ x: xi }, noise), { noise });
    const grads = grad(
      terms.loss,
      names.map((n) => params[n]!),
    );
    const next = opt.update({
      params,
      grads: Object.fromEntries(names.map((n, i) => [n, grads[i]!])),
      state: stateIn,
    });
    const stateNames = Object.keys(state);
    const step = (k: number) => {
      const feeds: Record<string, HostTensor> = { ...values, x, ...noise.feeds(key(k), { N: words.length }) };
      for (const n of stateNames) feeds[`optim.${n}`] = state[n]!;
      const outs = interpret(
        g,
        [terms.loss, ...names.map((n) => next.params[n]!), ...stateNames.map((n) => next.state[n]!)],
        feeds,
      );
      return outs;
    };
    const lossAt = () => floats(step(1000)[0]!)[0]!;
    const before = lossAt();
    for (let k = 0; k < 40; k++) {
      const outs = step(k);
      values = Object.fromEntries(names.map((n, i) => [n, outs[i + 1]!]));
      state = Object.fromEntries(stateNames.map((n, i) => [n, outs[names.length + i + 1]!]));
    }
    const after = lossAt();
    expect(after).toBeLessThan(0.8 * before);
  });
});
