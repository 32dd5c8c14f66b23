import type { CAC, Command } from 'cac';
import { UsageError } from '../render/errors';

/**
 * Checks a `vae` command line against the commands and options registered on `cli` before cac
 * parses it, so that every mistake is refused with a reason (cac's parser, mri, would take a
 * negative number for a flag, turn a repeated flag into an array, and push `--quiet=yes`'s value
 * into the positional arguments). Returns the arguments to parse: the same, except that a
 * negative number after a flag that takes a value is joined to it (`--lr -1` -> `--lr=-1`).
 */

/** Levenshtein distance between two strings. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}

/** The candidate nearest to `word`, when it is close enough to be what was meant. */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const d = editDistance(word, c);
    if (d < bestD) [best, bestD] = [c, d];
  }
  return bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

const NEGATIVE_NUMBER = /^-(\d|\.\d)/;
const isFlag = (arg: string) => arg.startsWith('-') && arg !== '-' && !NEGATIVE_NUMBER.test(arg);
const camel = (s: string) => s.replace(/([a-z])-([a-z])/g, (_, a: string, b: string) => a + b.toUpperCase());
const dashed = (name: string) => (name.length > 1 ? `--${name}` : `-${name}`);
/** `--checkpoint-every` as the user can type it, from cac's camel-cased option name. */
const flagOf = (name: string) => dashed(name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`));

type CacOption = Command['options'][number];

/** The command line to parse, or a {@link UsageError} naming what is wrong and where help is. */
export function checkArgv(cli: CAC, argv: readonly string[]): string[] {
  const first = argv[0];
  if (argv.includes('--help') || argv.includes('-h')) return [...argv];
  if (first === undefined) return [];
  const commands = cli.commands.filter((c) => c.name !== '');
  if (isFlag(first))
    throw new UsageError(
      `unknown option ${first.split('=')[0]}: give a command first, as in \`vae train --help\` (vae --help lists commands)`,
    );
  const command = commands.find((c) => c.isMatched(first));
  if (!command) {
    const guess = nearest(
      first,
      commands.map((c) => c.name),
    );
    throw new UsageError(
      `unknown command "${first}"${guess ? `; did you mean "${guess}"?` : ''} (vae --help lists commands)`,
    );
  }
  const where = `vae ${command.name} --help`;
  const options: CacOption[] = [
    ...command.options,
    ...cli.globalCommand.options.filter((o) => o.name !== 'version'),
  ];
  const out: string[] = [first];
  const seen = new Set<string>();
  const positionals: string[] = [];
  let lastBoolean: string | null = null;
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      out.push(...argv.slice(i));
      break;
    }
    if (!isFlag(arg)) {
      positionals.push(arg);
      if (positionals.length > command.args.length) {
        const after = lastBoolean ? `: ${lastBoolean} takes no value` : '';
        throw new UsageError(`unexpected argument "${arg}"${after} (${where})`);
      }
      out.push(arg);
      lastBoolean = null;
      continue;
    }
    const eq = arg.indexOf('=');
    const typed = eq < 0 ? arg : arg.slice(0, eq);
    const name = camel(typed.replace(/^-+/, ''));
    const option = options.find((o) => o.names.includes(name));
    if (!option) {
      const guess = nearest(
        typed,
        options.flatMap((o) => o.names.map(flagOf)),
      );
      throw new UsageError(
        `unknown option ${typed} for vae ${command.name}${guess ? `; did you mean ${guess}?` : ''} (${where} lists the options)`,
      );
    }
    const flag = flagOf(option.name);
    if (seen.has(option.name)) throw new UsageError(`${flag} is given more than once: give it once`);
    seen.add(option.name);
    lastBoolean = null;
    if (option.isBoolean) {
      if (eq >= 0) throw new UsageError(`${flag} takes no value, got ${arg} (${where})`);
      lastBoolean = flag;
      out.push(arg);
      continue;
    }
    if (eq >= 0) {
      if (eq === arg.length - 1) throw new UsageError(`${flag} needs a value (${where})`);
      out.push(arg);
      continue;
    }
    const value = argv[i + 1];
    if (value === undefined || value === '' || value === '--' || isFlag(value))
      throw new UsageError(`${flag} needs a value (${where})`);
    out.push(`${typed}=${value}`);
    i++;
  }
  const required = command.args.filter((a) => a.required);
  if (positionals.length < required.length)
    throw new UsageError(
      `vae ${command.name} needs ${required
        .slice(positionals.length)
        .map((a) => `<${a.value}>`)
        .join(' ')} (${where})`,
    );
  return out;
}
