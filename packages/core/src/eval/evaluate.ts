import { fold, type PRNGKey } from '@vae/random';
import type { Backend, CompiledGraph } from '../backend/backend';
import type { HostTensor } from '../ir/dtype';
import type { VAE } from '../models/index';
import { combineLogWeightChunks } from '../objectives/iwae';
import {
  buildElboGraph,
  buildLogWeightGraph,
  CORRUPTED_INPUT,
  type EvalGraph,
  padRows,
  sliceRows,
} from './eval-graphs';
import { streamNoiseFeeds } from './eval-noise';

/**
 * Model inputs for a whole split: `x` [n, ...], and `c` / `mask` when the model takes them; for a
 * denoising VAE's validation also `corrupted` (x~, what the encoder sees: see `buildElboGraph`).
 */
export type SplitInputs = Readonly<Record<string, HostTensor>>;

/** Per-example ELBO pass results (nats; ELBO is a lower bound on log p(x)). */
export interface ElboPass {
  readonly n: number;
  readonly elbo: Float64Array;
  readonly recon: Float64Array;
  readonly kl: Float64Array;
  /** Posterior means [n, latent], row-major. */
  readonly loc: Float32Array;
  /** Mean KL of each latent dimension over the split, when the KL factorises. */
  readonly klPerDim: Float64Array | null;
}

const rowsOf = (inputs: SplitInputs) => inputs.x!.shape[0]!;
/** Mean of per-example values (0 for none). */
export const mean = (a: Float64Array): number => a.reduce((s, v) => s + v, 0) / Math.max(a.length, 1);

/**
 * One z sample per example, batched; noise for batch b comes from `fold(key, b)`. With `corrupted`
 * among the inputs, the encoder sees it instead of `x` (a denoising VAE's validation ELBO).
 */
export async function elboPass(
  backend: Backend,
  vae: VAE,
  params: Readonly<Record<string, HostTensor>>,
  inputs: SplitInputs,
  key: PRNGKey,
  batch = 500,
): Promise<ElboPass> {
  const corrupted = CORRUPTED_INPUT in inputs;
  const built = buildElboGraph(vae, { corrupted });
  const id = `elbo:${corrupted ? 'corrupted:' : ''}${JSON.stringify(vae.spec)}`;
  const run = await backend.compile(id, () => built);
  const n = rowsOf(inputs);
  const L = vae.spec.latent;
  const out = { elbo: new Float64Array(n), recon: new Float64Array(n), kl: new Float64Array(n) };
  const loc = new Float32Array(n * L);
  let klPerDim: Float64Array | null = 'klPerDim' in built.outputs ? new Float64Array(L) : null;
  for (let b = 0, from = 0; from < n; b++, from += batch) {
    const to = Math.min(n, from + batch);
    const feeds: Record<string, HostTensor> = {
      ...params,
      ...built.noise.feeds(fold(key, b), { N: to - from }),
    };
    for (const [name, t] of Object.entries(inputs)) feeds[name] = sliceRows(t, from, to);
    const r = await run.run(feeds);
    for (const k of ['elbo', 'recon', 'kl'] as const) out[k].set(r[k]!.data as Float32Array, from);
    loc.set(r.loc!.data as Float32Array, from * L);
    if (klPerDim) {
      const d = r.klPerDim!.data as Float32Array;
      for (let i = 0; i < d.length; i++) klPerDim[i % L]! += d[i]! / n;
    }
  }
  if (klPerDim && !klPerDim.every(Number.isFinite)) klPerDim = null;
  return { n, ...out, loc, klPerDim };
}

/** Rows (samples x examples) the decoder sees per run by default: see {@link iwBlock}. */
export const IW_ROWS = 4096;
/** Decoder output values per run at most by default (rows x values per example). */
export const IW_ELEMENTS = 4_000_000;

