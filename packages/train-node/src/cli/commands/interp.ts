import type { CAC } from 'cac';
import { UsageError } from '../../render/errors';
import { readConfig } from '../../run/run-dir';
import { textInterpCommand } from '../../text/text-views';
import { INTERP_HELP, interpCommand } from '../../views/interp';
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
import { picture } from '../summary';

/** `vae interp`: its flags, and the JSON line it prints (the PNG, the path's method, its size). */
export function register(cli: CAC): void {
  withFlags(cli.command('interp', INTERP_HELP), [
    RUN_FLAG,
    { name: '--steps <n>', help: 'points on the path, endpoints included', default: 10 },
    { name: '--a <i>', help: 'test index of the first example', default: 0 },
    { name: '--b <i>', help: 'test index of the second example', default: 1 },
    { name: '--from <word>', help: 'text runs: the first string (decoded greedily along the path)' },
    { name: '--to <word>', help: 'text runs: the last string' },
    PNG_FLAG,
    SCALE_FLAG,
    THREADS_FLAG,
    QUIET_FLAG,
  ]).action(async (f: Record<string, unknown>) => {
    const run = need('run', f.run);
    const text = readConfig(run).recipe.text !== undefined;
    if (text || f.from !== undefined || f.to !== undefined) {
      if (text && (f.from === undefined || f.to === undefined))
        throw new UsageError(`${run} is a text run: give --from WORD --to WORD (the ends of the path)`);
      // Text runs: the path's strings, in the JSON line and one per line for people.
      const r = await textInterpCommand({
        run,
        from: need('from', f.from),
        to: need('to', f.to),
        steps: num('steps', f.steps),
        threads: optThreads(f.threads),
      });
      printResult(r, r.strings, f.quiet === true);
      return;
    }
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
