import { randomBytes } from 'node:crypto';
import { linkSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { RunError } from './run-dir';

/** What `<run>/.lock` holds: who writes the run folder. */
export interface RunLockHolder {
  readonly pid: number;
  readonly hostname: string;
  /** The command that writes, e.g. `vae train --resume`. */
  readonly command: string;
  readonly startedAt: string;
  /** The holder's start time in clock ticks since boot (Linux), so a reused pid is not taken for it. */
  readonly procStart: string | null;
  /** Tells this holder's lock from a later one at the same path. */
  readonly token: string;
}

/** A held lock on a run folder. `release` is idempotent and only removes this holder's lock. */
export interface RunLock {
  readonly path: string;
  readonly holder: RunLockHolder;
  release(): void;
}

/** A run folder that another live process is writing. `name` stays `RunError` (a known CLI error). */
export class RunLockedError extends RunError {
  constructor(
    readonly dir: string,
    readonly holder: RunLockHolder | null,
  ) {
    super(
      holder
        ? `${dir} is being written by \`${holder.command}\` (pid ${holder.pid}` +
            `${holder.hostname === hostname() ? '' : ` on ${holder.hostname}`}, started ${holder.startedAt}); ` +
            `wait for it or stop it${holder.hostname === hostname() ? '' : ` (if it is gone, delete ${lockPath(dir)})`}`
        : `${dir} is being locked by another process right now; try again`,
    );
  }
}

export const lockPath = (dir: string) => join(dir, '.lock');

/** Field 22 of /proc/<pid>/stat (start time); null where there is no /proc. */
function procStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

/** Whether the holder may still be writing: another host (cannot tell), or a live pid that is still that process. */
function alive(h: RunLockHolder): boolean {
  if (h.hostname !== hostname()) return true;
  try {
    process.kill(h.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  const now = procStart(h.pid);
  return !(h.procStart && now && now !== h.procStart);
}

/** The holder in a lock file; null when it is unreadable (torn, or not yet written). */
function readHolder(path: string): RunLockHolder | null {
  try {
    const h = JSON.parse(readFileSync(path, 'utf8')) as RunLockHolder;
    return typeof h.pid === 'number' && typeof h.token === 'string' ? h : null;
  } catch {
    return null;
  }
}

const held = new Set<RunLock>();
let exitHook = false;

/**
 * Takes `<dir>/.lock` for a command that writes the run folder `dir` (which must exist). The lock
 * file appears whole (written beside it, then hard-linked into place; `wx` where links are not
 * supported). A live holder is refused with a {@link RunLockedError} naming it; a lock left by a
 * process that is gone (pid not alive on this host, or reused) is taken over. Held locks are also
 * released when the process exits (`process.exit` included; not on SIGKILL, which leaves a lock
 * the next writer takes over).
 */
export function acquireRunLock(dir: string, command: string): RunLock {
  const path = lockPath(dir);
  const holder: RunLockHolder = {
    pid: process.pid,
    hostname: hostname(),
    command,
    startedAt: new Date().toISOString(),
    procStart: procStart(process.pid),
    token: randomBytes(8).toString('hex'),
  };
  const text = `${JSON.stringify(holder)}\n`;
  const tmp = `${path}.${process.pid}.${holder.token}`;
  writeFileSync(tmp, text);
  try {
    for (let attempt = 0; ; attempt++) {
      if (place(tmp, path, text)) break;
      const other = readHolder(path);
      if (other ? alive(other) : !oldEnough(path)) throw new RunLockedError(dir, other);
      if (attempt >= 3) throw new RunLockedError(dir, other);
      takeOver(path, other);
    }
  } finally {
    rmSync(tmp, { force: true });
  }
  const lock: RunLock = {
    path,
    holder,
    release() {
      if (!held.delete(lock)) return;
      if (readHolder(path)?.token === holder.token) rmSync(path, { force: true });
    },
  };
  held.add(lock);
  if (!exitHook) {
    exitHook = true;
    process.on('exit', () => {
      for (const l of [...held]) l.release();
    });
  }
  return lock;
}

/** Puts the lock file in place unless one exists; false when one does. */
function place(tmp: string, path: string, text: string): boolean {
  try {
    linkSync(tmp, path);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw e;
  }
  try {
    writeFileSync(path, text, { flag: 'wx' });
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
}

/** An unreadable lock is a torn write by a dead process once it is a few seconds old. */
function oldEnough(path: string): boolean {
  try {
    return Date.now() - statSync(path).mtimeMs > 5_000;
  } catch {
    return true; // gone meanwhile
  }
}

/**
 * Moves a stale lock aside. If another process replaced it with its own lock meanwhile (both saw
 * the same stale one), that lock is put back and the next attempt finds it alive.
 */
function takeOver(path: string, stale: RunLockHolder | null): void {
  const aside = `${path}.stale-${process.pid}`;
  try {
    renameSync(path, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  const moved = readHolder(aside);
  if (moved && moved.token !== stale?.token) {
    try {
      linkSync(aside, path);
    } catch {
      // A third lock is in place: the next attempt reads it.
    }
  }
  rmSync(aside, { force: true });
}
