import { key, uniform } from '@vae/random';
import { describe, expect, it } from 'vitest';
import { grad } from '../autodiff/grad';
import type { SequenceCategorical } from '../distributions/sequence-categorical';
import type { HostTensor } from '../ir/dtype';
import { Graph } from '../ir/graph';
import { interpret } from '../ir/interpret';
import type { Tensor } from '../ir/tensor';
import { GraphNoise } from '../random/noise';
import { relError, runOrt } from '../testing/harness';
import { ModelSpecError } from './spec';
import { TEXT_IDS, type TextVAEOptions } from './text-spec';
import { modelFromSpec, type TextBatch, TextVAE, textVAE } from './text-vae';
import { VAE } from './vae';

// The text VAE: teacher-forced masked likelihood, word dropout, free bits, the latent-free LM,
// and agreement of its training graphs with onnxruntime-node.

const V = 9; // 4 reserved ids + 5 characters
const LEN = 6; // maxLen 5 + EOS
const small: TextVAEOptions = { vocab: V, maxLen: LEN - 1, latent: 3, embed: 4, hidden: 5 };

const f32 = (shape: number[], data: ArrayLike<number>): HostTensor => ({
  dtype: 'float32',
  shape,
  data: Float32Array.from(data),
});
const floats = (t: HostTensor) => Array.from(t.data as Float32Array);

/** n sequences of lengths 1..maxLen: characters (ids 4..V-1), EOS, padding; as @vae/datasets writes them. */
function corpus(n: number, seed: number): HostTensor {
  const u = uniform(key(seed), n * (LEN + 1));
  const ids: number[] = [];
  for (let i = 0; i < n; i++) {
    const len = 1 + Math.floor(u[i * (LEN + 1)]! * (LEN - 1));
    for (let t = 0; t < LEN; t++) {
      const c = 4 + Math.floor(u[i * (LEN + 1) + t + 1]! * (V - 4));
      ids.push(t < len ? c : t === len ? TEXT_IDS.eos : TEXT_IDS.pad);
    }
  }
  return f32([n, LEN], ids);
}

/** Graph with params, x and noise inputs; the terms of `loss` (training steps: corrupt first). */
function lossGraph(m: TextVAE, opts: { train?: boolean; freeBits?: number; particles?: number } = {}) {
  const g = new Graph();
  const params = m.paramInputs(g);
  const x = g.input('x', ['N', LEN]);
  const noise = new GraphNoise(g);
  const batch: TextBatch = opts.train ? m.corrupt({ x }, noise) : { x };
  const terms = m.loss(params, batch, { noise, freeBits: opts.freeBits, particles: opts.particles });
  return { g, params, x, noise, batch, terms };
}

describe('text VAE spec', () => {
  it('has the Bowman layout and names; the LM has the same decoder without the z map or encoder', () => {
    const vae = textVAE(small);
    const lm = textVAE({ ...small, lm: true });
    expect(vae.spec.dataShape).toEqual([LEN]);
    const shapes = vae.paramShapes();
    expect(shapes['enc.0.weight']).toEqual([V, 4]);
    expect(shapes['enc.2.weight']).toEqual([5, 6]);
    expect(shapes['dec.0.weight']).toEqual([3, 5]);
    const lmShapes = lm.paramShapes();
    expect(Object.keys(lmShapes).some((n) => n.startsWith('enc.'))).toBe(false);
    const {
      'dec.0.weight': _w,
      'dec.0.bias': _b,
      ...rest
    } = Object.fromEntries(Object.entries(shapes).filter(([n]) => n.startsWith('dec.')));
    expect(lmShapes).toEqual(rest);
    expect(textVAE({ ...small, zEveryStep: true }).paramShapes()['dec.2.weight_ih']).toEqual([15, 7]);
  });

  it('refuses specs that do not fit, in one line', () => {
    expect(() => textVAE({ ...small, vocab: 3 })).toThrow('text VAE: vocab must be an integer > 3, got 3');
    expect(() => textVAE({ ...small, wordDropout: 1 })).toThrow('wordDropout must be in [0, 1), got 1');
    expect(() => textVAE({ ...small, lm: true, prior: { type: 'mog', components: 2 } })).toThrow(
      ModelSpecError,
    );
    // A plain VAE refuses a text spec; modelFromSpec picks the right class.
    const spec = textVAE(small).spec;
    expect(() => new VAE(spec)).toThrow('a sequence-categorical likelihood is a text model');
    expect(modelFromSpec(spec)).toBeInstanceOf(TextVAE);
    expect(modelFromSpec(JSON.parse(JSON.stringify(spec)))).toBeInstanceOf(TextVAE);
  });
});

