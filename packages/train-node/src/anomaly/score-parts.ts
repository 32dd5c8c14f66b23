import {
  elboPass,
  fold,
  type HostTensor,
  importanceSampledLogLikelihood,
  type PRNGKey,
  type SplitInputs,
  sliceRows,
} from '@vae/core';
import type { OrtBackend } from '../backend/ort-backend';
import type { DataInfo, LoadedRun } from '../run/run-dir';
import { pngBits } from './complexity';
import { likelihoodRegret, type RegretOptions } from './regret';
import { buildLatentNllGraph } from './score-graphs';
import type { ExtraPart, ScoreParts } from './score-methods';

/** What {@link scorePartBlocks} computes, and with which models. */
export interface PartsPlan {
  readonly backend: OrtBackend;
  readonly run: LoadedRun;
  /** The background model of `ratio` (same data shape and feeding as `run`). */
  readonly background: LoadedRun | null;
  /** Importance samples of nll_iw and bg_nll (0: no nll_iw; bg_nll is the background's -ELBO). */
  readonly iw: number;
  readonly needs: ReadonlySet<ExtraPart>;
  /** How the scored examples were fed (complexity reads their pixel levels back from it). */
  readonly info: DataInfo;
  /** Nats added to -log-likelihood parts to put them on the data's scale (see bits-per-dim.ts). */
  readonly offsetNats: number;
  readonly regret?: RegretOptions;
}

/** One block of examples' parts. */
export interface PartsBlock {
  readonly from: number;
  readonly to: number;
  readonly parts: ScoreParts;
}

/** Examples per block: the unit of progress and of output written. */
export const BLOCK = 500;

const shifted = (a: Float64Array, by: number) => (by === 0 ? a : a.map((v) => v + by));

/** -log p(x) by IW (k > 0) or -ELBO (k = 0) of one model, on the data's scale. */
async function nllOf(
  p: PartsPlan,
  run: LoadedRun,
  rows: SplitInputs,
  key: PRNGKey,
  onChunk?: (done: number, total: number) => void,
): Promise<Float64Array> {
  const logpx =
    p.iw > 0
      ? await importanceSampledLogLikelihood(p.backend, run.vae, run.params, rows, key, { k: p.iw, onChunk })
      : (await elboPass(p.backend, run.vae, run.params, rows, key)).elbo;
  return shifted(
    logpx.map((v) => -v),
    p.offsetNats,
  );
}

/**
 * The score parts of every example of `inputs`, in blocks of {@link BLOCK} (so a caller can write
 * and report as it goes). Noise of block b comes from `fold(key, b)`: the parts of an example do not
 * depend on what else is scored in other blocks.
 */
export async function* scorePartBlocks(
  p: PartsPlan,
  inputs: SplitInputs,
  key: PRNGKey,
  onProgress?: (done: number, total: number) => void,
): AsyncGenerator<PartsBlock> {
  const n = inputs.x!.shape[0]!;
  const { run, backend } = p;
  const latent = p.needs.has('latent_nll')
    ? await backend.compile(`latent-nll:${JSON.stringify(run.vae.spec)}`, () => buildLatentNllGraph(run.vae))
    : null;
  // Stages per block, for the progress bar: ELBO pass, then each optional model pass.
  const stages = 1 + (p.iw > 0 ? 1 : 0) + (p.needs.has('bg_nll') ? 1 : 0) + (p.needs.has('regret') ? 1 : 0);
  for (let b = 0, from = 0; from < n; b++, from += BLOCK) {
    const to = Math.min(n, from + BLOCK);
    const size = to - from;
    const k = fold(key, b);
    let stage = 0;
    const tick = (done: number, total: number) =>
      onProgress?.(from + (size * (stage + done / total)) / stages, n);
    const rows: Record<string, HostTensor> = {};
    for (const [name, t] of Object.entries(inputs)) rows[name] = sliceRows(t, from, to);
    const pass = await elboPass(backend, run.vae, run.params, rows, fold(k, 1));
    const parts: Record<string, Float64Array> = {
      neg_elbo: shifted(
        pass.elbo.map((v) => -v),
        p.offsetNats,
      ),
      recon: shifted(
        pass.recon.map((v) => -v),
        p.offsetNats,
      ),
      kl: pass.kl,
    };
    tick(1, 1);
    stage++;
    if (p.iw > 0) {
      parts.nll_iw = await nllOf(p, run, rows, fold(k, 2), tick);
      stage++;
    }
    if (latent) {
      const z = { dtype: 'float32', shape: [size, run.vae.spec.latent], data: pass.loc } as HostTensor;
      const r = await latent.run({ ...run.params, z });
      parts.latent_nll = Float64Array.from(r.latentNll!.data as Float32Array);
    }
    if (p.needs.has('complexity_bits')) parts.complexity_bits = pngBits(rows.x!, p.info);
    if (p.needs.has('bg_nll') && p.background) {
      parts.bg_nll = await nllOf(p, p.background, rows, fold(k, 3), tick);
      stage++;
    }
    if (p.needs.has('regret')) {
      parts.regret = await likelihoodRegret(backend, run.vae, run.params, rows, fold(k, 4), {
        ...p.regret,
        onBatch: tick,
      });
      stage++;
    }
    onProgress?.(to, n);
    yield { from, to, parts: parts as unknown as ScoreParts };
  }
}

/** Concatenates blocks' parts (every block holds the same parts). */
export function joinParts(blocks: readonly PartsBlock[]): ScoreParts {
  const out: Record<string, Float64Array> = {};
  const n = blocks.reduce((s, b) => Math.max(s, b.to), 0);
  for (const b of blocks)
    for (const [name, a] of Object.entries(b.parts) as [string, Float64Array][]) {
      out[name] ??= new Float64Array(n);
      out[name]!.set(a, b.from);
    }
  return out as unknown as ScoreParts;
}
