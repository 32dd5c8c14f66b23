import { extname } from 'node:path';
import { ImageCorrupter, key, sliceRows } from '@vae/core';
import { OrtBackend } from '../backend/ort-backend';
import { splitInputs } from '../data/load-data';
import { embedData } from '../embed/embed-data';
import { checkOutputPath } from '../embed/output-path';
import { checkInt, UsageError } from '../render/errors';
import { decodeMeans, encodeMeans, f32Tensor, runImage } from '../render/model-images';
import { checkScale, gridColumns, pngGrid, writeOutput } from '../render/png-grid';
import { stackedRows } from '../render/row-groups';
import { parseDenoise, showDenoise } from '../run/denoise-flag';
import { loadRun } from '../run/run-dir';
import { psnr, ssim } from './image-quality';

/** `vae denoise` options. */
export interface DenoiseCommandOptions {
  /** Run folder (config.json + best.safetensors). */
  readonly run: string;
  /** Data to denoise instead of the run's own: anything `vae train --dataset` takes (as `vae embed`). */
  readonly dataset?: string;
  /** Which split (default `test`). */
  readonly split?: 'test' | 'val' | 'train';
  /** The corruption, `gaussian:SIGMA | mask:P | salt-pepper:P` (default: the run's `--denoise`). */
  readonly noise?: string;
  /** Seed of the corruption's noise (default 1). */
  readonly seed?: number;
  /** Examples shown in the picture, the split's first (default 16). */
  readonly n?: number;
  /** Only the first `limit` examples are measured (default: the whole split). */
  readonly limit?: number;
  /** The PNG: clean, noisy and denoised rows. */
  readonly out: string;
  /** Per-example PSNR and SSIM as CSV. */
  readonly csv?: string;
  /** Pixels per image pixel (default `'auto'`, see `autoScale`). */
  readonly scale?: number | 'auto';
  readonly threads?: number;
  /** Called after each chunk of examples: (chunks done, chunks in all). */
  readonly onProgress?: (done: number, total: number) => void;
}

/** Mean PSNR (dB; null when some example is reproduced exactly: infinite) and SSIM against the clean images. */
export interface Quality {
  readonly psnr: number | null;
  readonly ssim: number;
}

/** What `vae denoise` measured and wrote. */
export interface DenoiseResult {
  readonly png: string;
  readonly csv: string | null;
  readonly dataset: string;
  readonly split: string;
  /** Examples measured. */
  readonly n: number;
  /** The corruption, as `--noise` takes it, and its seed. */
  readonly noise: string;
  readonly seed: number;
  /** The noisy inputs against the clean images, and the model's reconstructions of them. */
  readonly noisy: Quality;
  readonly denoised: Quality;
  /** Examples in the picture, its columns, size and enlargement. */
  readonly shown: number;
  readonly cols: number;
  readonly width: number;
  readonly height: number;
  readonly scale: number;
}

/** Help text for the CLI. */
export const DENOISE_HELP =
  "Corrupt clean images (--noise, default the run's --denoise), reconstruct them with the model (the " +
  'likelihood mean decoded from the posterior mean of the noisy input), and report mean PSNR and SSIM ' +
  'of the noisy and of the denoised images against the clean ones; the PNG shows clean, noisy and ' +
  'denoised rows.';

/** Examples per backend call. */
const CHUNK = 500;

const mean = (v: Float64Array) => v.reduce((a, b) => a + b, 0) / v.length;
const quality = (p: Float64Array, s: Float64Array): Quality => {
  const m = mean(p);
  return { psnr: Number.isFinite(m) ? m : null, ssim: mean(s) };
};
const cell = (v: number) => (Number.isFinite(v) ? String(v) : 'inf');

/** Checks the options that need no data, before anything is read. */
function checkOptions(o: DenoiseCommandOptions): void {
  if (extname(o.out).toLowerCase() !== '.png')
    throw new UsageError(`--out must end in .png, got ${JSON.stringify(o.out)}`);
  checkOutputPath('out', o.out);
  if (o.csv !== undefined) {
    if (extname(o.csv).toLowerCase() !== '.csv')
      throw new UsageError(`--csv must end in .csv, got ${JSON.stringify(o.csv)}`);
    checkOutputPath('csv', o.csv);
  }
  if (!['test', 'val', 'train'].includes(o.split ?? 'test'))
    throw new UsageError(`--split must be test, val or train, got ${o.split}`);
  checkInt('n', o.n ?? 16);
  if (o.limit !== undefined) checkInt('limit', o.limit);
  checkInt('seed', o.seed ?? 1, 0);
  checkScale(o.scale);
  if (o.noise !== undefined) parseDenoise(o.noise, '--noise');
}

