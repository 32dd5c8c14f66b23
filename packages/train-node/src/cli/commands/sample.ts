import type { CAC } from 'cac';
import { SAMPLE_HELP, sampleCommand } from '../../views/sample';
import { need, num, PNG_FLAG, pngOutput, printJson, RUN_FLAG, THREADS_FLAG, withFlags } from '../flags';

/** `vae sample`: its flags, and the JSON line it prints (the PNG and its grid). */
export function register(cli: CAC): void {
  withFlags(cli.command('sample', SAMPLE_HELP), [
    RUN_FLAG,
    { name: '--n <n>', help: 'samples (per class for conditional runs)', default: 64 },
    { name: '--seed <n>', help: 'seed of the prior draws', default: 1 },
    { name: '--temperature <t>', help: 'scale of the prior draws', default: 1 },
    PNG_FLAG,
    THREADS_FLAG,
  ]).action(async (f: Record<string, unknown>) => {
    const r = await sampleCommand({
      run: need('run', f.run),
      n: num('n', f.n),
      seed: num('seed', f.seed),
      temperature: num('temperature', f.temperature),
      ...pngOutput(f),
    });
    printJson({ png: r.png, rows: r.rows, cols: r.cols, width: r.width, height: r.height });
  });
}
