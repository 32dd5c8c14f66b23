import type { CAC } from 'cac';
import { sampleRowsCommand } from '../../data/tabular-sample';
import { UsageError } from '../../render/errors';
import { readConfig } from '../../run/run-dir';
import { SAMPLE_HELP, sampleCommand } from '../../views/sample';
import {
  need,
  num,
  optThreads,
  PNG_FLAG,
  pngOutput,
  printJson,
  RUN_FLAG,
  THREADS_FLAG,
  withFlags,
} from '../flags';

/** `vae sample`: its flags, and the JSON line it prints (the PNG and its grid, or the CSV and its rows). */
export function register(cli: CAC): void {
  withFlags(cli.command('sample', SAMPLE_HELP), [
    RUN_FLAG,
    { name: '--n <n>', help: 'samples (per class for conditional runs; rows with --csv)', default: 64 },
    { name: '--seed <n>', help: 'seed of the prior draws', default: 1 },
    { name: '--temperature <t>', help: 'scale of the prior draws', default: 1 },
    PNG_FLAG,
    { name: '--csv <file>', help: 'output CSV of synthetic rows (tabular runs)' },
    { name: '--force', help: 'replace an existing --csv file (never replaced otherwise)' },
    THREADS_FLAG,
  ]).action(async (f: Record<string, unknown>) => {
    const run = need('run', f.run);
    const common = {
      run,
      n: num('n', f.n),
      seed: num('seed', f.seed),
      temperature: num('temperature', f.temperature),
    };
    if (f.csv !== undefined) {
      if (f.png !== undefined)
        throw new UsageError('give --csv FILE (tabular runs) or --png FILE (image runs), not both');
      const r = await sampleRowsCommand({
        ...common,
        csv: need('csv', f.csv),
        force: f.force === true,
        threads: optThreads(f.threads),
      });
      printJson(r);
      return;
    }
    // Without an output, a tabular run is told about --csv rather than that --png is required.
    if (f.png === undefined && readConfig(run).model.likelihood.type === 'tabular')
      throw new UsageError(
        `${run} is a tabular run: pass --csv FILE to write synthetic rows (--png is for image runs)`,
      );
    const r = await sampleCommand({ ...common, ...pngOutput(f) });
    printJson({ png: r.png, rows: r.rows, cols: r.cols, width: r.width, height: r.height });
  });
}
