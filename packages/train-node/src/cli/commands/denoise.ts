import type { CAC } from 'cac';
import {
  DENOISE_HELP,
  type DenoiseResult,
  denoiseCommand,
  type Quality,
} from '../../denoise/denoise-command';
import { chunkProgress } from '../../render/progress';
import {
  need,
  optInt,
  optNum,
  optThreads,
  printResult,
  QUIET_FLAG,
  RUN_FLAG,
  SCALE_FLAG,
  SPLIT_FLAG,
  THREADS_FLAG,
  withFlags,
} from '../flags';
import { picture, plural } from '../summary';

const dB = (q: Quality) => (q.psnr === null ? 'inf' : `${q.psnr.toFixed(2)} dB`);

/** What was denoised and how well, in words. */
function denoiseSummary(r: DenoiseResult): string[] {
  return [
    `denoised ${plural(r.n, `${r.split} example`)} of ${r.dataset} corrupted by ${r.noise} (seed ${r.seed}): PSNR ${dB(r.noisy)} noisy -> ${dB(r.denoised)} denoised, SSIM ${r.noisy.ssim.toFixed(4)} -> ${r.denoised.ssim.toFixed(4)} (means against the clean images)`,
    `  wrote ${picture(r)}: clean, noisy and denoised rows of the first ${plural(r.shown, 'example')}${r.csv ? `; per-example values in ${r.csv}` : ''}`,
  ];
}

/** `vae denoise`: its flags, and the JSON line it prints (and {@link denoiseSummary}). */
export function register(cli: CAC): void {
  withFlags(cli.command('denoise', DENOISE_HELP), [
    RUN_FLAG,
    {
      name: '--dataset <name>',
      help: "denoise another dataset with the run's model (as vae train --dataset; same image size)",
    },
    SPLIT_FLAG,
    {
      name: '--noise <noise>',
      help: "gaussian:SIGMA | mask:P | salt-pepper:P (default: the run's --denoise; required for a run without one)",
    },
    { name: '--seed <n>', help: 'seed of the corruption (the same noisy images for every run)', default: 1 },
    { name: '--n <n>', help: 'examples in the picture (the first of the split)', default: 16 },
    { name: '--limit <n>', help: 'measure only the first n examples of the split (default: all)' },
    { name: '--out <file>', help: 'the picture, a PNG: clean, noisy and denoised rows' },
    { name: '--csv <file>', help: 'per-example PSNR and SSIM of the noisy and denoised images' },
    SCALE_FLAG,
    THREADS_FLAG,
    QUIET_FLAG,
  ]).action(async (f: Record<string, unknown>) => {
    const quiet = f.quiet === true;
    const bar = chunkProgress('denoising', { quiet });
    const r = await denoiseCommand({
      run: need('run', f.run),
      dataset: f.dataset === undefined ? undefined : String(f.dataset),
      split: String(f.split) as 'test',
      noise: f.noise === undefined ? undefined : String(f.noise),
      seed: optInt('seed', f.seed, 0),
      n: optInt('n', f.n),
      limit: optInt('limit', f.limit),
      out: need('out', f.out),
      csv: f.csv === undefined ? undefined : need('csv', f.csv),
      scale: optNum('scale', f.scale),
      threads: optThreads(f.threads),
      onProgress: (done, total) => bar.onChunk(done, total),
    }).finally(bar.stop);
    printResult(r, denoiseSummary(r), quiet);
  });
}
