import type { CAC } from 'cac';
import { formatInspect, INSPECT_HELP, inspectCommand } from '../commands/inspect';
import { INTERP_HELP, interpCommand } from '../commands/interp';
import { PLOT_HELP, plotCommand } from '../commands/plot';
import { RECON_HELP, reconCommand } from '../commands/recon';
import { SAMPLE_HELP, sampleCommand } from '../commands/sample';
import { UsageError } from '../render/errors';
import { optThreads } from './flags';
import { need, num } from './register';

const out = (o: unknown) => process.stdout.write(`${JSON.stringify(o)}\n`);

/** Registers the commands that look at a trained run: sample, recon, interp, inspect, plot. */
export function registerViews(cli: CAC): void {
  cli
    .command('sample', SAMPLE_HELP)
    .option('--run <dir>', 'run folder')
    .option('--n <n>', 'samples (per class for conditional runs)', { default: 64 })
    .option('--seed <n>', 'seed of the prior draws', { default: 1 })
    .option('--temperature <t>', 'scale of the prior draws', { default: 1 })
    .option('--png <file>', 'output PNG')
    .option('--threads <n>', 'onnxruntime threads, 1 to the cores here (default: all)')
    .action(async (f: Record<string, unknown>) => {
      const r = await sampleCommand({
        run: need('run', f.run),
        n: num('n', f.n),
        seed: num('seed', f.seed),
        temperature: num('temperature', f.temperature),
        png: need('png', f.png),
        threads: optThreads(f.threads),
      });
      out({ png: r.png, rows: r.rows, cols: r.cols, width: r.width, height: r.height });
    });

  cli
    .command('recon', RECON_HELP)
    .option('--run <dir>', 'run folder')
    .option('--n <n>', 'examples', { default: 16 })
    .option('--split <name>', 'test | val | train', { default: 'test' })
    .option('--png <file>', 'output PNG')
    .option('--threads <n>', 'onnxruntime threads, 1 to the cores here (default: all)')
    .action(async (f: Record<string, unknown>) => {
      const r = await reconCommand({
        run: need('run', f.run),
        n: num('n', f.n),
        split: String(f.split) as 'test',
        png: need('png', f.png),
        threads: optThreads(f.threads),
      });
      out({ png: r.png, width: r.width, height: r.height });
    });

  cli
    .command('interp', INTERP_HELP)
    .option('--run <dir>', 'run folder')
    .option('--steps <n>', 'points on the path, endpoints included', { default: 10 })
    .option('--a <i>', 'test index of the first example', { default: 0 })
    .option('--b <i>', 'test index of the second example', { default: 1 })
    .option('--png <file>', 'output PNG')
    .option('--threads <n>', 'onnxruntime threads, 1 to the cores here (default: all)')
    .action(async (f: Record<string, unknown>) => {
      const r = await interpCommand({
        run: need('run', f.run),
        steps: num('steps', f.steps),
        a: num('a', f.a),
        b: num('b', f.b),
        png: need('png', f.png),
        threads: optThreads(f.threads),
      });
      out({ png: r.png, method: r.method, width: r.width, height: r.height });
    });

  cli.command('inspect <path>', INSPECT_HELP).action(async (path: string) => {
    const r = await inspectCommand(path);
    process.stdout.write(`${formatInspect(r)}\n`);
    if (r.kind === 'bundle' && !r.ok) {
      const failed = r.checks.filter((c) => !c.ok);
      throw new UsageError(
        `${r.path}: ${failed.length} check${failed.length === 1 ? '' : 's'} failed: ${failed.map((c) => `${c.name}: ${c.detail}`).join('; ')}`,
      );
    }
  });

  cli
    .command('plot', PLOT_HELP)
    .option('--run <dir>', 'run folder')
    .option('--svg <file>', 'output SVG')
    .action(async (f: Record<string, unknown>) => {
      const r = await plotCommand({ run: need('run', f.run), svg: need('svg', f.svg) });
      out({ svg: r.svg, epochs: r.epochs, series: r.series, bytes: r.bytes });
    });
}
