import type { SplitInputs } from '@vae/core';
import { fold, type HostTensor, type PRNGKey, sliceRows, type VAE } from '@vae/core';
import type { OrtBackend } from '../backend/ort-backend';
import { buildPosteriorGraph, buildRegretGraph } from './score-graphs';

/**
 * Likelihood regret (Xiao, Yan & Amit 2020, "Likelihood Regret: An Out-of-Distribution Detection
 * Score for Variational Auto-encoders"): how much the ELBO of an example improves when its
 * variational posterior is fitted to it alone instead of taken from the trained encoder. Xiao et al.
 * re-fit the encoder's weights per example; here the per-example posterior (loc, log scale) is
 * fitted directly, which needs no per-example copy of the weights and batches across examples. The
 * start is the encoder's posterior; the z noise is fixed across steps (common random numbers), so
 * the start and every step are scored on the same draws and the regret is the best -ELBO's drop.
 */

/** Settings of {@link likelihoodRegret}. */
export interface RegretOptions {
  /** Adam steps per example (default 50). */
  readonly steps?: number;
  /** Adam learning rate on loc and log scale (default 0.05). */
  readonly lr?: number;
  /** z samples per ELBO (default 4). */
  readonly particles?: number;
  /** Examples per run (default 250). */
  readonly batch?: number;
  readonly onBatch?: (done: number, total: number) => void;
}

/** Adam on a flat parameter vector, in place (torch's defaults: betas 0.9, 0.999, eps 1e-8). */
function adamStep(p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, t: number, lr: number) {
  const b1 = 0.9;
  const b2 = 0.999;
  const c1 = 1 - b1 ** t;
  const c2 = 1 - b2 ** t;
  for (let i = 0; i < p.length; i++) {
    m[i] = b1 * m[i]! + (1 - b1) * g[i]!;
    v[i] = b2 * v[i]! + (1 - b2) * g[i]! * g[i]!;
    p[i]! -= (lr * (m[i]! / c1)) / (Math.sqrt(v[i]! / c2) + 1e-8);
  }
}

/**
 * Per-example likelihood regret in nats (>= 0): the encoder posterior's -ELBO minus the lowest
 * -ELBO reached by fitting that example's posterior.
 */
export async function likelihoodRegret(
  backend: OrtBackend,
  vae: VAE,
  params: Readonly<Record<string, HostTensor>>,
  inputs: SplitInputs,
  key: PRNGKey,
  o: RegretOptions = {},
): Promise<Float64Array> {
  const steps = o.steps ?? 50;
  const lr = o.lr ?? 0.05;
  const particles = o.particles ?? 4;
  const batch = o.batch ?? 250;
  const L = vae.spec.latent;
  const built = buildRegretGraph(vae, particles);
  const step = await backend.compile(`regret:${particles}:${JSON.stringify(vae.spec)}`, () => built);
  const encoder = await backend.compile(`posterior:${JSON.stringify(vae.spec)}`, () =>
    buildPosteriorGraph(vae),
  );
  const n = inputs.x!.shape[0]!;
  const out = new Float64Array(n);
  for (let b = 0, from = 0; from < n; b++, from += batch) {
    const to = Math.min(n, from + batch);
    const rows: Record<string, HostTensor> = {};
    for (const [name, t] of Object.entries(inputs)) rows[name] = sliceRows(t, from, to);
    const q = await encoder.run({ ...params, ...rows });
    const loc = Float32Array.from(q.loc!.data as Float32Array);
    const logScale = Float32Array.from(q.logScale!.data as Float32Array);
    const m = [new Float32Array(loc.length), new Float32Array(loc.length)];
    const v = [new Float32Array(loc.length), new Float32Array(loc.length)];
    const noise = built.noise.feeds(fold(key, b), { N: to - from });
    const shape = [to - from, L];
    let start: Float32Array | null = null;
    const best = new Float64Array(to - from).fill(Number.POSITIVE_INFINITY);
    for (let t = 0; t <= steps; t++) {
      const r = await step.run({
        ...params,
        ...rows,
        ...noise,
        loc: { dtype: 'float32', shape, data: loc },
        logScale: { dtype: 'float32', shape, data: logScale },
      });
      const neg = r.negElbo!.data as Float32Array;
      start ??= Float32Array.from(neg);
      for (let i = 0; i < neg.length; i++) if (neg[i]! < best[i]!) best[i] = neg[i]!;
      if (t === steps) break;
      adamStep(loc, r.gLoc!.data as Float32Array, m[0]!, v[0]!, t + 1, lr);
      adamStep(logScale, r.gLogScale!.data as Float32Array, m[1]!, v[1]!, t + 1, lr);
    }
    for (let i = 0; i < best.length; i++) out[from + i] = start![i]! - best[i]!;
    o.onBatch?.(to, n);
  }
  return out;
}
