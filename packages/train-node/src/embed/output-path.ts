import { type Stats, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../render/errors';

/** The path's stats, or undefined when nothing is there (also under a file: ENOTDIR). */
function stat(p: string): Stats | undefined {
  try {
    return statSync(p);
  } catch {
    return undefined;
  }
}

/**
 * Refuses an output path that cannot be written, before any work is done: an existing folder, or a
 * path under a file. Missing folders are fine (they are created when the file is written).
 * @throws UsageError naming the flag and the path at fault
 */
export function checkOutputPath(flag: string, path: string): void {
  const here = stat(path);
  if (here?.isDirectory()) throw new UsageError(`--${flag} ${path} is a folder: give a file path inside it`);
  for (let p = dirname(resolve(path)); ; p = dirname(p)) {
    const s = stat(p);
    if (s?.isDirectory() || dirname(p) === p) return;
    if (s) throw new UsageError(`--${flag} ${path}: ${p} is a file, not a folder`);
  }
}
