import type { CAC } from 'cac';
import { IMPUTE_RULE, imputeCommand } from '../../data/tabular-impute';
import { type InpaintMethod, inpaintCommand } from '../../inpaint/inpaint-command';
import { MASK_FORMS } from '../../inpaint/masks';
import { UsageError } from '../../render/errors';
import { chunkProgress } from '../../render/progress';
import { readConfig } from '../../run/run-dir';
import {
  need,
  num,
  optInt,
  optNum,
  optThreads,
  printResult,
  QUIET_FLAG,
  SCALE_FLAG,
  THREADS_HELP,
} from '../flags';
import { picture, plural } from '../summary';

/** Flags that only one kind of run takes, and what to use instead on the other. */
const IMAGE_ONLY = ['mask', 'maskFile', 'method', 'iters', 'n', 'dataset', 'split', 'npy', 'scale'] as const;
const TABULAR_ONLY = ['csv'] as const;
const flagName = (k: string) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** Refuses flags of the other kind of run, naming the flag and what this run takes. */
function checkKind(f: Record<string, unknown>, run: string, tabular: boolean): void {
  const wrong = (tabular ? IMAGE_ONLY : TABULAR_ONLY).find((k) => f[k] !== undefined);
  if (wrong === undefined) return;
  throw new UsageError(
    tabular
      ? `${flagName(wrong)} is for image runs; ${run} is a tabular run: fill a CSV's empty cells with --csv IN.csv --out OUT.csv`
      : `--csv is for tabular runs; ${run} models images: remove pixels with --mask ${MASK_FORMS} and write --out FILE.png`,
  );
}

const optText = (flag: string, v: unknown) => (v === undefined ? undefined : need(flag, v));

/** `vae impute`: tabular runs fill a CSV's missing cells; image runs fill masked pixels. */
export function register(cli: CAC): void {
  cli
    .command(
      'impute',
      `Fill missing values with a run's model. Tabular runs: the missing cells of a CSV; ${IMPUTE_RULE}. Image runs: pixels removed by --mask, filled by importance sampling (miwae) or Metropolis-within-Gibbs, with RMSE against mean-fill and 5-NN. Observed values are copied unchanged.`,
    )
    .usage(
      `impute --run DIR --csv IN.csv --out OUT.csv [--samples 100 --seed 1]   (tabular runs)\n  $ vae impute --run DIR --mask ${MASK_FORMS} --out FILE.png\n      [--method miwae|gibbs] [--samples 100 | --iters 100] [--n 1000] [--dataset D] [--split test]\n      [--npy filled.npy] [--seed 1]   (image runs)\n\n  Tabular: ${IMPUTE_RULE}.\n  Observed cells are copied unchanged; columns the model does not know pass through.\n  Images: the masked pixels get E[x_mis | x_obs] by importance sampling (miwae: weights p(x_obs | z) p(z) / q(z | x~),\n  x~ the image mean-filled) or Metropolis-within-Gibbs (gibbs); observed pixels are copied unchanged. Prints RMSE on\n  the missing pixels for the model, mean-fill and 5-NN; writes a PNG of originals / masked (red) / filled.`,
    )
    .option('--run <dir>', 'run folder')
    .option(
      '--csv <path>',
      "tabular: input CSV with the run's columns; empty, NA, N/A, NaN, null, ? cells are missing",
    )
    .option(
      '--out <path>',
      'tabular: output CSV (written atomically); images: the PNG (originals / masked / filled)',
    )
    .option(
      '--samples <n>',
      'importance-weighted posterior samples per row or image, default 100 (tabular 0: decode the posterior mean)',
    )
    .option('--seed <n>', 'seed of the posterior draws (and of a random mask)', { default: 1 })
    .option('--mask <spec>', `images: which pixels to remove, ${MASK_FORMS}`)
    .option('--mask-file <path>', 'images: 0/1 .npy of [h, w] or [n, h, w] (also with channels), 1 = missing')
    .option(
      '--method <name>',
      'images: miwae (importance sampling, default) or gibbs (Metropolis-within-Gibbs)',
    )
    .option('--iters <n>', 'images, gibbs: iterations, default 100 (the first half burn-in)')
    .option('--n <n>', 'images: the first n images of the split (default 1000 or all)')
    .option(
      '--dataset <name>',
      "images: data to fill instead of the run's own (anything vae train --dataset takes)",
    )
    .option('--split <name>', 'images: test | val | train (default test)')
    .option('--npy <path>', 'images: also write the filled images, float32 [n, c, h, w]')
    .option(SCALE_FLAG.name, SCALE_FLAG.help)
    .option('--threads <n>', THREADS_HELP)
    .option(QUIET_FLAG.name, QUIET_FLAG.help)
    .action(async (f: Record<string, unknown>) => {
      const runDir = need('run', f.run);
      const quiet = f.quiet === true;
      const tabular = readConfig(runDir).recipe.model === 'tabular';
      checkKind(f, runDir, tabular);
      if (!tabular) {
        const bar = chunkProgress('inpainting', { quiet });
        const r = await inpaintCommand({
          run: runDir,
          dataset: optText('dataset', f.dataset),
          split: (optText('split', f.split) ?? 'test') as 'test',
          mask: optText('mask', f.mask),
          maskFile: optText('mask-file', f.maskFile),
          method: (optText('method', f.method) ?? 'miwae') as InpaintMethod,
          samples: optNum('samples', f.samples),
          iters: optNum('iters', f.iters),
          n: optInt('n', f.n),
          seed: num('seed', f.seed),
          out: need('out', f.out),
          npy: optText('npy', f.npy),
          scale: optNum('scale', f.scale),
          threads: optThreads(f.threads),
          onProgress: bar.onChunk,
        }).finally(bar.stop);
        const how =
          r.method === 'miwae'
            ? `${r.samples} importance samples per image (effective sample size ${(r.ess ?? 0).toFixed(1)})`
            : `Metropolis-within-Gibbs, ${r.iters} iterations (acceptance ${((r.acceptance ?? 0) * 100).toFixed(1)}%)`;
        printResult(
          r,
          [
            `filled ${(r.missing_fraction * 100).toFixed(1)}% of the pixels (--mask ${r.mask}) of ${plural(r.n, 'image')} of ${r.dataset} (${r.split}) with ${how}; wrote ${picture({ png: r.out, ...r.png })}${r.npy ? ` and ${r.npy}` : ''}`,
            `  RMSE on the missing pixels (values in [0, 1]): model ${r.rmse.model.toFixed(4)}, mean-fill ${r.rmse.mean_fill.toFixed(4)}, 5-NN ${r.rmse.knn.toFixed(4)}`,
          ],
          quiet,
        );
        return;
      }
      const r = await imputeCommand({
        run: runDir,
        csv: need('csv', f.csv),
        out: need('out', f.out),
        samples: num('samples', f.samples ?? 100),
        seed: num('seed', f.seed),
        threads: optThreads(f.threads),
      });
      const filled = Object.entries(r.imputed).filter(([, k]) => k > 0);
      const cells = filled.reduce((a, [, k]) => a + k, 0);
      const by = filled.map(([c, k]) => `${c} ${k}`).join(', ');
      printResult(
        r,
        `filled ${plural(cells, 'missing cell')} of ${plural(r.rows, 'row')}${by ? ` (${by})` : ''} with ${r.samples === 0 ? "the posterior mean's decoding" : `${r.samples} weighted posterior draws per row`}; wrote ${r.out}`,
        quiet,
      );
    });
}
