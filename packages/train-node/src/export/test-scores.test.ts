// The manifest's testScores against independent recomputations on the same test examples: the
// written encoder.onnx and decoder.onnx run here, the rest of −log p(x) in float64 JS with the noise
// infer-web's score(x, k, seed) draws for one example; and, statistically, the training graph's
// importance-sampled bound (what `vae score --score nll --iw K` runs) with its own noise.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type BundleManifest,
  fold,
  type HostTensor,
  importanceSampledLogLikelihood,
  key,
  normal,
  parseManifestText,
} from '@vae/core';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrtBackend } from '../backend/ort-backend';
import { loadRunData, splitInputs } from '../data/load-data';
import { loadRun } from '../run/run-dir';
import { tinyRun } from '../testing/fixtures';
import { exportRun } from './export-run';

const outs = mkdtempSync(join(tmpdir(), 'vae-test-scores-'));
afterAll(() => rmSync(outs, { recursive: true, force: true }));
let run = '';
let conditional = '';
beforeAll(async () => {
  [run, conditional] = await Promise.all([tinyRun(), tinyRun({ conditional: true })]);
}, 240_000);

const N = 300;
const opts = { parityExamples: 32, mapExamples: 100, threads: 1 };

/** log N(v; mu, sd) summed over a row, float64. */
const logNormal = (v: ArrayLike<number>, mu: ArrayLike<number> | null, sd: ArrayLike<number> | null) => {
  let s = 0;
  for (let j = 0; j < v.length; j++) {
    const d = (v[j]! - (mu?.[j] ?? 0)) / (sd?.[j] ?? 1);
    s += -0.5 * d * d - Math.log(sd?.[j] ?? 1) - 0.5 * Math.log(2 * Math.PI);
  }
  return s;
};

/**
 * −log p(x) of each example, batch of one, K samples: eps = normal(fold(key(seed), 0), K L) as
 * infer-web draws it, z = loc + scale eps, Bernoulli log p(x|z) + log p(z) - log q(z|x), logsumexp.
 */
async function recompute(dir: string, x: HostTensor, c: HostTensor | undefined, k: number, seed: number) {
  const [n, D] = x.shape as [number, number];
  const xs = x.data as Float32Array;
  const C = c ? c.shape[1]! : 0;
  const session = (f: string) => ort.InferenceSession.create(join(dir, f));
  const [enc, dec] = await Promise.all([session('encoder.onnx'), session('decoder.onnx')]);
  const cFeed = (rows: number, from: (r: number) => number) => {
    const d = new Float32Array(rows * C);
    for (let r = 0; r < rows; r++)
      d.set((c!.data as Float32Array).subarray(from(r) * C, from(r) * C + C), r * C);
    return { c: new ort.Tensor('float32', d, [rows, C]) };
  };
  try {
    const e = await enc.run({
      x: new ort.Tensor('float32', xs, [n, D]),
      ...(c ? cFeed(n, (r) => r) : {}),
    });
    const loc = e.loc!.data as Float32Array;
    const scale = e.scale!.data as Float32Array;
    const L = loc.length / n;
    const eps = normal(fold(key(seed), 0), k * L);
    // Every example's K draws in one decoder run: row i * k + j is example i, sample j.
    const z = new Float32Array(n * k * L);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < k; j++)
        for (let d = 0; d < L; d++)
          z[(i * k + j) * L + d] = loc[i * L + d]! + Math.fround(scale[i * L + d]! * eps[j * L + d]!);
    const logits = (
      await dec.run({
        z: new ort.Tensor('float32', z, [n * k, L]),
        ...(c ? cFeed(n * k, (r) => Math.floor(r / k)) : {}),
      })
    ).params!.data as Float32Array;
    return Float64Array.from({ length: n }, (_, i) => {
      const mu = loc.subarray(i * L, i * L + L);
      const sd = scale.subarray(i * L, i * L + L);
      const logw = Array.from({ length: k }, (_, j) => {
        const r = i * k + j;
        const zr = z.subarray(r * L, r * L + L);
        let lik = 0;
        for (let f = 0; f < D; f++) {
          const l = logits[r * D + f]!;
          lik += xs[i * D + f]! * l - (Math.max(l, 0) + Math.log1p(Math.exp(-Math.abs(l))));
        }
        return lik + logNormal(zr, null, null) - logNormal(zr, mu, sd);
      });
      const max = Math.max(...logw);
      return -(max + Math.log(logw.reduce((s, w) => s + Math.exp(w - max), 0)) - Math.log(k));
    });
  } finally {
    await Promise.all([enc.release(), dec.release()]);
  }
}

/** Percentiles 0..100 of `v` by the textbook formula: rank (n - 1) p / 100, interpolated. */
function percentiles(v: Float64Array): number[] {
  const s = Array.from(v).sort((a, b) => a - b);
  return Array.from({ length: 101 }, (_, p) => {
    const r = ((s.length - 1) * p) / 100;
    const i = Math.floor(r);
    return i + 1 < s.length ? s[i]! * (1 - (r - i)) + s[i + 1]! * (r - i) : s[i]!;
  });
}

