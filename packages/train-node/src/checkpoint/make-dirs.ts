import { mkdirSync, rmdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * Creates folder `path` and its missing parents, one `mkdir` at a time, and returns the folders it
 * created, outermost first (empty when `path` already existed).
 *
 * Why not `mkdirSync(path, { recursive: true })`: on Node 20 it never returns when `mkdir` answers
 * ENOENT under a parent that exists (e.g. `/proc/foo`), and it does not say which parents it made,
 * so a failed command could not take them back ({@link removeEmptyDirs}).
 * @throws Node's error for the first folder that cannot be made (`cannot mkdir /proc/foo: ...`)
 */
export function makeDirs(path: string): string[] {
  const missing: string[] = [];
  for (let p = resolve(path); !isDir(p); p = dirname(p)) {
    missing.push(p);
    if (dirname(p) === p) break; // the root itself is missing: let mkdir say so
  }
  const created: string[] = [];
  for (const dir of missing.reverse()) {
    try {
      mkdirSync(dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || !isDir(dir)) {
        removeEmptyDirs(created);
        throw e;
      }
      continue; // made meanwhile by someone else: not ours to remove
    }
    created.push(dir);
  }
  return created;
}

/** Removes the folders {@link makeDirs} created, innermost first, each only while it is empty. */
export function removeEmptyDirs(created: readonly string[]): void {
  for (const dir of [...created].reverse()) {
    try {
      rmdirSync(dir);
    } catch {
      return; // not empty (someone's file) or gone: leave it and everything above it
    }
  }
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
