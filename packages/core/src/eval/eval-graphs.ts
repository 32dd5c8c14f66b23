import type { HostTensor } from '../ir/dtype';
import { Graph } from '../ir/graph';
import type { Tensor } from '../ir/tensor';
import type { Batch, VAE } from '../models/index';
import { klPerDimension } from '../objectives/elbo';
import { logImportanceWeights } from '../objectives/iwae';
import { GraphNoise } from '../random/noise';

/** A forward-only graph with parameters as inputs (so one session serves any weights). */
export interface EvalGraph {
  readonly graph: Graph;
  readonly outputs: Record<string, Tensor>;
  readonly noise: GraphNoise;
}

/**
 * The data inputs of an evaluation graph: `x`, and `c` / `mask` when the model takes them; `n` a
 * static batch size (default the symbolic `N`).
 */
export function dataInputs(vae: VAE, g: Graph, n: number | 'N' = 'N') {
  const s = vae.spec;
  return {
    x: g.input('x', [n, ...s.dataShape]),
    ...(s.condition ? { c: g.input('c', [n, s.condition.size]) } : {}),
    ...(s.likelihood.type === 'tabular' ? { mask: g.input('mask', [n, s.likelihood.columns.length]) } : {}),
  };
}

/** The input of a denoising VAE's validation graph that holds x~, what its encoder sees. */
export const CORRUPTED_INPUT = 'corrupted';

/**
 * Per-example ELBO terms (one z sample, analytic KL when registered), the posterior mean and, when
 * the KL factorises, the KL of every latent dimension. With `corrupted` (a denoising VAE's
 * validation), the encoder reads x~ from the input {@link CORRUPTED_INPUT} ([N, ...dataShape]) and
 * the likelihood scores the clean `x`: the quantity its training steps optimise.
 */
export function buildElboGraph(vae: VAE, o: { readonly corrupted?: boolean } = {}): EvalGraph {
  const g = new Graph(o.corrupted ? 'eval_elbo_denoise' : 'eval_elbo');
  const params = vae.paramInputs(g);
  const data = dataInputs(vae, g);
  const batch: Batch = o.corrupted
    ? { ...data, corrupted: g.input(CORRUPTED_INPUT, ['N', ...vae.spec.dataShape]) }
    : data;
  const noise = new GraphNoise(g);
  const terms = vae.loss(params, batch, { noise });
  const q = vae.encode(params, batch);
  const outputs: Record<string, Tensor> = {
    elbo: terms.elbo,
    recon: terms.recon,
    kl: terms.kl,
    loc: vae.encodeMoments(params, batch.corrupted ? { ...batch, x: batch.corrupted } : batch).loc,
  };
  try {
    outputs.klPerDim = klPerDimension(q, vae.prior(params, g));
  } catch {
    // No per-dimension KL for this prior (e.g. a mixture): the report leaves it out.
  }
  return { graph: g, outputs, noise };
}

/**
 * log importance weights [samples, N] for one chunk of an importance-sampled log p(x); `n` a static
 * batch size (a text decoder folds the samples into a static batch, but unrolls once per sample
 * for a symbolic one).
 */
export function buildLogWeightGraph(vae: VAE, samples: number, n: number | 'N' = 'N'): EvalGraph {
  const g = new Graph(`eval_logw_${samples}`);
  const params = vae.paramInputs(g);
  const batch = dataInputs(vae, g, n);
  const noise = new GraphNoise(g);
  const logw = logImportanceWeights({
    posterior: vae.encode(params, batch),
    prior: vae.prior(params, g),
    likelihood: (z) => vae.decode(params, z, batch),
    x: batch.x,
    noise,
    samples,
  });
  return { graph: g, outputs: { logw }, noise };
}

/** Rows [from, to) of a host tensor whose first axis is the example axis. */
export function sliceRows(t: HostTensor, from: number, to: number): HostTensor {
  const row = t.shape.slice(1).reduce((a, d) => a * d, 1);
  const data = (t.data as Float32Array).subarray(from * row, to * row);
  return { dtype: t.dtype, shape: [to - from, ...t.shape.slice(1)], data } as HostTensor;
}

/** `t` with `rows` rows: itself, or padded with copies of its last row (a static batch's tail). */
export function padRows(t: HostTensor, rows: number): HostTensor {
  const have = t.shape[0]!;
  if (have === rows) return t;
  const row = t.shape.slice(1).reduce((a, d) => a * d, 1);
  const src = t.data as Float32Array;
  const data = new Float32Array(rows * row);
  data.set(src.subarray(0, have * row));
  for (let r = have; r < rows; r++) data.copyWithin(r * row, (have - 1) * row, have * row);
  return { dtype: t.dtype, shape: [rows, ...t.shape.slice(1)], data } as HostTensor;
}