describe('teacher forcing', () => {
  it('the decoder reads BOS then x shifted right; logits at t depend on x_{<t} only (perturbation)', () => {
    const m = textVAE({ ...small, zEveryStep: true });
    const g = new Graph();
    const params = m.paramInputs(g);
    const x = g.input('x', ['N', LEN]);
    const z = g.input('z', ['N', 3]);
    // The model's own path (decode shifts x itself) and the logits of an independent shift.
    const logits = (m.decode(params, z, { x }) as SequenceCategorical).steps.logits;
    const byHand = m.logits(params, z, shiftOf(g, x));
    const init = m.init(key(1));
    const x0 = corpus(1, 3);
    const zv = f32([1, 3], [0.3, -0.2, 0.5]);
    const [base, hand] = interpret(g, [logits, byHand], { ...init, x: x0, z: zv }).map(floats);
    expect(base).toEqual(hand);
    for (let s = 0; s < LEN; s++) {
      const xs = floats(x0);
      xs[s] = xs[s] === 4 ? 5 : 4; // change x_s
      const [out] = interpret(g, [logits], { ...init, x: f32([1, LEN], xs), z: zv }).map(floats);
      for (let t = 0; t < LEN; t++) {
        const row = (a: number[]) => a.slice(t * V, (t + 1) * V);
        const same = row(out!).every((v, i) => v === row(base!)[i]);
        // Unchanged at t <= s (step t reads x_{t-1}; step 0 reads BOS); changed at s + 1.
        if (t <= s) expect(same, `t=${t} s=${s}`).toBe(true);
        if (t === s + 1) expect(same, `t=${t} s=${s}`).toBe(false);
      }
    }
  });
});

/** BOS then x[:, :-1] computed with graph ops other than the model's (an independent shift). */
function shiftOf(g: Graph, x: Tensor) {
  const prev = x.slice([0], [LEN - 1], [1]);
  const bos = x.slice([0], [1], [1]).mul(0).add(1);
  return g.apply1('Concat', [bos, prev], { axis: 1 });
}

describe('the likelihood', () => {
  it('equals a float64 masked log-softmax sum over the teacher-forced logits', () => {
    const m = textVAE(small);
    const g = new Graph();
    const params = m.paramInputs(g);
    const x = g.input('x', ['N', LEN]);
    const z = g.input('z', ['N', 3]);
    const logits = m.logits(params, z, shiftOf(g, x));
    const logp = m.decode(params, z, { x }).logProb(x);
    const xv = corpus(4, 7);
    const feeds = { ...m.init(key(2)), x: xv, z: f32([4, 3], uniform(key(8), 12, { low: -1, high: 1 })) };
    const [lv, pv] = interpret(g, [logits, logp], feeds);
    const L = floats(lv!);
    const ids = floats(xv);
    for (let i = 0; i < 4; i++) {
      let want = 0;
      for (let t = 0; t < LEN; t++) {
        const id = ids[i * LEN + t]!;
        if (id === TEXT_IDS.pad) continue; // padding never counts
        const row = L.slice((i * LEN + t) * V, (i * LEN + t + 1) * V);
        const mx = Math.max(...row);
        want += row[id]! - mx - Math.log(row.reduce((s, v) => s + Math.exp(v - mx), 0));
      }
      expect(floats(pv!)[i]).toBeCloseTo(want, 4);
    }
  });
});

describe('word dropout', () => {
  it('replaces real decoder inputs by UNK at the rate asked, never BOS or padding, only in training steps', () => {
    const p = 0.3;
    const m = textVAE({ ...small, wordDropout: p });
    const g = new Graph();
    const x = g.input('x', ['N', LEN]);
    const noise = new GraphNoise(g);
    const dropped = (m.corrupt({ x }, noise) as TextBatch).decoderInput!;
    const n = 4000;
    const xv = corpus(n, 11);
    const [dv] = interpret(g, [dropped], { x: xv, ...noise.feeds(key(12), { N: n }) });
    const d = floats(dv!);
    const ids = floats(xv);
    let real = 0;
    let unk = 0;
    for (let i = 0; i < n; i++) {
      expect(d[i * LEN]).toBe(TEXT_IDS.bos);
      for (let t = 1; t < LEN; t++) {
        const src = ids[i * LEN + t - 1]!;
        const got = d[i * LEN + t]!;
        if (src === TEXT_IDS.pad) expect(got).toBe(TEXT_IDS.pad);
        else {
          real++;
          if (got === TEXT_IDS.unk) unk++;
          else expect(got).toBe(src);
        }
      }
    }
    // Binomial: standard error sqrt(p (1 - p) / real) ~ 0.005 at ~14k tokens.
    expect(Math.abs(unk / real - p)).toBeLessThan(0.02);
    // Outside training (no corrupt) nothing is dropped and no noise is drawn for it.
    expect(textVAE(small).corrupt({ x }, noise)).toEqual({ x });
    const evalGraph = lossGraph(m);
    expect(evalGraph.noise.draws.map((dr) => dr.kind)).toEqual(['normal']);
  });
});

