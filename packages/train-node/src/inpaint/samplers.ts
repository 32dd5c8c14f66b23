/**
 * The two image samplers of `vae impute`, on any core Backend (onnxruntime-node in the CLI):
 * importance sampling (core's `importanceInpaintGraph`) and Metropolis-within-Gibbs (core's
 * `metropolisWithinGibbs` over `roleGibbsGraphs`, the graphs a bundle ships, so the browser runs the
 * same chain).
 */
import {
  type Backend,
  type HostTensor,
  importanceInpaintGraph,
  metropolisWithinGibbs,
  roleGibbsGraphs,
} from '@vae/core';
import { fold, key } from '@vae/random';
import { f32Tensor as f32 } from '../render/model-images';
import type { LoadedRun } from '../run/run-dir';

/** Model inputs of `n` examples: x [n, ...dataShape] and, for conditional models, c [n, classes]. */
export interface InpaintInputs {
  readonly n: number;
  /** The examples as the model is fed them, missing entries set to the starting fill. */
  readonly x: Float32Array;
  /** 1 where an entry is missing, laid out like x. */
  readonly missing: Float32Array;
  readonly c?: HostTensor;
}

/** Examples and importance samples per run: bounds the [K, N, ...] tensors of one run. */
const ROWS_PER_RUN = 16384;

/**
 * E[x | x_obs] by self-normalised importance sampling with `samples` draws per example (MIWAE's
 * imputation). Batch b of the inputs takes its noise from `fold(key(seed), b)`.
 * @returns the model's mean at every entry (the caller keeps the observed ones), and the weights'
 *   mean effective sample size per example
 */
export async function importanceFill(
  backend: Backend,
  run: LoadedRun,
  inp: InpaintInputs,
  o: { samples: number; seed: number; onChunk?: (done: number, total: number) => void },
): Promise<{ mean: Float32Array; ess: number }> {
  const shape = run.vae.spec.dataShape;
  const d = inp.x.length / inp.n;
  const batch = Math.max(1, Math.floor(ROWS_PER_RUN / o.samples));
  const built = importanceInpaintGraph(run.vae, o.samples);
  const graph = await backend.compile(`inpaint_is_${o.samples}`, () => built);
  const out = new Float32Array(inp.x.length);
  let essSum = 0;
  const total = Math.ceil(inp.n / batch);
  for (let b = 0, from = 0; from < inp.n; b++, from += batch) {
    const to = Math.min(inp.n, from + batch);
    const rows = (a: Float32Array) => f32([to - from, ...shape], a.subarray(from * d, to * d));
    const feeds: Record<string, HostTensor> = {
      ...run.params,
      ...built.noise.feeds(fold(key(o.seed), b), { N: to - from }),
      x: rows(inp.x),
      missing: rows(inp.missing),
    };
    if (inp.c) feeds.c = sliceC(inp.c, from, to);
    const res = await graph.run(feeds);
    out.set(res.mean!.data as Float32Array, from * d);
    essSum += effectiveSampleSize(res.logw!.data as Float32Array, o.samples, to - from);
    o.onChunk?.(b + 1, total);
  }
  return { mean: out, ess: essSum / inp.n };
}

/**
 * Kish's effective sample size of each example's self-normalised weights, (sum w)^2 / sum w^2, from
 * log-weights [k, n], summed over the n examples: k when the weights are equal, 1 when one dominates.
 */
export function effectiveSampleSize(logw: ArrayLike<number>, k: number, n: number): number {
  let total = 0;
  for (let i = 0; i < n; i++) {
    let max = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < k; j++) max = Math.max(max, logw[j * n + i]!);
    let s = 0;
    let s2 = 0;
    for (let j = 0; j < k; j++) {
      const w = Math.exp(logw[j * n + i]! - max);
      s += w;
      s2 += w * w;
    }
    total += (s * s) / s2;
  }
  return total;
}

function sliceC(c: HostTensor, from: number, to: number): HostTensor {
  const w = c.shape[1]!;
  return f32([to - from, w], (c.data as Float32Array).subarray(from * w, to * w));
}

/**
 * E[x | x_obs] by Metropolis-within-Gibbs (`metropolis: false`: pseudo-Gibbs) over the run's graphs.
 * The chain starts from the inputs' fill and uses `key(seed)`.
 */
export async function gibbsFill(
  backend: Backend,
  run: LoadedRun,
  inp: InpaintInputs,
  o: { iters: number; seed: number; metropolis?: boolean; onIter?: (done: number, total: number) => void },
): Promise<{ filled: Float32Array; acceptance: number }> {
  return metropolisWithinGibbs(roleGibbsGraphs(backend, run.vae, run.params, inp.c), inp.x, inp.missing, {
    n: inp.n,
    latent: run.vae.spec.latent,
    iters: o.iters,
    key: key(o.seed),
    ...(o.metropolis === false ? { metropolis: false } : {}),
    ...(o.onIter ? { onIter: o.onIter } : {}),
  });
}
