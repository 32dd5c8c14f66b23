/**
 * The ELBO of a bundle as its files compute it: the bundle's own encoder, posterior-sample, decoder
 * and score graphs (so float16-rounded or int8-quantised weights, dynamic activation quantisation
 * included, and the exported likelihood and prior). Used by `vae export` to put figures measured on
 * the bundle itself into an fp16/int8 manifest, and for `int8_logp_delta`.
 */

import { fold, normal, type PRNGKey } from '@vae/random';
import type { Backend, CompiledGraph } from '../backend/backend';
import { requireGraph } from '../bundle/index';
import { sliceRows } from '../eval/eval-graphs';
import type { SplitInputs } from '../eval/evaluate';
import type { HostTensor } from '../ir/dtype';
import type { Bundle } from './create';

const f32 = (shape: number[], data: Float32Array): HostTensor => ({ dtype: 'float32', shape, data });

/** The bundle's graphs on any backend, run as a browser runs them. */
export interface BundleRunner {
  /** Posterior loc and scale of `rows` (x, + c, + mask). */
  encode(rows: Record<string, HostTensor>): Promise<{ loc: HostTensor; scale: HostTensor }>;
  /** Decoder output at z [n, latent] (+ c in `rows`). */
  decode(z: HostTensor, rows: Record<string, HostTensor>): Promise<HostTensor>;
  /** The score graph with one sample (K = 1): elbo, recon, kl [n] for the given eps [1, n, latent]. */
  score(
    rows: Record<string, HostTensor>,
    q: { loc: HostTensor; scale: HostTensor },
    eps: HostTensor,
    params?: HostTensor,
  ): Promise<Record<string, HostTensor>>;
}

export async function bundleRunner(backend: Backend, bundle: Bundle): Promise<BundleRunner> {
  const { manifest: m, files } = bundle;
  const load = (file: string) => backend.load(files[file]!);
  const [enc, dec, post, score] = await Promise.all([
    load(m.encoder.file),
    load(m.decoder.file),
    load(requireGraph(m, 'posteriorSample').file),
    load(requireGraph(m, 'score').file),
  ]);
  const pick = (g: CompiledGraph, feeds: Record<string, HostTensor>) =>
    Object.fromEntries(g.inputNames.filter((k) => feeds[k]).map((k) => [k, feeds[k]!]));
  const runner: BundleRunner = {
    async encode(rows) {
      const { loc, scale } = await enc.run(pick(enc, rows));
      return { loc: loc!, scale: scale! };
    },
    async decode(z, rows) {
      return (await dec.run(pick(dec, { ...rows, z }))).params!;
    },
    async score(rows, q, eps, params) {
      const [n, L] = q.loc.shape as [number, number];
      let p = params;
      if (!p) {
        const { z } = await post.run({ ...q, eps });
        p = await runner.decode(f32([n, L], z!.data as Float32Array), rows);
      }
      const decoded = f32([1, ...p.shape], p.data as Float32Array);
      return score.run(pick(score, { ...rows, ...q, eps, params: decoded }));
    },
  };
  return runner;
}

/**
 * Per-example ELBO terms (nats) of a bundle on `inputs`, batched and with the same noise as
 * `elboPass` (batch b's eps is the first noise draw of `fold(key, b)`, [1, n, latent]).
 */
export async function bundleElboPass(
  backend: Backend,
  bundle: Bundle,
  inputs: SplitInputs,
  key: PRNGKey,
  batch = 500,
): Promise<{ n: number; elbo: Float64Array; recon: Float64Array; kl: Float64Array }> {
  const run = await bundleRunner(backend, bundle);
  const L = bundle.manifest.latent;
  const n = inputs.x!.shape[0]!;
  const out = { elbo: new Float64Array(n), recon: new Float64Array(n), kl: new Float64Array(n) };
  for (let b = 0, from = 0; from < n; b++, from += batch) {
    const to = Math.min(n, from + batch);
    const rows: Record<string, HostTensor> = {};
    for (const [name, t] of Object.entries(inputs)) rows[name] = sliceRows(t, from, to);
    const q = await run.encode(rows);
    const eps = f32([1, to - from, L], normal(fold(fold(key, b), 0), (to - from) * L));
    const r = await run.score(rows, q, eps);
    for (const k of ['elbo', 'recon', 'kl'] as const) out[k].set(r[k]!.data as Float32Array, from);
  }
  return { n, ...out };
}
