import { type CAC, cac } from 'cac';
import { version } from '../../package.json';
import { checkArgv } from './argv';
import { COMMANDS } from './commands/index';
import { formatCliError } from './errors';

/** The version of `@vae/train-node`, which `vae --version` prints. */
export const VERSION: string = version;

/** The `vae` command line: every subcommand of {@link COMMANDS}, `--version` and `--help`. */
export function buildCli(): CAC {
  const cli = cac('vae');
  for (const register of COMMANDS) register(cli);
  cli.option('-v, --version', 'Print the version');
  cli.help();
  cli.globalCommand.versionNumber = VERSION;
  return cli;
}

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
    const cli = buildCli();
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
