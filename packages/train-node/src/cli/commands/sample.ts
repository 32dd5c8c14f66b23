import type { CAC } from 'cac';
import { sampleRowsCommand } from '../../data/tabular-sample';
import { UsageError } from '../../render/errors';
import { readConfig } from '../../run/run-dir';
import { textSampleCommand } from '../../text/text-views';
import { SAMPLE_HELP, sampleCommand } from '../../views/sample';
import {
  need,
  num,
  optThreads,
  PNG_FLAG,
  pngOutput,
  printResult,
  QUIET_FLAG,
  RUN_FLAG,
  SCALE_FLAG,
  THREADS_FLAG,
  withFlags,
} from '../flags';
import { picture, plural } from '../summary';

/** `vae sample`: its flags, and the JSON line it prints (the PNG and its grid, or the CSV and its rows). */
export function register(cli: CAC): void {
  withFlags(cli.command('sample', SAMPLE_HELP), [
    RUN_FLAG,
    { name: '--n <n>', help: 'samples (per class for conditional runs; rows with --csv)', default: 64 },
    { name: '--seed <n>', help: 'seed of the prior draws', default: 1 },
    {
      name: '--temperature <t>',
      help: 'scale of the prior draws; text runs: softmax temperature of each character (0: greedy)',
      default: 1,
    },
    PNG_FLAG,
    SCALE_FLAG,
    { name: '--csv <file>', help: 'output CSV of synthetic rows (tabular runs)' },
    { name: '--force', help: 'replace an existing --csv file (never replaced otherwise)' },
    THREADS_FLAG,
    QUIET_FLAG,
  ]).action(async (f: Record<string, unknown>) => {
    const run = need('run', f.run);
    const quiet = f.quiet === true;
    const common = {
      run,
      n: num('n', f.n),
      seed: num('seed', f.seed),
      temperature: num('temperature', f.temperature),
    };
    const drawn = `seed ${common.seed}${common.temperature === 1 ? '' : `, temperature ${common.temperature}`}`;
    if (readConfig(run).recipe.text) {
      // Text runs print their strings: in the JSON line, and one per line for people.
      const given = ['png', 'csv', 'scale', 'force'].find((k) => f[k] !== undefined);
      if (given)
        throw new UsageError(
          `--${given} is for image and tabular runs; ${run} is a text run: its samples are printed`,
        );
      const r = await textSampleCommand({ ...common, threads: optThreads(f.threads) });
      printResult(r, r.strings, quiet);
      return;
    }
    if (f.csv !== undefined) {
      if (f.png !== undefined)
        throw new UsageError('give --csv FILE (tabular runs) or --png FILE (image runs), not both');
      if (f.scale !== undefined) throw new UsageError('--scale enlarges --png pictures: drop it with --csv');
      const r = await sampleRowsCommand({
        ...common,
        csv: need('csv', f.csv),
        force: f.force === true,
        threads: optThreads(f.threads),
      });
      printResult(
        r,
        `wrote ${r.csv}: ${plural(r.rows, 'synthetic row')} of ${plural(r.columns.length, 'column')} drawn from the model (${drawn})`,
        quiet,
      );
      return;
    }
    // Without an output, a tabular run is told about --csv rather than that --png is required.
    if (f.png === undefined && readConfig(run).model.likelihood.type === 'tabular')
      throw new UsageError(
        `${run} is a tabular run: pass --csv FILE to write synthetic rows (--png is for image runs)`,
      );
    const r = await sampleCommand({ ...common, ...pngOutput(f) });
    const layout = r.rowLabels
      ? `in ${r.rows} rows, one per class (${r.rowLabels.join(' ')}), each column one z`
      : `in ${plural(r.rows, 'row')} of ${r.cols}`;
    printResult(
      { png: r.png, rows: r.rows, cols: r.cols, width: r.width, height: r.height, scale: r.scale },
      `wrote ${picture(r)}: ${plural(r.images, 'sample')} from the prior (${drawn}), ${layout}`,
      quiet,
    );
  });
}