/**
 * `vae denoise`: corrupts a split's clean images (fed as `vae embed` feeds them: grey levels, no
 * binarisation or dequantisation), denoises them through the run's model and measures PSNR and SSIM
 * of noisy and denoised against clean, per example and on average; writes the picture and the CSV.
 * @throws UsageError for bad options, a run without image data, or no corruption to apply
 */
export async function denoiseCommand(o: DenoiseCommandOptions): Promise<DenoiseResult> {
  checkOptions(o);
  const split = o.split ?? 'test';
  const seed = o.seed ?? 1;
  const run = loadRun(o.run);
  const img = runImage(run, 'denoise');
  const own = run.vae.spec.denoise;
  if (o.noise === undefined && !own)
    throw new UsageError(
      `${run.dir} was trained without --denoise: give the corruption, --noise gaussian:SIGMA | mask:P | salt-pepper:P`,
    );
  const noise = o.noise === undefined ? own! : parseDenoise(o.noise, '--noise');
  const { data, info, dataset } = await embedData(run, o.dataset);
  const examples = data[split];
  if (examples.count === 0)
    throw new UsageError(`the ${split} split of ${dataset} is empty: choose another --split`);
  const n = Math.min(o.limit ?? examples.count, examples.count);
  const shown = Math.min(o.n ?? 16, n);
  const inputs = splitInputs(examples, info, run.vae.spec.condition?.size ?? 0, n);
  const size = img.h * img.w * img.c;
  const corrupter = new ImageCorrupter(noise, run.vae.spec.dataShape);
  const psnrNoisy = new Float64Array(n);
  const psnrOut = new Float64Array(n);
  const ssimNoisy = new Float64Array(n);
  const ssimOut = new Float64Array(n);
  // The first `shown` examples' clean, noisy and denoised versions.
  const picture = [0, 1, 2].map(() => new Float32Array(shown * size));
  const backend = new OrtBackend({ threads: o.threads });
  try {
    for (let from = 0; from < n; from += CHUNK) {
      const to = Math.min(n, from + CHUNK);
      const x = sliceRows(inputs.x!, from, to);
      const c = inputs.c && sliceRows(inputs.c, from, to);
      const noisy = await corrupter.run(backend, x, key(seed), from);
      const shape = [to - from, ...run.vae.spec.dataShape];
      const loc = await encodeMeans(backend, run, { x: f32Tensor(shape, noisy), ...(c ? { c } : {}) });
      const out = await decodeMeans(backend, run, loc, c);
      const clean = x.data as Float32Array;
      for (let i = 0; i < to - from; i++) {
        const at = (v: Float32Array) => v.subarray(i * size, (i + 1) * size);
        psnrNoisy[from + i] = psnr(at(noisy), at(clean));
        psnrOut[from + i] = psnr(at(out), at(clean));
        ssimNoisy[from + i] = ssim(at(noisy), at(clean), img);
        ssimOut[from + i] = ssim(at(out), at(clean), img);
        if (from + i < shown)
          [clean, noisy, out].forEach((v, k) => picture[k]!.set(at(v), (from + i) * size));
      }
      o.onProgress?.(Math.ceil(to / CHUNK), Math.ceil(n / CHUNK));
    }
  } finally {
    await backend.dispose();
  }
  // Each example's clean, noisy and denoised versions in one column (the noisy one clamped to [0, 1]).
  const cols = gridColumns(shown, 3);
  const { cells, count } = stackedRows(picture, shown, cols, size);
  const grid = pngGrid(cells, count, { ...img, cols, scale: o.scale ?? 'auto' });
  writeOutput(o.out, grid.png);
  if (o.csv !== undefined) {
    const labels = examples.labels;
    const head = `index,${labels ? 'label,' : ''}psnr_noisy,psnr_denoised,ssim_noisy,ssim_denoised`;
    const rows = Array.from(
      { length: n },
      (_, i) =>
        `${i},${labels ? `${labels[i]},` : ''}${cell(psnrNoisy[i]!)},${cell(psnrOut[i]!)},${ssimNoisy[i]},${ssimOut[i]}`,
    );
    writeOutput(o.csv, `${[head, ...rows].join('\n')}\n`);
  }
  return {
    png: o.out,
    csv: o.csv ?? null,
    dataset,
    split,
    n,
    noise: showDenoise(noise),
    seed,
    noisy: quality(psnrNoisy, ssimNoisy),
    denoised: quality(psnrOut, ssimOut),
    shown,
    cols: grid.cols,
    width: grid.width,
    height: grid.height,
    scale: grid.scale,
  };
}
