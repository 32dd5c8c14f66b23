/**
 * `vae impute` for image runs: removes pixels of a split's images by a mask, fills them with the
 * model (importance sampling or Metropolis-within-Gibbs), and scores the fill against two baselines
 * computed in the same run, mean-fill and k-NN: RMSE on the missing pixels, values in [0, 1].
 */
import { extname } from 'node:path';
import { OrtBackend } from '../backend/ort-backend';
import { splitInputs } from '../data/load-data';
import { embedData } from '../embed/embed-data';
import { npyBytes } from '../embed/npy-write';
import { checkOutputPath } from '../embed/output-path';
import { checkInt, UsageError } from '../render/errors';
import { rawImages, runImage } from '../render/model-images';
import { checkScale, writeOutput } from '../render/png-grid';
import { loadRun } from '../run/run-dir';
import { columnMean, fillMissing, knnFill, missingRmse } from './baselines';
import { inpaintGrid } from './inpaint-grid';
import { buildMasks, parseMask, readMaskFile } from './masks';
import { gibbsFill, importanceFill } from './samplers';

/** The image samplers. */
export const INPAINT_METHODS = ['miwae', 'gibbs'] as const;
export type InpaintMethod = (typeof INPAINT_METHODS)[number];

/** `vae impute` options for an image run. */
export interface InpaintCommandOptions {
  readonly run: string;
  /** Images to fill instead of the run's own data: anything `vae train --dataset` takes. */
  readonly dataset?: string;
  readonly split?: 'test' | 'val' | 'train';
  /** `--mask` text (see `parseMask`); exactly one of mask and maskFile. */
  readonly mask?: string;
  /** 0/1 `.npy`, 1 = missing. */
  readonly maskFile?: string;
  readonly method?: InpaintMethod;
  /** Importance samples per image (miwae; default 100). */
  readonly samples?: number;
  /** Gibbs iterations (default 100, the first half burn-in). */
  readonly iters?: number;
  /** The first n images of the split (default min(1000, the split)). */
  readonly n?: number;
  /** Seed of the random mask and of the sampler. Default 1. */
  readonly seed?: number;
  /** The PNG: originals / masked / filled rows. */
  readonly out: string;
  /** Filled images as float32 `.npy` [n, c, h, w]. */
  readonly npy?: string;
  readonly scale?: number | 'auto';
  readonly threads?: number;
  readonly onProgress?: (done: number, total: number) => void;
}

/** What `vae impute` did on images (the JSON line). */
export interface InpaintResult {
  readonly out: string;
  readonly npy: string | null;
  readonly dataset: string;
  readonly split: string;
  readonly n: number;
  readonly mask: string;
  /** Share of the images' pixels that were missing. */
  readonly missing_fraction: number;
  readonly method: InpaintMethod;
  readonly samples: number | null;
  readonly iters: number | null;
  readonly seed: number;
  /** Metropolis-within-Gibbs acceptance rate (null for miwae). */
  readonly acceptance: number | null;
  /** miwae: the importance weights' effective sample size per image, mean (of --samples; null for gibbs). */
  readonly ess: number | null;
  /** RMSE over the missing pixels (values in [0, 1]): the model, mean-fill, 5-NN. */
  readonly rmse: { readonly model: number; readonly mean_fill: number; readonly knn: number };
  readonly png: {
    readonly width: number;
    readonly height: number;
    readonly scale: number;
    readonly shown: number;
  };
}

/** Images drawn in the PNG. */
const SHOWN = 10;
/** Neighbours of the k-NN baseline. */
const K_NN = 5;