async function testInputs(dir: string, n: number) {
  const r = loadRun(dir);
  const data = await loadRunData(r.config);
  return { r, inputs: splitInputs(data.test, r.config.data, r.vae.spec.condition?.size ?? 0, n) };
}

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i]!)));

describe('vae export: testScores', () => {
  it('ships percentiles and a histogram of the first n test scores that match a recomputation from the files', async () => {
    const t0 = performance.now();
    const r = await exportRun({ run, out: join(outs, 'plain'), testScores: N, ...opts });
    const ms = performance.now() - t0;
    const m: BundleManifest = parseManifestText(readFileSync(join(r.dir, 'manifest.json')));
    const t = m.testScores!;
    expect(t).toMatchObject({ measure: 'iwae', k: 64, seed: 7, n: N, split: 'test' });
    const { inputs } = await testInputs(run, N);
    const want = await recompute(r.dir, inputs.x!, undefined, t.k, t.seed);
    const q = percentiles(want);
    const d = maxDiff(t.quantiles, q);
    console.log(
      `testScores (n ${N}, k ${t.k}): export ${ms.toFixed(0)} ms; median ${t.quantiles[50]!.toFixed(3)} nats, ` +
        `5%..95% ${t.quantiles[5]!.toFixed(2)}..${t.quantiles[95]!.toFixed(2)}; max |shipped - recomputed| over 101 percentiles ${d.toExponential(2)}`,
    );
    expect(d).toBeLessThan(2e-3);
    // The histogram counts the same scores: recounted with the shipped edges (a score within float
    // rounding of an edge may fall either side).
    const { edges, counts } = t.histogram;
    expect(edges[0]).toBeCloseTo(q[0]!, 2);
    expect(edges.at(-1)).toBeCloseTo(q[100]!, 2);
    const recount = counts.map(
      (_, b) => want.filter((v) => v >= edges[b]! && (v < edges[b + 1]! || b === counts.length - 1)).length,
    );
    expect(counts.reduce((a, b) => a + b, 0)).toBe(N);
    expect(recount.reduce((s, v, b) => s + Math.abs(v - counts[b]!), 0)).toBeLessThanOrEqual(2);
  });

  it("agrees statistically with the training graph's importance-sampled bound (vae score --iw 64) on other noise", async () => {
    const r = await exportRun({ run, out: join(outs, 'stat'), testScores: N, ...opts });
    const t = r.manifest.testScores!;
    const { r: loaded, inputs } = await testInputs(run, N);
    const backend = new OrtBackend({ threads: 1, noPrepacking: true });
    try {
      const logp = await importanceSampledLogLikelihood(
        backend,
        loaded.vae,
        loaded.params,
        inputs,
        key(123),
        {
          k: t.k,
        },
      );
      const q = percentiles(logp.map((v) => -v));
      const gap = Math.max(...[10, 25, 50, 75, 90].map((p) => Math.abs(q[p]! - t.quantiles[p]!)));
      const spread = t.quantiles[95]! - t.quantiles[5]!;
      console.log(
        `training graph, other noise: median ${q[50]!.toFixed(3)}; worst gap at 10/25/50/75/90% ${gap.toFixed(3)} nats (${((100 * gap) / spread).toFixed(2)}% of the 5..95% spread ${spread.toFixed(1)})`,
      );
      // Same estimator, other draws: percentiles differ by the estimator's noise, small next to the
      // spread of the test scores (a different measure, e.g. -ELBO or another K, would shift them all).
      expect(gap / spread).toBeLessThan(0.03);
    } finally {
      await backend.dispose();
    }
  });

  it('scores a conditional bundle with the true labels', async () => {
    const r = await exportRun({ run: conditional, out: join(outs, 'cond'), testScores: 100, ...opts });
    const t = r.manifest.testScores!;
    const { inputs } = await testInputs(conditional, 100);
    expect(inputs.c).toBeDefined();
    const want = await recompute(r.dir, inputs.x!, inputs.c, t.k, t.seed);
    expect(maxDiff(t.quantiles, percentiles(want))).toBeLessThan(2e-3);
  });

  it('--test-scores 0 writes no field (and exports faster)', async () => {
    const t0 = performance.now();
    const r = await exportRun({ run, out: join(outs, 'none'), testScores: 0, ...opts });
    const without = performance.now() - t0;
    expect(r.manifest.testScores).toBeUndefined();
    const t1 = performance.now();
    const w = await exportRun({ run, out: join(outs, 'default'), ...opts });
    const withDefault = performance.now() - t1;
    expect(w.manifest.testScores!.n).toBe(2000);
    console.log(
      `export without testScores ${without.toFixed(0)} ms; with the default 2000 examples ${withDefault.toFixed(0)} ms`,
    );
  });
});
