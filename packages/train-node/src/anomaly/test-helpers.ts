// Shared by the `vae score` tests: a tiny one-class run and a way to run the command on it. Test-only.
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { vi } from 'vitest';
import { main } from '../cli/main';
import { freshRunDir, tinyTrainOptions } from '../run/test-helpers';
import { trainCommand } from '../run/train-command';
import type { ScoreResult } from './score-command';

/**
 * A tiny one-class run (digit 3 of the embedded digits, 784-32-2, one epoch) in a fresh folder, and
 * that folder (for the tests' outputs).
 */
export async function tinyOneClassRun(): Promise<{ run: string; dir: string }> {
  const run = freshRunDir('vae-score-');
  await trainCommand(tinyTrainOptions(run, { hidden: [32], latent: 2, classes: ['3'] }));
  return { run, dir: dirname(run) };
}

/** Runs `vae score ...` on `run` (unless argv names one) in this process: exit code, JSON result, stderr. */
export async function scoreIn(
  run: string,
  ...argv: string[]
): Promise<{ code: number; r: ScoreResult; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    stdout += String(s);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
    stderr += String(s);
    return true;
  });
  try {
    const own = argv.includes('--run') ? [] : ['--run', run];
    const code = await main(['score', ...own, '--threads', '1', '--quiet', ...argv]);
    return { code, r: code === 0 ? JSON.parse(stdout) : null, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

/** A CSV file's rows, split into cells (the header first). */
export const csvRows = (path: string): string[][] =>
  readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(','));
