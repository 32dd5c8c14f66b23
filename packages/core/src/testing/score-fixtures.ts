/**
 * Test fixtures for the playground's e2e score check (run with tsx from its global setup): one small
 * bundle per likelihood and prior the bundle format allows, and what core's `iwaeBound` on the
 * interpreter gives for a batch of x with the noise infer-web's `score` draws from the same key.
 * Usage: `tsx packages/core/src/testing/score-fixtures.ts OUT_DIR` writes OUT_DIR/<case>/ (the
 * bundle's files) and OUT_DIR/cases.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { key, normal } from '@vae/random';
import { createBundle } from '../export/create';
import type { HostTensor } from '../ir/dtype';
import { Graph } from '../ir/graph';
import { interpret } from '../ir/interpret';
import type { VAE } from '../models/vae';
import { GraphNoise } from '../random/noise';
import { mlpCase, mog, std, tabularCase, vamp } from './probability-cases';

const n = 4;
const k = 8;
const seed = 77;
const mlp = mlpCase;
export const SCORE_CASES: [string, VAE][] = [
  ['bernoulli-std', mlp({ type: 'bernoulli' }, std)],
  ['bernoulli-conditional', mlp({ type: 'bernoulli' }, std, 2)],
  ['bernoulli-vamp', mlp({ type: 'bernoulli' }, vamp)],
  ['cbernoulli-mog', mlp({ type: 'continuous-bernoulli' }, mog)],
  ['gaussian-vamp', mlp({ type: 'gaussian', scale: 0.3 }, vamp)],
  ['gaussian-learned-mog', mlp({ type: 'gaussian', scale: 'learned' }, mog)],
  ['dlogistic-std', mlp({ type: 'discretized-logistic' }, std)],
  ['tabular-mog', tabularCase(mog)],
];

export interface ScoreCase {
  name: string;
  files: string[];
  n: number;
  k: number;
  seed: number;
  x: number[];
  c?: number[];
  mask?: number[];
  /** -iwaeBound per example (what `score` returns), core on the interpreter. */
  want: number[];
}

const f32 = (shape: number[], data: Float32Array): HostTensor => ({ dtype: 'float32', shape, data });

/** Runs `build` on the interpreter with the parameters as inputs and noise from `noiseKey`. */
function run(
  vae: VAE,
  params: Record<string, HostTensor>,
  feeds: Record<string, HostTensor>,
  build: (
    g: Graph,
    p: Record<string, import('../ir/tensor').Tensor>,
    noise: GraphNoise,
  ) => import('../ir/tensor').Tensor,
  noiseSeed: number,
) {
  const g = new Graph();
  const inputs = Object.fromEntries(
    Object.entries(feeds).map(([name, t]) => [name, g.input(name, ['N', ...t.shape.slice(1)])]),
  );
  const p = { ...vae.paramInputs(g), ...inputs };
  const noise = new GraphNoise(g);
  const out = build(g, p, noise);
  const [v] = interpret(g, [out], { ...params, ...feeds, ...noise.feeds(key(noiseSeed), { N: n }) });
  return v!.data as Float32Array;
}

export async function writeScoreFixtures(dir: string): Promise<ScoreCase[]> {
  const cases: ScoreCase[] = [];
  for (const [name, vae] of SCORE_CASES) {
    const s = vae.spec;
    const params = vae.init(key(5));
    for (const p of ['prior.logits', 'lik.logScale'])
      if (params[p]) params[p] = { ...params[p], data: normal(key(6), params[p].data.length, { std: 0.3 }) };
    const bundle = await createBundle(vae, params);
    mkdirSync(join(dir, name), { recursive: true });
    for (const [file, bytes] of Object.entries(bundle.files)) writeFileSync(join(dir, name, file), bytes);
    const feeds: Record<string, HostTensor> = {};
    if (s.condition)
      feeds.c = f32(
        [n, 2],
        Float32Array.from({ length: 2 * n }, (_, i) => (i % 2 === (i >> 1) % 2 ? 1 : 0)),
      );
    const cols = s.likelihood.type === 'tabular' ? s.likelihood.columns.length : 0;
    if (cols)
      feeds.mask = f32(
        [n, cols],
        Float32Array.from({ length: n * cols }, (_, i) => (i % 5 === 4 ? 0 : 1)),
      );
    // x: a draw of the model, so it lies in the likelihood's support.
    const z = f32([n, s.latent], normal(key(7), n * s.latent));
    const x = run(
      vae,
      params,
      { z, ...(feeds.c ? { c: feeds.c } : {}) },
      (_g, p, noise) => vae.decode(p, p.z!, { c: p.c }).sample(noise),
      8,
    );
    feeds.x = f32([n, ...s.dataShape], x);
    const bound = run(
      vae,
      params,
      feeds,
      (_g, p, noise) =>
        vae.iwae(p, { x: p.x!, ...(p.c ? { c: p.c } : {}), ...(p.mask ? { mask: p.mask } : {}) }, noise, k),
      seed,
    );
    cases.push({
      name,
      files: Object.keys(bundle.files),
      n,
      k,
      seed,
      x: Array.from(x),
      ...(feeds.c ? { c: Array.from(feeds.c.data as Float32Array) } : {}),
      ...(feeds.mask ? { mask: Array.from(feeds.mask.data as Float32Array) } : {}),
      want: Array.from(bound, (v) => -v),
    });
  }
  writeFileSync(join(dir, 'cases.json'), JSON.stringify(cases));
  return cases;
}

const out = process.argv[2];
if (out && process.argv[1]?.endsWith('score-fixtures.ts')) await writeScoreFixtures(out);
