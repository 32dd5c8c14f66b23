// Types of the parts of peer.mjs that TypeScript drivers import (bench/anomaly/tune.ts).

/** A number with `d` decimals, or '-' for null / undefined. */
export function fmt(x: number | null | undefined, d?: number): string;
/** argv of our CLI (`OURS_CMD`, default: the vae CLI from the TypeScript sources) with `args`. */
export function oursArgv(...args: string[]): string[];
/** Runs argv in the repo root, its output to logFile; resolves to its stdout, rejects with the log's end. */
export function run(argv: string[], logFile: string, label?: string, wrapper?: string[]): Promise<string>;