function checkFlags(o: InpaintCommandOptions) {
  const method = o.method ?? 'miwae';
  if (!INPAINT_METHODS.includes(method))
    throw new UsageError(`--method must be miwae or gibbs, got ${JSON.stringify(method)}`);
  if (method === 'gibbs' && o.samples !== undefined)
    throw new UsageError(
      '--samples is for --method miwae (importance samples); gibbs runs --iters iterations',
    );
  if (method === 'miwae' && o.iters !== undefined)
    throw new UsageError('--iters is for --method gibbs; miwae draws --samples importance samples');
  const samples = o.samples ?? 100;
  const iters = o.iters ?? 100;
  checkInt('samples', samples);
  checkInt('iters', iters, 2);
  if (o.n !== undefined) checkInt('n', o.n);
  const seed = o.seed ?? 1;
  if (!Number.isSafeInteger(seed) || seed < 0)
    throw new UsageError(`--seed must be a non-negative integer, got ${seed}`);
  if ((o.mask === undefined) === (o.maskFile === undefined))
    throw new UsageError(
      'vae impute on an image run needs one of --mask centre|random:P|half or --mask-file masks.npy',
    );
  if (extname(o.out).toLowerCase() !== '.png')
    throw new UsageError(`--out must end in .png for an image run, got ${JSON.stringify(o.out)}`);
  checkOutputPath('out', o.out);
  if (o.npy !== undefined) {
    if (extname(o.npy).toLowerCase() !== '.npy')
      throw new UsageError(`--npy must end in .npy, got ${JSON.stringify(o.npy)}`);
    checkOutputPath('npy', o.npy);
  }
  checkScale(o.scale);
  const split = o.split ?? 'test';
  if (!['test', 'val', 'train'].includes(split))
    throw new UsageError(`--split must be test, val or train, got ${split}`);
  return { method, samples, iters, seed, split, spec: o.mask === undefined ? null : parseMask(o.mask) };
}

/**
 * Fills the missing pixels of the first `n` images of a split and writes the PNG (and `.npy`).
 * Observed pixels are copied through unchanged; filled values are clipped to [0, 1].
 * @throws UsageError for bad flags, masks or data; RunError for a missing run
 */
export async function inpaintCommand(o: InpaintCommandOptions): Promise<InpaintResult> {
  const f = checkFlags(o);
  const run = loadRun(o.run);
  const img = runImage(run, 'impute');
  const { data, info, dataset } = await embedData(run, o.dataset);
  const examples = data[f.split];
  const n = Math.min(o.n ?? 1000, examples.count);
  if (examples.count === 0 || (o.n !== undefined && o.n > examples.count))
    throw new UsageError(`--n ${o.n ?? n} is more than the ${examples.count} images of the ${f.split} split`);
  const missing = f.spec ? buildMasks(f.spec, n, img, f.seed) : await readMaskFile(o.maskFile!, n, img);
  const inputs = splitInputs(examples, info, run.vae.spec.condition?.size ?? 0, n);
  const fed = inputs.x!.data as Float32Array;
  const truth = rawImages(
    examples,
    Array.from({ length: n }, (_, i) => i),
    info.scale,
  );
  const m = data.train.count;
  const train = rawImages(
    data.train,
    Array.from({ length: m }, (_, i) => i),
    info.scale,
  );
  const d = truth.length / n;
  const mean = columnMean(train, m, d);
  const inp = { n, x: fillMissing(fed, missing, mean), missing, ...(inputs.c ? { c: inputs.c } : {}) };
  const backend = new OrtBackend({ threads: o.threads });
  let model: Float32Array;
  let acceptance: number | null = null;
  let ess: number | null = null;
  let knn: Float32Array;
  try {
    if (f.method === 'miwae') {
      const r = await importanceFill(backend, run, inp, {
        samples: f.samples,
        seed: f.seed,
        onChunk: o.onProgress,
      });
      model = r.mean;
      ess = r.ess;
    } else {
      const r = await gibbsFill(backend, run, inp, { iters: f.iters, seed: f.seed, onIter: o.onProgress });
      model = r.filled;
      acceptance = r.acceptance;
    }
    knn = await knnFill(backend, truth, missing, train, m, K_NN);
  } finally {
    await backend.dispose();
  }
  const filled = Float32Array.from(truth, (v, j) => (missing[j] ? Math.min(1, Math.max(0, model[j]!)) : v));
  const shown = Math.min(SHOWN, n);
  const grid = inpaintGrid(truth, missing, filled, shown, img, o.scale ?? 'auto');
  writeOutput(o.out, grid.png);
  if (o.npy !== undefined) writeOutput(o.npy, npyBytes('<f4', [n, img.c, img.h, img.w], filled));
  let lost = 0;
  for (const v of missing) lost += v;
  return {
    out: o.out,
    npy: o.npy ?? null,
    dataset,
    split: f.split,
    n,
    mask: o.mask ?? `file:${o.maskFile}`,
    missing_fraction: lost / missing.length,
    method: f.method,
    samples: f.method === 'miwae' ? f.samples : null,
    iters: f.method === 'gibbs' ? f.iters : null,
    seed: f.seed,
    acceptance,
    ess,
    rmse: {
      model: missingRmse(filled, truth, missing),
      mean_fill: missingRmse(fillMissing(truth, missing, mean), truth, missing),
      knn: missingRmse(knn, truth, missing),
    },
    png: { width: grid.width, height: grid.height, scale: grid.scale, shown },
  };
}
