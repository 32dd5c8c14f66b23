import type { CAC } from 'cac';
import { IMPUTE_RULE, imputeCommand } from '../../data/tabular-impute';
import { need, num, optThreads, printResult, QUIET_FLAG, THREADS_HELP } from '../flags';
import { plural } from '../summary';

/** `vae impute`: its flags, and the JSON line it prints (cells filled per column). */
export function register(cli: CAC): void {
  cli
    .command(
      'impute',
      `Fill the missing cells of a CSV with a tabular run's model; ${IMPUTE_RULE}. Observed cells are copied unchanged.`,
    )
    .usage(
      `impute --run DIR --csv IN.csv --out OUT.csv [--samples 100 --seed 1]\n\n  Fills missing cells: ${IMPUTE_RULE}.\n  Observed cells are copied unchanged; columns the model does not know pass through.`,
    )
    .option('--run <dir>', 'run folder of a tabular run (vae train --model tabular)')
    .option(
      '--csv <path>',
      "input CSV with the run's columns; empty, NA, N/A, NaN, null, ? cells are missing",
    )
    .option('--out <path>', 'output CSV (written atomically)')
    .option(
      '--samples <n>',
      'importance-weighted posterior samples per row (0: decode the posterior mean, unweighted)',
      {
        default: 100,
      },
    )
    .option('--seed <n>', 'seed of the posterior draws', { default: 1 })
    .option('--threads <n>', THREADS_HELP)
    .option(QUIET_FLAG.name, QUIET_FLAG.help)
    .action(async (f: Record<string, unknown>) => {
      const r = await imputeCommand({
        run: need('run', f.run),
        csv: need('csv', f.csv),
        out: need('out', f.out),
        samples: num('samples', f.samples),
        seed: num('seed', f.seed),
        threads: optThreads(f.threads),
      });
      const filled = Object.entries(r.imputed).filter(([, k]) => k > 0);
      const cells = filled.reduce((a, [, k]) => a + k, 0);
      const by = filled.map(([c, k]) => `${c} ${k}`).join(', ');
      printResult(
        r,
        `filled ${plural(cells, 'missing cell')} of ${plural(r.rows, 'row')}${by ? ` (${by})` : ''} with ${r.samples === 0 ? "the posterior mean's decoding" : `${r.samples} weighted posterior draws per row`}; wrote ${r.out}`,
        f.quiet === true,
      );
    });
}
