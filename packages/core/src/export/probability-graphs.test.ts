// The probability graphs of a bundle on onnxruntime-node equal the model's own graphs on the
// interpreter with the same noise: score vs iwaeBound and the ELBO terms, data mean and sample vs
// the likelihood's, prior sample vs the prior's, for every likelihood and prior the format allows.
import { fold, key, normal, uniform } from '@vae/random';
import { describe, expect, it } from 'vitest';
import type { HostTensor } from '../ir/dtype';
import { Graph } from '../ir/graph';
import { interpret } from '../ir/interpret';
import type { Tensor } from '../ir/tensor';
import type { LikelihoodSpec, PriorSpec } from '../models/spec';
import type { VAE } from '../models/vae';
import { GraphNoise } from '../random/noise';
import { mlpCase, mog, std, tabularCase, vamp } from '../testing/probability-cases';
import { createBundle } from './create';
import { runFile, tensor } from './test-helpers';

const mlp = (likelihood: LikelihoodSpec, prior: PriorSpec, condition = false) =>
  mlpCase(likelihood, prior, condition ? 2 : undefined);
const PROBABILITY_CASES: [string, VAE][] = [
  ['bernoulli / standard-normal', mlp({ type: 'bernoulli' }, std)],
  ['bernoulli / standard-normal, conditional', mlp({ type: 'bernoulli' }, std, true)],
  ['continuous-bernoulli / mog', mlp({ type: 'continuous-bernoulli' }, mog)],
  ['gaussian (fixed) / vamp', mlp({ type: 'gaussian', scale: 0.3 }, vamp)],
  ['gaussian (learned) / standard-normal', mlp({ type: 'gaussian', scale: 'learned' }, std)],
  ['discretized-logistic / mog', mlp({ type: 'discretized-logistic' }, mog)],
  ['tabular / mog', tabularCase(mog)],
];

const N = 5;
const f32 = (t: HostTensor | Float32Array) => ('data' in t ? (t.data as Float32Array) : t);
/** max |a - b| / max(1, |b|), elementwise. */
function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!) / Math.max(1, Math.abs(b[i]!)));
  return m;
}

/** Trained-looking parameters: init, with the prior's and likelihood's own parameters moved off 0. */
function paramsOf(vae: VAE): Record<string, HostTensor> {
  const p = vae.init(key(3));
  for (const [i, n] of ['prior.logits', 'prior.logScale', 'lik.logScale'].entries())
    if (p[n]) p[n] = { ...p[n], data: normal(key(10 + i), p[n].data.length, { std: 0.3 }) };
  return p;
}

/** Runs `build` on the interpreter with the model's parameters as inputs. */
function onInterpreter(
  vae: VAE,
  params: Record<string, HostTensor>,
  feeds: Record<string, HostTensor>,
  build: (g: Graph, p: Record<string, Tensor>, noise: GraphNoise) => Record<string, Tensor>,
  noiseKey = key(99),
  dims: Record<string, number> = {},
): Record<string, Float32Array> {
  const g = new Graph('reference');
  const inputs = Object.fromEntries(Object.entries(feeds).map(([n, t]) => [n, g.input(n, t.shape)]));
  const p = vae.paramInputs(g);
  const noise = new GraphNoise(g);
  const outs = build(g, { ...p, ...inputs }, noise);
  const names = Object.keys(outs);
  const vals = interpret(
    g,
    names.map((n) => outs[n]!),
    { ...params, ...feeds, ...noise.feeds(noiseKey, dims) },
  );
  return Object.fromEntries(names.map((n, i) => [n, vals[i]!.data as Float32Array]));
}

