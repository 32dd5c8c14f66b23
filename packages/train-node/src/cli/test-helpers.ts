/** Test-only: the real `vae` entry run as a user runs it, for the CLI tests that spawn it. */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** bin/vae.mjs: from this source checkout it runs the TypeScript sources. */
export const BIN = fileURLToPath(new URL('../../bin/vae.mjs', import.meta.url));

/** A finished `vae` process. */
export interface Result {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

// Two processes at a time: each spends about a CPU-second starting (tsx, onnxruntime), and the
// machine may have two cores.
let running = 0;
const waiting: (() => void)[] = [];

/** Runs `vae ...args` (stderr not a terminal, as in CI), at most two at a time. */
export async function vae(args: readonly string[], env: Record<string, string> = {}): Promise<Result> {
  if (running >= 2) await new Promise<void>((go) => waiting.push(go));
  running++;
  try {
    return await spawnVae(args, env);
  } finally {
    running--;
    waiting.shift()?.();
  }
}

function spawnVae(args: readonly string[], env: Record<string, string>): Promise<Result> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
