/**
 * The test set's scores on the playground's own measure, for a bundle's `testScores`: −log p(x) by
 * the bundle's encoder, posterior-sample, decoder and score graphs with K importance samples, the
 * noise of each example being what @vae/infer-web's `score(x, k, seed)` draws for a batch of one
 * (eps = normal(fold(key(seed), 0), K * latent), as [K, 1, latent]). Every example gets that same
 * noise, so a test image scored here and the same image scored in a page give the same number.
 */

import { fold, key, normal } from '@vae/random';
import type { Backend } from '../backend/backend';
import { type BundleTestScores, requireGraph, summarizeTestScores } from '../bundle/index';
import { sliceRows } from '../eval/eval-graphs';
import type { SplitInputs } from '../eval/evaluate';
import type { HostTensor } from '../ir/dtype';
import { bundleRunner } from './bundle-elbo';
import type { Bundle } from './create';

/** Importance samples, as the playground's drawing pad and upload box score (their K). */
export const TEST_SCORE_K = 64;
/** The noise key's seed, as the playground's drawing pad and upload box score (their key). */
export const TEST_SCORE_SEED = 7;
/** Test examples scored unless told otherwise (the first ones of the split). */
export const TEST_SCORE_EXAMPLES = 2000;

const f32 = (shape: number[], data: Float32Array): HostTensor => ({ dtype: 'float32', shape, data });

/** `t` [b, ...] repeated k times along a new leading block: [k * b, ...], sample-major. */
function repeatRows(t: HostTensor, k: number): HostTensor {
  const src = t.data as Float32Array;
  const out = new Float32Array(src.length * k);
  for (let j = 0; j < k; j++) out.set(src, j * src.length);
  return f32([k * t.shape[0]!, ...t.shape.slice(1)], out);
}

/**
 * −log p(x) (nats) of every example of `inputs` (x, + c: conditional bundles score with the true
 * label) by the bundle's own graphs, `k` samples, the noise of `score(x, k, seed)` per example.
 */
export async function bundleTestScores(
  backend: Backend,
  bundle: Bundle,
  inputs: SplitInputs,
  o: { k: number; seed: number; maxRows?: number },
): Promise<Float64Array> {
  const m = bundle.manifest;
  const L = m.latent;
  const K = o.k;
  const runner = await bundleRunner(backend, bundle);
  const [post, score] = await Promise.all([
    backend.load(bundle.files[requireGraph(m, 'posteriorSample').file]!),
    backend.load(bundle.files[requireGraph(m, 'score').file]!),
  ]);
  const base = normal(fold(key(o.seed), 0), K * L); // [K, latent]: one example's noise
  const n = inputs.x!.shape[0]!;
  const batch = Math.max(1, Math.floor((o.maxRows ?? 8192) / K)); // decoded rows per run
  const out = new Float64Array(n);
  for (let from = 0; from < n; from += batch) {
    const to = Math.min(n, from + batch);
    const b = to - from;
    const rows: Record<string, HostTensor> = {};
    for (const [name, t] of Object.entries(inputs)) rows[name] = sliceRows(t, from, to);
    const q = await runner.encode(rows);
    const eps = new Float32Array(K * b * L);
    for (let j = 0; j < K; j++)
      for (let i = 0; i < b; i++) eps.set(base.subarray(j * L, (j + 1) * L), (j * b + i) * L);
    const e = f32([K, b, L], eps);
    const { z } = await post.run({ ...q, eps: e });
    const zRows = f32([K * b, L], z!.data as Float32Array);
    const p = await runner.decode(zRows, rows.c ? { c: repeatRows(rows.c, K) } : {});
    const params = f32([K, b, ...p.shape.slice(1)], p.data as Float32Array);
    const feeds: Record<string, HostTensor> = { ...rows, ...q, eps: e, params };
    const r = await score.run(Object.fromEntries(score.inputNames.map((k) => [k, feeds[k]!])));
    const iwae = r.iwae!.data as Float32Array;
    for (let i = 0; i < b; i++) out[from + i] = -iwae[i]!;
  }
  return out;
}

/** {@link bundleTestScores} summarised for the manifest (percentiles and a histogram). */
export async function testScoreSummary(
  backend: Backend,
  bundle: Bundle,
  inputs: SplitInputs,
  o: { k?: number; seed?: number } = {},
): Promise<BundleTestScores> {
  const k = o.k ?? TEST_SCORE_K;
  const seed = o.seed ?? TEST_SCORE_SEED;
  return summarizeTestScores(await bundleTestScores(backend, bundle, inputs, { k, seed }), { k, seed });
}
