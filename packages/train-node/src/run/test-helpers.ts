// Shared by the CLI tests that run `vae` in the test's own process. Test-only.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vi } from 'vitest';
import { main } from '../cli/main';
import type { TrainCommandOptions } from './train-command';

/** Runs the CLI in this process; returns its exit code and what it wrote to stderr. */
export async function vaeInProcess(...argv: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
    stderr += String(s);
    return true;
  });
  try {
    return { code: await main(argv), stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

/** A run folder path that does not exist yet, in a fresh temporary directory. */
export const freshRunDir = (prefix: string) => join(mkdtempSync(join(tmpdir(), prefix)), 'run');

/** Options of a tiny run on the embedded digits (7000 training examples: 54 steps of 128 an epoch). */
export const tinyTrainOptions = (
  out: string,
  extra: Partial<TrainCommandOptions> = {},
): TrainCommandOptions => ({
  dataset: 'mnist-default',
  latent: 4,
  hidden: [64],
  epochs: 1,
  out,
  threads: 1,
  quiet: true,
  ...extra,
});
