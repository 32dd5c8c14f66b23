import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { acquireRunLock, lockPath, RunLockedError, type RunLockHolder } from './run-lock';

const LOCK_MODULE = fileURLToPath(new URL('./run-lock.ts', import.meta.url));
const TSX = ['--conditions=@vae/source', '--import', import.meta.resolve('tsx')];

const runDir = () => mkdtempSync(join(tmpdir(), 'vae-lock-'));
const holderOf = (dir: string) => JSON.parse(readFileSync(lockPath(dir), 'utf8')) as RunLockHolder;

/** A pid that belonged to a process that has exited. */
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid!;

async function until(what: string, ok: () => boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Another process that takes the lock and then runs `then` (JS source). */
function lockInChild(dir: string, then: string): ChildProcess {
  const src =
    `const { acquireRunLock } = await import(${JSON.stringify(LOCK_MODULE)});` +
    `acquireRunLock(${JSON.stringify(dir)}, 'vae export'); process.stdout.write('held\\n'); ${then}`;
  return spawn(process.execPath, [...TSX, '--input-type=module', '-e', src], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

describe('run folder lock', () => {
  it('refuses a second writer, naming the holder, until the first releases', () => {
    const dir = runDir();
    const first = acquireRunLock(dir, 'vae train');
    const h = holderOf(dir);
    expect(h).toMatchObject({ pid: process.pid, hostname: hostname(), command: 'vae train' });
    expect(() => acquireRunLock(dir, 'vae export')).toThrow(RunLockedError);
    expect(() => acquireRunLock(dir, 'vae export')).toThrow(
      `${dir} is being written by \`vae train\` (pid ${process.pid}, started ${h.startedAt}); wait for it or stop it`,
    );
    first.release();
    first.release(); // idempotent
    expect(existsSync(lockPath(dir))).toBe(false);
    const second = acquireRunLock(dir, 'vae export');
    expect(holderOf(dir).command).toBe('vae export');
    second.release();
  });

  it('refuses a writer while another live process holds the lock, and takes it over once that process is killed', async () => {
    const dir = runDir();
    const child = lockInChild(dir, 'setInterval(() => {}, 1000);');
    try {
      let out = '';
      child.stdout!.on('data', (b) => (out += b));
      await until('the child to take the lock', () => out.includes('held') || child.exitCode !== null);
      expect(out).toContain('held');
      const err = (() => {
        try {
          acquireRunLock(dir, 'vae train');
        } catch (e) {
          return e;
        }
      })();
      expect(err).toBeInstanceOf(RunLockedError);
      expect((err as Error).message).toMatch(
        new RegExp(
          `is being written by \`vae export\` \\(pid ${child.pid}, started .*\\); wait for it or stop it$`,
        ),
      );
      expect((err as RunLockedError).holder?.pid).toBe(child.pid);
    } finally {
      child.kill('SIGKILL');
      await new Promise((r) => (child.exitCode !== null || child.signalCode ? r(0) : child.once('exit', r)));
    }
    // SIGKILL runs no exit handler: the lock stays, held by a dead pid, and is taken over.
    expect(holderOf(dir).pid).toBe(child.pid);
    const lock = acquireRunLock(dir, 'vae train');
    expect(holderOf(dir)).toMatchObject({ pid: process.pid, command: 'vae train' });
    lock.release();
  });

  it('is released when its process exits', async () => {
    const dir = runDir();
    const child = lockInChild(dir, 'process.exit(3);');
    const code = await new Promise((r) => child.once('exit', r));
    expect(code).toBe(3);
    expect(existsSync(lockPath(dir))).toBe(false);
  });

  it('takes over a lock whose pid is dead, or reused by another process', () => {
    const dir = runDir();
    const stale = (h: Partial<RunLockHolder>) =>
      writeFileSync(
        lockPath(dir),
        JSON.stringify({
          pid: deadPid(),
          hostname: hostname(),
          command: 'vae train',
          startedAt: '2020-01-01T00:00:00.000Z',
          procStart: null,
          token: 'old',
          ...h,
        }),
      );
    stale({});
    acquireRunLock(dir, 'vae train').release();
    // This process's pid, but another start time: the pid was reused, the holder is gone.
    if (existsSync(`/proc/${process.pid}/stat`)) {
      stale({ pid: process.pid, procStart: '1' });
      const lock = acquireRunLock(dir, 'vae train');
      expect(holderOf(dir).token).not.toBe('old');
      lock.release();
    }
    expect(existsSync(lockPath(dir))).toBe(false);
  });

  it('does not take over a lock from another host, and says how to clear it', () => {
    const dir = runDir();
    writeFileSync(
      lockPath(dir),
      JSON.stringify({
        pid: deadPid(),
        hostname: 'elsewhere',
        command: 'vae train',
        startedAt: 'x',
        procStart: null,
        token: 't',
      }),
    );
    expect(() => acquireRunLock(dir, 'vae train')).toThrow(
      /on elsewhere, started x\); wait for it or stop it \(if it is gone, delete .*\.lock\)/,
    );
  });

  it('treats an unreadable lock as being written unless it is old', () => {
    const dir = runDir();
    writeFileSync(lockPath(dir), '');
    expect(() => acquireRunLock(dir, 'vae train')).toThrow(/being locked by another process right now/);
    const old = new Date(Date.now() - 60_000);
    utimesSync(lockPath(dir), old, old);
    acquireRunLock(dir, 'vae train').release();
  });

  it('release leaves a lock that is no longer its own', () => {
    const dir = runDir();
    const lock = acquireRunLock(dir, 'vae train');
    const other = { ...holderOf(dir), token: 'someone-else' };
    writeFileSync(lockPath(dir), JSON.stringify(other));
    lock.release();
    expect(holderOf(dir).token).toBe('someone-else');
  });
});
