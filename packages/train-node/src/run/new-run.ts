import { existsSync, readdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { makeDirs, removeEmptyDirs } from '../checkpoint/make-dirs';
import { runPaths } from './run-dir';
import type { RunLock } from './run-lock';

/** The files a fresh `vae train` writes (and the temp files of their atomic writes). */
function isRunFile(dir: string, name: string): boolean {
  const p = runPaths(dir);
  const names = [p.config, p.checkpoint, p.best, p.metrics].map((f) => basename(f));
  return names.some((n) => name === n || name.startsWith(`${n}.tmp-`));
}

/**
 * Creates a fresh run's folder (and its missing parents) and remembers what it held before, so that
 * a run that fails before its first checkpoint can be taken back: `undo(lock)` removes the run files
 * this invocation created (nothing that was there before), releases the lock, and removes the folders
 * this invocation created while they are empty again. A folder the user made stays, as it was.
 */
export function trackNewRun(dir: string): { undo(lock: RunLock): void } {
  const before = new Set(existsSync(dir) ? readdirSync(dir) : []);
  const created = makeDirs(dir);
  return {
    undo(lock) {
      if (existsSync(dir))
        for (const name of readdirSync(dir))
          if (!before.has(name) && isRunFile(dir, name)) rmSync(join(dir, name), { force: true });
      lock.release();
      removeEmptyDirs(created);
    },
  };
}
