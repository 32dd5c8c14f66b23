import type { CAC } from 'cac';
import { INTERP_HELP, interpCommand } from '../../views/interp';
import {
  need,
  num,
  PNG_FLAG,
  pngOutput,
  printResult,
  QUIET_FLAG,
  RUN_FLAG,
  SCALE_FLAG,
  THREADS_FLAG,
  withFlags,
} from '../flags';
import { picture } from '../summary';

/** `vae interp`: its flags, and the JSON line it prints (the PNG, the path's method, its size). */
export function register(cli: CAC): void {
  withFlags(cli.command('interp', INTERP_HELP), [
    RUN_FLAG,
    { name: '--steps <n>', help: 'points on the path, endpoints included', default: 10 },
    { name: '--a <i>', help: 'test index of the first example', default: 0 },
    { name: '--b <i>', help: 'test index of the second example', default: 1 },
    PNG_FLAG,
    SCALE_FLAG,
    THREADS_FLAG,
    QUIET_FLAG,
  ]).action(async (f: Record<string, unknown>) => {
    const r = await interpCommand({
      run: need('run', f.run),
      steps: num('steps', f.steps),
      a: num('a', f.a),
      b: num('b', f.b),
      ...pngOutput(f),
    });
    printResult(
      { png: r.png, method: r.method, width: r.width, height: r.height, scale: r.scale },
      `wrote ${picture(r)}: test example ${r.a} to test example ${r.b} in ${r.steps} ${r.method} steps through latent space, the originals at the ends`,
      f.quiet === true,
    );
  });
}