/**
 * The default block of an importance-sampled pass: `chunk` samples x `batch` examples per run.
 * About {@link IW_ROWS} rows per run (fewer for wide data, so rows x values per example stays under
 * {@link IW_ELEMENTS}): on the 784-400-20 MLP, 4000-row runs were ~25% faster than 10000-row ones
 * (the element-wise likelihood passes stay in cache) and faster than 1000-row ones (per-run costs).
 * All k samples of an example go in one run when they fit, so its encoder runs once.
 */
export function iwBlock(k: number, valuesPerExample: number): { chunk: number; batch: number } {
  const rows = Math.max(1, Math.min(IW_ROWS, Math.floor(IW_ELEMENTS / Math.max(1, valuesPerExample))));
  const chunk = Math.min(k, rows);
  return { chunk, batch: Math.max(1, Math.floor(rows / chunk)) };
}

/**
 * Importance-sampled log p(x) per example with `k` samples (Burda et al. 2016), computed in chunks
 * of `chunk` samples x `batch` examples (default {@link iwBlock}) so memory stays bounded whatever k
 * is; chunks combine in float64. Noise for batch b, chunk c comes from `fold(fold(key, b), c)`.
 */
export async function importanceSampledLogLikelihood(
  backend: Backend,
  vae: VAE,
  params: Readonly<Record<string, HostTensor>>,
  inputs: SplitInputs,
  key: PRNGKey,
  opts: {
    k: number;
    chunk?: number;
    batch?: number;
    onChunk?: (done: number, total: number) => void;
    /** Graphs of a static batch size (the last batch padded with copies of its last row). */
    staticBatch?: boolean;
  },
): Promise<Float64Array> {
  const { k } = opts;
  if (!Number.isInteger(k) || k < 1)
    throw new RangeError(`importance samples must be a positive integer, got ${k}`);
  const n = rowsOf(inputs);
  const block = iwBlock(
    k,
    inputs.x!.shape.slice(1).reduce((a, d) => a * d, 1),
  );
  const chunk = Math.min(opts.chunk ?? block.chunk, k);
  const batch = opts.batch ?? block.batch;
  const out = new Float64Array(n);
  const sizes = Array.from({ length: Math.ceil(k / chunk) }, (_, i) => Math.min(chunk, k - i * chunk));
  const dim = opts.staticBatch ? batch : 'N';
  // One graph and session per chunk size (at most two), built before the loop: building the IR
  // every run cost more than the run itself on small blocks. The weights stay inputs (binding them
  // as constants lets onnxruntime prepack them, ~5% faster, but would tie a cached session to one
  // weights object: a caller's in-place update would be missed and every new object kept a session).
  const graphs = new Map<number, { built: EvalGraph; run: CompiledGraph }>();
  const id = `logw:${dim}:${JSON.stringify(vae.spec)}`;
  for (const s of new Set(sizes)) {
    const built = buildLogWeightGraph(vae, s, dim);
    graphs.set(s, { built, run: await backend.compile(`${id}:${s}`, () => built) });
  }
  const total = Math.ceil(n / batch) * sizes.length;
  let done = 0;
  for (let b = 0, from = 0; from < n; b++, from += batch) {
    const to = Math.min(n, from + batch);
    const width = opts.staticBatch ? batch : to - from;
    const rows: Record<string, HostTensor> = {};
    for (const [name, t] of Object.entries(inputs)) rows[name] = padRows(sliceRows(t, from, to), width);
    const chunks: { k: number; data: Float32Array }[] = [];
    for (const [c, s] of sizes.entries()) {
      const { built, run } = graphs.get(s)!;
      const noise = streamNoiseFeeds(built.noise, fold(fold(key, b), c), { N: width });
      const r = await run.run({ ...params, ...rows, ...noise });
      chunks.push({ k: s, data: r.logw!.data as Float32Array });
      opts.onChunk?.(++done, total);
    }
    out.set(combineLogWeightChunks(chunks, width).subarray(0, to - from), from);
  }
  return out;
}
