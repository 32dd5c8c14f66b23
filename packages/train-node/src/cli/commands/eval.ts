import type { CAC } from 'cac';
import { evalCommand } from '../../eval/eval-command';
import { chunkProgress } from '../../render/progress';
import {
  need,
  num,
  optNum,
  optThreads,
  printJson,
  RUN_FLAG,
  SPLIT_FLAG,
  THREADS_FLAG,
  withFlags,
} from '../flags';

/** `vae eval`: its flags, and the report it prints (one JSON object). */
export function register(cli: CAC): void {
  const help = 'Evaluate a run: test ELBO, importance-sampled NLL, recon, KL, active units (one JSON object)';
  withFlags(cli.command('eval', help), [
    RUN_FLAG,
    { name: '--iw <k>', help: 'importance samples for the NLL (0 to skip)', default: 1000 },
    SPLIT_FLAG,
    { name: '--limit <n>', help: 'only the first n examples of the split' },
    THREADS_FLAG,
  ]).action(async (f: Record<string, unknown>) => {
    const bar = chunkProgress('importance sampling');
    const r = await evalCommand({
      run: need('run', f.run),
      iw: num('iw', f.iw),
      split: String(f.split) as 'test',
      limit: optNum('limit', f.limit),
      threads: optThreads(f.threads),
      onProgress: bar.onChunk,
    }).finally(bar.stop);
    printJson(r);
  });
}
