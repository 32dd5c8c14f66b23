import { availableParallelism } from 'node:os';
import { TrainConfigError } from '@vae/core';
import type { Command } from 'cac';

// How the `vae` commands read their flags. cac gives numbers for numeric text, strings otherwise,
// `true` for a flag given without a value, and undefined for an absent one.

/** The number in a flag's value. */
const numberOf = (v: unknown) =>
  typeof v === 'number' ? v : typeof v === 'string' && v.trim() ? Number(v) : Number.NaN;

/** Reads a number and names the flag when it is not one; absent, `fallback` or an error. */
export function num(flag: string, v: unknown, fallback?: number): number {
  if (v === undefined || v === true) {
    if (fallback === undefined) throw new TrainConfigError(`--${flag} needs a value`);
    return fallback;
  }
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isFinite(n)) throw new TrainConfigError(`--${flag} must be a number, got ${JSON.stringify(v)}`);
  return n;
}

/** A number flag that may be absent. */
export const optNum = (flag: string, v: unknown) => (v === undefined ? undefined : num(flag, v));

/** A comma-separated list of numbers, e.g. `--hidden 512,256`. */
export const list = (flag: string, v: unknown, fallback: string) =>
  String(v ?? fallback)
    .split(',')
    .map((s) => num(flag, s.trim()));

/** A required text flag (a path, a folder). */
export function need(flag: string, v: unknown): string {
  if (typeof v === 'number') return String(v); // cac reads `--out 7` as a number
  if (typeof v !== 'string' || !v) throw new TrainConfigError(`--${flag} is required`);
  return v;
}

/** An integer flag >= `min` that may be absent; anything else is refused naming the flag. */
export function optInt(flag: string, v: unknown, min = 1): number | undefined {
  if (v === undefined) return undefined;
  const n = numberOf(v);
  if (!Number.isSafeInteger(n) || n < min)
    throw new TrainConfigError(
      `--${flag} must be ${min === 1 ? 'a positive integer' : `an integer >= ${min}`}, got ${JSON.stringify(v)}`,
    );
  return n;
}

/**
 * `--threads`: onnxruntime's intra-op threads, 1 to the cores this process may use (more only
 * makes threads wait for each other; 0 would mean onnxruntime's own default). Absent: all cores.
 */
export function optThreads(v: unknown): number | undefined {
  if (v === undefined) return undefined;
  const n = numberOf(v);
  const cores = availableParallelism();
  if (!Number.isInteger(n) || n < 1 || n > cores)
    throw new TrainConfigError(
      `--threads must be an integer from 1 to ${cores} (the cores here; leave it out to use all), got ${JSON.stringify(v)}`,
    );
  return n;
}

/** The `--threads` flag as every command that runs onnxruntime declares it (train has its own text). */
export const THREADS_HELP = 'onnxruntime threads, 1 to the cores here (default: all)';

/** Prints a command's result: one JSON object on one stdout line. */
export const printJson = (o: unknown): void => {
  process.stdout.write(`${JSON.stringify(o)}\n`);
};

/**
 * Prints a command's result: the JSON object on one stdout line (what scripts parse; nothing else
 * ever goes to stdout), then, unless `quiet`, a short summary for people on stderr (what was done,
 * where it is, the headline numbers), one line per entry.
 */
export function printResult(o: unknown, summary: string | readonly string[], quiet = false): void {
  printJson(o);
  if (!quiet) process.stderr.write(`${(typeof summary === 'string' ? [summary] : summary).join('\n')}\n`);
}

/** A flag as a command declares it: cac's name (`--run <dir>`), its help text and its default. */
export interface Flag {
  readonly name: string;
  readonly help: string;
  readonly default?: unknown;
}

/** `--run <dir>`: the run folder a command reads. */
export const RUN_FLAG: Flag = { name: '--run <dir>', help: 'run folder' };
/** `--png <file>`: where a view command writes its picture. */
export const PNG_FLAG: Flag = { name: '--png <file>', help: 'output PNG' };
/** `--split <name>`: which split of the run's data a command reads. */
export const SPLIT_FLAG: Flag = { name: '--split <name>', help: 'test | val | train', default: 'test' };
/** `--device <name>`: onnxruntime-node's execution provider (backend/device.ts). */
export const DEVICE_FLAG: Flag = {
  name: '--device <name>',
  help: 'cpu | cuda | webgpu: where onnxruntime-node runs the graphs (default cpu); a missing provider or GPU fails at once, naming what to install',
};
/** `--threads <n>`, see {@link optThreads}. */
export const THREADS_FLAG: Flag = { name: '--threads <n>', help: THREADS_HELP };
/** `--quiet`: stdout's JSON line only, no progress or summary on stderr (errors still are). */
export const QUIET_FLAG: Flag = {
  name: '--quiet',
  help: 'no progress or summary on stderr (stdout keeps its JSON line)',
};
/** `--scale <n>`: how much a view command enlarges its picture (render/png-grid.ts `autoScale`). */
export const SCALE_FLAG: Flag = {
  name: '--scale <n>',
  help: 'pixels per image pixel, nearest neighbour, 1 to 16 (default: the smallest that makes the picture 512 px or more, at most 8)',
};

/** Declares `flags` on `cmd` in order (the order help lists them). */
export function withFlags(cmd: Command, flags: readonly Flag[]): Command {
  for (const f of flags)
    cmd.option(f.name, f.help, f.default === undefined ? undefined : { default: f.default });
  return cmd;
}

/** The `--png`, `--scale` and `--threads` values of a view command, checked (`--scale`'s range by the view). */
export const pngOutput = (f: Record<string, unknown>) => ({
  png: need('png', f.png),
  scale: optNum('scale', f.scale),
  threads: optThreads(f.threads),
});
