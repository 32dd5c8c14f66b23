import { cac } from 'cac';
import { version } from '../../package.json';
import { checkArgv } from './argv';
import { formatCliError } from './errors';
import { register } from './register';

/** The version of `@vae/train-node`, which `vae --version` prints. */
export const VERSION: string = version;

/**
 * Runs the `vae` CLI on `argv` (without node and script). Exit code 0 on success (and for `vae`,
 * `vae --help`, `vae --version`); 1 on any error, reported on stderr as `formatCliError` says.
 */
export async function main(argv: readonly string[]): Promise<number> {
  let command: string | undefined;
  try {
    if (argv[0] === '--version' || argv[0] === '-v') {
      process.stdout.write(`vae ${VERSION}\n`);
      return 0;
    }
    const cli = cac('vae');
    register(cli);
    cli.option('-v, --version', 'Print the version');
    cli.help();
    cli.globalCommand.versionNumber = VERSION;
    // `vae help [command]` is `vae [command] --help`.
    const asked = argv[0] === 'help' ? [...argv.slice(1, 2), '--help'] : argv;
    const args = checkArgv(cli, asked);
    command = cli.commands.find((c) => c.isMatched(args[0] ?? ''))?.name;
    cli.parse(['node', 'vae', ...args], { run: false });
    if (!cli.matchedCommand) {
      // `vae`, `vae --help`, `vae train --help`: cac printed the help already, except for `vae`.
      if (argv.length === 0) cli.outputHelp();
      return 0;
    }
    await cli.runMatchedCommand();
    return 0;
  } catch (e) {
    process.stderr.write(`${formatCliError(e, { command })}\n`);
    return 1;
  }
}
