import type { CAC } from 'cac';
import { RECON_HELP, reconCommand } from '../../views/recon';
import {
  need,
  num,
  PNG_FLAG,
  pngOutput,
  printResult,
  QUIET_FLAG,
  RUN_FLAG,
  SCALE_FLAG,
  SPLIT_FLAG,
  THREADS_FLAG,
  withFlags,
} from '../flags';
import { picture, plural } from '../summary';

/** `vae recon`: its flags, and the JSON line it prints (the PNG and its size). */
export function register(cli: CAC): void {
  withFlags(cli.command('recon', RECON_HELP), [
    RUN_FLAG,
    { name: '--n <n>', help: 'examples', default: 16 },
    SPLIT_FLAG,
    PNG_FLAG,
    SCALE_FLAG,
    THREADS_FLAG,
    QUIET_FLAG,
  ]).action(async (f: Record<string, unknown>) => {
    const r = await reconCommand({
      run: need('run', f.run),
      n: num('n', f.n),
      split: String(f.split) as 'test',
      ...pngOutput(f),
    });
    printResult(
      { png: r.png, width: r.width, height: r.height, scale: r.scale },
      `wrote ${picture(r)}: the first ${plural(r.n, `${r.split} example`)} over their reconstructions, ${r.cols} per row`,
      f.quiet === true,
    );
  });
}