describe('free bits and the LM', () => {
  it('free bits: the KL term is sum_d max(mean_n KL_d, lambda)', () => {
    const m = textVAE(small);
    const lambda = 0.05;
    const { g, noise, terms } = lossGraph(m, { freeBits: lambda });
    const plain = lossGraph(m);
    const n = 5;
    const feeds: Record<string, HostTensor> = {
      ...m.init(key(4)),
      x: corpus(n, 5),
      ...noise.feeds(key(6), { N: n }),
    };
    const [loss, recon] = interpret(g, [terms.loss, terms.recon], feeds);
    // Per-dimension KL of N(mu, s) || N(0, 1) from the encoder role (an independent closed form).
    const enc = m.roleGraph('encoder');
    const { [noise.draws[0]!.name]: _eps, ...encFeeds } = feeds;
    const [loc, scale] = interpret(enc.graph, [enc.outputs.loc!, enc.outputs.scale!], encFeeds);
    const mu = floats(loc!);
    const sd = floats(scale!);
    let penalty = 0;
    for (let d = 0; d < 3; d++) {
      let kl = 0;
      for (let i = 0; i < n; i++) {
        const [a, s] = [mu[i * 3 + d]!, sd[i * 3 + d]!];
        kl += (-Math.log(s * s) + s * s + a * a - 1) / 2 / n;
      }
      penalty += Math.max(kl, lambda);
    }
    const meanRecon = floats(recon!).reduce((a, v) => a + v, 0) / n;
    expect(floats(loss!)[0]).toBeCloseTo(penalty - meanRecon, 4);
    const [plainLoss] = interpret(plain.g, [plain.terms.loss], feeds);
    expect(floats(loss!)[0]).toBeGreaterThanOrEqual(floats(plainLoss!)[0]! - 1e-5);
  });

  it('the LM: KL 0, and its ELBO and IWAE bound are both the exact log-likelihood', () => {
    const m = textVAE({ ...small, lm: true });
    const { g, params, x, noise, terms } = lossGraph(m);
    const iw = m.iwae(params, { x }, noise, 4);
    const n = 3;
    const feeds = { ...m.init(key(9)), x: corpus(n, 10), ...noise.feeds(key(3), { N: n }) };
    const [kl, elbo, recon, iwv] = interpret(g, [terms.kl, terms.elbo, terms.recon, iw], feeds);
    expect(floats(kl!)).toEqual([0, 0, 0]);
    expect(floats(elbo!)).toEqual(floats(recon!));
    floats(iwv!).forEach((v, i) => expect(v).toBeCloseTo(floats(recon!)[i]!, 4));
  });
});

describe('several z samples', () => {
  it('a static batch folds them into one decoder; a symbolic one decodes each: same bound', () => {
    const m = textVAE(small);
    const n = 3;
    const run = (batch: number | 'N') => {
      const g = new Graph();
      const params = m.paramInputs(g);
      const x = g.input('x', [batch, LEN]);
      const noise = new GraphNoise(g);
      const terms = m.loss(params, { x }, { noise, particles: 3 });
      const iw = m.iwae(params, { x }, noise, 2);
      const feeds = { ...m.init(key(30)), x: corpus(n, 31), ...noise.feeds(key(32), { N: n }) };
      return { values: interpret(g, [terms.elbo, iw], feeds).map(floats), nodes: g.nodes.length };
    };
    const [folded, each] = [run(n), run('N')];
    expect(folded.values).toEqual(each.values);
    // 2 decoders (one per bound) instead of 3 + 2 (708 nodes vs 1132 here).
    expect(folded.nodes).toBeLessThan(0.7 * each.nodes);
  });
});

describe('interpreter and onnxruntime-node agree on the loss and every gradient', () => {
  const cases: [string, TextVAEOptions, { train?: boolean; freeBits?: number; particles?: number }][] = [
    ['text VAE, word dropout (training step)', { ...small, wordDropout: 0.25 }, { train: true }],
    [
      'z at every step, 2 particles, free bits',
      { ...small, zEveryStep: true },
      { particles: 2, freeBits: 0.1 },
    ],
    ['latent-free LM', { ...small, lm: true }, {}],
  ];
  it.each(cases)('%s', async (_, opts, lossOpts) => {
    const m = textVAE(opts);
    const { g, params, noise, terms } = lossGraph(m, lossOpts);
    const names = Object.keys(params);
    const grads = grad(
      terms.loss,
      names.map((n) => params[n]!),
    );
    const n = 3;
    const feeds = { ...m.init(key(21)), x: corpus(n, 22), ...noise.feeds(key(23), { N: n }) };
    const outs = [terms.elbo, terms.loss, ...grads];
    const ours = interpret(g, outs, feeds);
    const ort = await runOrt(g, outs, feeds);
    expect(relError(ours[0]!, ort[0]!, 1e-2)).toBeLessThan(1e-5);
    expect(relError(ours[1]!, ort[1]!, 1e-2)).toBeLessThan(1e-5);
    names.forEach((name, i) => expect(relError(ours[i + 2]!, ort[i + 2]!, 1e-2), name).toBeLessThan(1e-4));
  });
});
