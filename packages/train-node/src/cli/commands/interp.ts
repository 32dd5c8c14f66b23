import type { CAC } from 'cac';
import { INTERP_HELP, interpCommand } from '../../views/interp';
import { need, num, PNG_FLAG, pngOutput, printJson, RUN_FLAG, THREADS_FLAG, withFlags } from '../flags';

/** `vae interp`: its flags, and the JSON line it prints (the PNG, the path's method, its size). */
export function register(cli: CAC): void {
  withFlags(cli.command('interp', INTERP_HELP), [
    RUN_FLAG,
    { name: '--steps <n>', help: 'points on the path, endpoints included', default: 10 },
    { name: '--a <i>', help: 'test index of the first example', default: 0 },
    { name: '--b <i>', help: 'test index of the second example', default: 1 },
    PNG_FLAG,
    THREADS_FLAG,
  ]).action(async (f: Record<string, unknown>) => {
    const r = await interpCommand({
      run: need('run', f.run),
      steps: num('steps', f.steps),
      a: num('a', f.a),
      b: num('b', f.b),
      ...pngOutput(f),
    });
    printJson({ png: r.png, method: r.method, width: r.width, height: r.height });
  });
}
