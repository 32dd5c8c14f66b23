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
      if (r.skippedLines.length > 0)
        process.stderr.write(
          `vae plot: left out line${r.skippedLines.length > 1 ? 's' : ''} ${r.skippedLines.join(', ')} of the metrics log: not JSON (a killed run's last line, or damage)\n`,
        );
      printJson({
        svg: r.svg,
        epochs: r.epochs,
        series: r.series,
        bytes: r.bytes,
        skippedLines: r.skippedLines,
      });
    });
}
