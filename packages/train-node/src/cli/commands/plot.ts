import type { CAC } from 'cac';
import { PLOT_HELP, plotCommand } from '../../views/plot';
import { need, printResult, QUIET_FLAG } from '../flags';
import { plural } from '../summary';

/** `vae plot`: its flags, and the JSON line it prints (the SVG and what it shows). */
export function register(cli: CAC): void {
  cli
    .command('plot', PLOT_HELP)
    .option('--run <dir>', 'run folder')
    .option('--svg <file>', 'output SVG')
    .option(QUIET_FLAG.name, QUIET_FLAG.help)
    .action(async (f: Record<string, unknown>) => {
      const r = await plotCommand({ run: need('run', f.run), svg: need('svg', f.svg) });
      if (r.skippedLines.length > 0)
        process.stderr.write(
          `vae plot: left out line${r.skippedLines.length > 1 ? 's' : ''} ${r.skippedLines.join(', ')} of the metrics log: not JSON (a killed run's last line, or damage)\n`,
        );
      printResult(
        {
          svg: r.svg,
          epochs: r.epochs,
          series: r.series,
          bytes: r.bytes,
          skippedLines: r.skippedLines,
        },
        `wrote ${r.svg}: ${r.series.join(', ')} over ${plural(r.epochs, 'epoch')}`,
        f.quiet === true,
      );
    });
}
