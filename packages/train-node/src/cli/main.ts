import { cac } from 'cac';
import { formatCliError } from './errors';
import { register } from './register';

/** Runs the `vae` CLI on `argv` (without node and script). Exit code 0 on success, 1 on a usage or run error. */
export async function main(argv: readonly string[]): Promise<number> {
  const cli = cac('vae');
  register(cli);
  cli.help();
  try {
    const parsed = cli.parse(['node', 'vae', ...argv], { run: false });
    if (!cli.matchedCommand) {
      if (parsed.options.help) return 0;
      cli.outputHelp();
      return argv.length === 0 ? 0 : 1;
    }
    await cli.runMatchedCommand();
    return 0;
  } catch (e) {
    process.stderr.write(`${formatCliError(e)}\n`);
    return 1;
  }
}
