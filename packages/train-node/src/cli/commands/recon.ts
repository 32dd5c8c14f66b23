import type { CAC } from 'cac';
import { RECON_HELP, reconCommand } from '../../views/recon';
import {
  need,
  num,
  PNG_FLAG,
  pngOutput,
  printJson,
  RUN_FLAG,
  SPLIT_FLAG,
  THREADS_FLAG,
  withFlags,
} from '../flags';

/** `vae recon`: its flags, and the JSON line it prints (the PNG and its size). */
export function register(cli: CAC): void {
  withFlags(cli.command('recon', RECON_HELP), [
    RUN_FLAG,
    { name: '--n <n>', help: 'examples', default: 16 },
    SPLIT_FLAG,
    PNG_FLAG,
    THREADS_FLAG,
  ]).action(async (f: Record<string, unknown>) => {
    const r = await reconCommand({
      run: need('run', f.run),
      n: num('n', f.n),
      split: String(f.split) as 'test',
      ...pngOutput(f),
    });
    printJson({ png: r.png, width: r.width, height: r.height });
  });
}
