import type { CAC } from 'cac';
import { EMBED_HELP, embedCommand } from '../../embed/embed-command';
import { need, optInt, optThreads, printJson, RUN_FLAG, SPLIT_FLAG, THREADS_FLAG, withFlags } from '../flags';

/** `vae embed`: its flags, and the JSON line it prints (the files and what they hold). */
export function register(cli: CAC): void {
  withFlags(cli.command('embed', EMBED_HELP), [
    RUN_FLAG,
    {
      name: '--dataset <name>',
      help: "data to embed instead of the run's own: anything vae train --dataset takes, of the run's shape",
    },
    SPLIT_FLAG,
    { name: '--limit <n>', help: 'only the first n examples of the split' },
    { name: '--out <file>', help: 'posterior means and scales (+ label): FILE.csv or FILE.npy' },
    { name: '--plot <file>', help: '2-D map of the means coloured by class: FILE.svg or FILE.png' },
    THREADS_FLAG,
  ])
    .usage(
      `embed --run DIR --out means.csv|.npy --plot map.svg|.png [--dataset D] [--split test] [--limit N]\n\n  ${EMBED_HELP}`,
    )
    .action(async (f: Record<string, unknown>) => {
      const r = await embedCommand({
        run: need('run', f.run),
        dataset: f.dataset === undefined ? undefined : need('dataset', f.dataset),
        split: String(f.split) as 'test',
        limit: optInt('limit', f.limit),
        out: f.out === undefined ? undefined : need('out', f.out),
        plot: f.plot === undefined ? undefined : need('plot', f.plot),
        threads: optThreads(f.threads),
      });
      printJson(r);
    });
}
