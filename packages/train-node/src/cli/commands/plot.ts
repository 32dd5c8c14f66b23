import type { CAC } from 'cac';
import { PLOT_HELP, plotCommand } from '../../views/plot';
import { need, printJson } from '../flags';

/** `vae plot`: its flags, and the JSON line it prints (the SVG and what it shows). */
export function register(cli: CAC): void {
  cli
    .command('plot', PLOT_HELP)
    .option('--run <dir>', 'run folder')
    .option('--svg <file>', 'output SVG')
    .action(async (f: Record<string, unknown>) => {
      const r = await plotCommand({ run: need('run', f.run), svg: need('svg', f.svg) });
      printJson({ svg: r.svg, epochs: r.epochs, series: r.series, bytes: r.bytes });
    });
}
