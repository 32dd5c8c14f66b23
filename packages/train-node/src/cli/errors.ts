import { isUserError } from '@vae/core';

/**
 * How the `vae` CLI reports a failure (exit code 1 either way):
 * - a user-facing error (`isUserError` from `@vae/core`: bad flags, missing or damaged files, NaN
 *   loss, ...) is ONE line, `vae: <message>`: no class name, no stack, newlines collapsed;
 * - cac's parse errors and Node's file-system errors on a user's path are user-facing too;
 * - anything else is a bug: `vae: internal error: <message>`, the stack, and {@link BUG_REPORT}.
 */

/** The last line of an internal error's report. */
export const BUG_REPORT = 'This is a bug in vae; please report it with the command you ran and this output.';

/** What the CLI knows when an error reaches it. */
export interface CliErrorContext {
  /** The command that ran (`train`, `eval`, ...), for pointers to `vae <command> --help`. */
  readonly command?: string;
}

/** A message as one line: line breaks and the indentation after them collapse to one separator. */
export function oneLine(message: string): string {
  const lines = message
    .split(/\r?\n/)
    .map((l) => l.trim().replace(/^- /, ''))
    .filter((l) => l !== '');
  let out = lines[0] ?? '';
  for (const l of lines.slice(1)) out += /[.:;,]$/.test(out) ? ` ${l}` : `; ${l}`;
  return out;
}

const help = (command?: string) => (command ? `vae ${command} --help` : 'vae --help');

/** cac's error messages (it exports no error class; its errors are named `CACError`) in our words. */
function cacMessage(message: string, command?: string): string {
  let m = /^Unknown option `(.+)`$/.exec(message);
  if (m) return `unknown option ${m[1]} (${help(command)} lists the options)`;
  m = /^option `(\S+)[^`]*` value is missing$/.exec(message);
  if (m) return `${m[1]} needs a value (${help(command)})`;
  m = /^missing required args for command `(\S+) ?([^`]*)`$/.exec(message);
  if (m) return `vae ${m[1]} needs ${m[2] || 'more arguments'} (${help(m[1])})`;
  m = /^Unused args: (.+)$/.exec(message);
  if (m) return `unexpected argument ${m[1]!.replaceAll('`', '"')} (${help(command)})`;
  return `${oneLine(message)} (${help(command)})`;
}

const isCacError = (e: unknown): e is Error => e instanceof Error && e.name === 'CACError';

/** Node's errors about a path (`ENOENT: no such file or directory, open 'x'`) or a full disk. */
function systemMessage(e: unknown): string | null {
  if (!(e instanceof Error)) return null;
  const { code, syscall, path } = e as NodeJS.ErrnoException;
  if (typeof code !== 'string' || !/^E[A-Z]+$/.test(code) || typeof syscall !== 'string') return null;
  if (code === 'ENOSPC' || code === 'EDQUOT')
    return `no space left to ${syscall}${path ? ` ${path}` : ''} (${code})`;
  if (typeof path !== 'string') return null;
  const what = /^E[A-Z]+: ([^,]+)/.exec(e.message)?.[1] ?? e.message;
  return `cannot ${syscall} ${path}: ${what} (${code})`;
}

/** The report for `e`, without a final newline (see the module comment for the contract). */
export function formatCliError(e: unknown, context: CliErrorContext = {}): string {
  if (isCacError(e)) return `vae: ${cacMessage(e.message, context.command)}`;
  if (isUserError(e)) return `vae: ${oneLine(e.message)}`;
  const system = systemMessage(e);
  if (system) return `vae: ${system}`;
  const message = e instanceof Error ? e.message : String(e);
  const lines = [`vae: internal error: ${oneLine(message) || (e instanceof Error ? e.name : 'unknown')}`];
  for (let c: unknown = e, depth = 0; c instanceof Error && depth < 4; c = c.cause, depth++)
    lines.push(depth === 0 ? (c.stack ?? `${c.name}: ${c.message}`) : `Caused by: ${c.stack ?? c.message}`);
  lines.push(BUG_REPORT);
  return lines.join('\n');
}