describe.each(PROBABILITY_CASES)('probability graphs of a %s bundle', (_name, vae) => {
  const s = vae.spec;
  const L = s.latent;
  // Core's own VAE.iwae / VAE.loss (the reference) do not repeat c over K > 1 samples (a Concat
  // shape error in decodeParams), so the conditional case scores with K = 1.
  const K = s.condition ? 1 : 4;
  const params = paramsOf(vae);
  const bundleP = createBundle(vae, params);
  const file = async (role: 'dataMean' | 'dataSample' | 'posteriorSample' | 'score' | 'priorSample') => {
    const b = await bundleP;
    return b.files[b.manifest.graphs[role]!.file]!;
  };
  const c = s.condition
    ? tensor(
        [N, 2],
        Float32Array.from({ length: 2 * N }, (_, i) => (i % 2 === (i >> 1) % 2 ? 1 : 0)),
      )
    : undefined;
  const cols = s.likelihood.type === 'tabular' ? s.likelihood.columns.length : 0;
  const mask = cols
    ? tensor(
        [N, cols],
        Float32Array.from({ length: N * cols }, (_, i) => (i % 4 === 3 ? 0 : 1)),
      )
    : undefined;
  const z = tensor([N, L], normal(key(5), N * L));

  /** Decoder output at z on onnxruntime-node. */
  const decode = async (zz: HostTensor, cc = c) =>
    f32(
      (await runFile((await bundleP).files['decoder.onnx']!, { z: zz, ...(cc ? { c: cc } : {}) })).out
        .params!,
    );

  it('data mean and data sample equal the likelihood`s mean and sample (same noise)', async () => {
    const b = await bundleP;
    const pShape = b.manifest.decoder.outputs[0]!.shape.slice(1) as number[];
    const out = tensor([N, ...pShape], await decode(z));
    const mean = (await runFile(await file('dataMean'), { params: out })).out.mean!;
    const ref = onInterpreter(vae, params, { z, ...(c ? { c } : {}) }, (_g, p) => ({
      mean: vae.decode(p, p.z!, { c: p.c }).mean,
    }));
    expect(maxRelDiff(mean, ref.mean!)).toBeLessThanOrEqual(1e-5);
    const info = b.manifest.graphs.dataSample!;
    const noiseKey = key(7);
    const refS = onInterpreter(
      vae,
      params,
      { z, ...(c ? { c } : {}) },
      (_g, p, noise) => ({ sample: vae.decode(p, p.z!, { c: p.c }).sample(noise) }),
      noiseKey,
      { N },
    );
    const feeds: Record<string, HostTensor> = { params: out };
    info.inputs
      .filter((t) => t.noise)
      .forEach((t, i) => {
        const shape = t.shape.map((d) => (d === 'N' ? N : d)) as number[];
        const n = shape.reduce((a, d) => a * d, 1);
        feeds[t.name] = tensor(
          shape,
          t.noise === 'normal' ? normal(fold(noiseKey, i), n) : uniformOf(noiseKey, i, n),
        );
      });
    const sample = (await runFile(await file('dataSample'), feeds)).out.sample!;
    expect(maxRelDiff(sample, refS.sample!)).toBeLessThanOrEqual(1e-5);
  });

  it('score equals iwaeBound and the ELBO terms on the interpreter (same eps)', async () => {
    const b = await bundleP;
    // x: a draw of the model itself, so it lies in every likelihood's support.
    const pShape = b.manifest.decoder.outputs[0]!.shape.slice(1) as number[];
    const xs = onInterpreter(
      vae,
      params,
      { z, ...(c ? { c } : {}) },
      (_g, p, noise) => ({ x: vae.decode(p, p.z!, { c: p.c }).sample(noise) }),
      key(8),
      { N },
    ).x!;
    const x = tensor([N, ...s.dataShape], xs);
    const enc = (
      await runFile(b.files['encoder.onnx']!, { x, ...(c ? { c } : {}), ...(mask ? { mask } : {}) })
    ).out;
    const eps = tensor([K, N, L], normal(fold(key(9), 0), K * N * L));
    const loc = tensor([N, L], enc.loc!);
    const scale = tensor([N, L], enc.scale!);
    const zk = (await runFile(await file('posteriorSample'), { loc, scale, eps })).out.z!;
    const cc = c
      ? tensor([K * N, 2], Float32Array.from(Array.from({ length: K }, () => Array.from(f32(c))).flat()))
      : undefined;
    const out = await decode(tensor([K * N, L], zk), cc);
    const sc = (
      await runFile(await file('score'), {
        x,
        ...(mask ? { mask } : {}),
        loc,
        scale,
        eps,
        params: tensor([K, N, ...pShape], out),
      })
    ).out;
    const batchFeeds = { x, ...(c ? { c } : {}), ...(mask ? { mask } : {}), eps };
    const ref = onInterpreter(vae, params, batchFeeds, (_g, p) => {
      const noise = { normal: () => p.eps!, uniform: () => p.eps! };
      const batch = { x: p.x!, ...(p.c ? { c: p.c } : {}), ...(p.mask ? { mask: p.mask } : {}) };
      const t = vae.loss(p, batch, { noise, particles: K });
      return { iwae: vae.iwae(p, batch, noise, K), elbo: t.elbo, recon: t.recon, kl: t.kl };
    });
    for (const k of ['iwae', 'elbo', 'recon', 'kl'] as const) {
      const d = maxRelDiff(sc[k]!, ref[k]!);
      console.log(`${_name}: ${k} max rel diff ${d.toExponential(2)}`);
      expect(d).toBeLessThanOrEqual(1e-5);
    }
    expect(sc.logw!.length).toBe(K * N);
  });

  it.runIf(s.prior.type !== 'standard-normal')(
    'prior sample equals the prior`s sample (same noise)',
    async () => {
      const b = await bundleP;
      const info = b.manifest.graphs.priorSample!;
      const noiseKey = key(11);
      const feeds: Record<string, HostTensor> = {};
      info.inputs.forEach((t, i) => {
        const shape = t.shape.map((d) => (d === 'N' ? N : d)) as number[];
        const n = shape.reduce((a, d) => a * d, 1);
        feeds[t.name] = tensor(
          shape,
          t.noise === 'normal' ? normal(fold(noiseKey, i), n) : uniformOf(noiseKey, i, n),
        );
      });
      const got = (await runFile(await file('priorSample'), feeds)).out.z!;
      const ref = onInterpreter(
        vae,
        params,
        {},
        (g, p, noise) => ({ z: vae.prior(p, g).sample(noise, ['N']) }),
        noiseKey,
        {
          N,
        },
      );
      expect(maxRelDiff(got, ref.z!)).toBeLessThanOrEqual(1e-5);
    },
  );
});

const uniformOf = (k: ReturnType<typeof key>, i: number, n: number) => uniform(fold(k, i), n);
