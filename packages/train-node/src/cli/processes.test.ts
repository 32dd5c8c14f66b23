import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadCheckpoint } from '../checkpoint/checkpoint';
import { RunLockedError } from '../run/run-lock';
import { trainCommand } from '../run/train-command';

// The real bin, as a user runs it from a source checkout.
const BIN = fileURLToPath(new URL('../../bin/vae.mjs', import.meta.url));
// Long enough to still be training when the test acts; the test never waits for it to end.
const TRAIN = ['train', '--epochs', '1000', '--hidden', '64', '--latent', '4', '--threads', '1', '--quiet'];
const OFTEN = ['--steps-per-run', '4', '--checkpoint-every', '8'];

/** Pids of the processes whose command line mentions `text` (read from /proc). */
function processesWith(text: string): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .flatMap((d) => {
      try {
        return readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0').join(' ').includes(text)
          ? [Number(d)]
          : [];
      } catch {
        return []; // gone meanwhile
      }
    });
}

async function until(what: string, ok: () => boolean, ms = 90_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function stepOf(path: string): number | null {
  try {
    return loadCheckpoint(path).progress.step;
  } catch {
    return null; // not written yet
  }
}

/** Starts `vae train` through the bin and waits until it has saved a checkpoint. */
async function startTraining(out: string): Promise<{ child: ChildProcess; stderr: () => string }> {
  const child = spawn(process.execPath, [BIN, ...TRAIN, ...OFTEN, '--out', out], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (b) => (stderr += b));
  const ckpt = join(out, 'checkpoint.safetensors');
  await until(
    'a first checkpoint',
    () => (existsSync(ckpt) && stepOf(ckpt) !== null) || child.exitCode !== null,
  );
  expect(child.exitCode, stderr).toBeNull();
  return { child, stderr: () => stderr };
}

const exited = (child: ChildProcess) =>
  new Promise<{ code: number | null; signal: string | null }>((r) => {
    if (child.exitCode !== null || child.signalCode !== null)
      r({ code: child.exitCode, signal: child.signalCode });
    else child.once('exit', (code, signal) => r({ code, signal }));
  });

/** Names, sizes and modification times of a folder's files. */
const snapshot = (dir: string) =>
  readdirSync(dir)
    .sort()
    .map((n) => {
      const s = statSync(join(dir, n));
      return `${n}:${s.size}:${s.mtimeMs}`;
    });

describe.skipIf(process.platform !== 'linux')('the vae process and its trainer', () => {
  it('trains in the vae process itself: kill -9 of it leaves nothing running, and the folder stops changing', {
    timeout: 180_000,
  }, async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'vae-proc-')), 'run');
    const { child } = await startTraining(out);
    try {
      // One process has this run on its command line: the bin itself (no child trains on its own).
      expect(processesWith(out)).toEqual([child.pid]);
      // A second writer is refused, naming the one that trains.
      const second = await trainCommand({ out, resume: true, quiet: true }).catch((e: unknown) => e);
      expect(second).toBeInstanceOf(RunLockedError);
      expect((second as Error).message).toMatch(
        new RegExp(
          `is being written by \`vae train\` \\(pid ${child.pid}, started [^)]+\\); wait for it or stop it$`,
        ),
      );
    } finally {
      child.kill('SIGKILL');
    }
    expect((await exited(child)).signal).toBe('SIGKILL');
    await until(
      'no process with the run folder on its command line',
      () => processesWith(out).length === 0,
      10_000,
    );
    const before = snapshot(out);
    await new Promise((r) => setTimeout(r, 1500));
    expect(snapshot(out)).toEqual(before);
    // SIGKILL ran no exit handler: the lock is left behind, held by a dead pid; the next writer takes it over.
    expect(JSON.parse(readFileSync(join(out, '.lock'), 'utf8')).pid).toBe(child.pid);
    const done = loadCheckpoint(join(out, 'checkpoint.safetensors')).progress.epoch;
    const r = await trainCommand({ out, resume: true, epochs: done + 1, quiet: true, threads: 1 });
    expect(r.progress).toMatchObject({ epoch: done + 1, finished: 'epochs' });
    expect(existsSync(join(out, '.lock'))).toBe(false);
  });

  it('SIGTERM reaches the trainer: it saves a checkpoint at a step boundary, releases the lock and exits', {
    timeout: 180_000,
  }, async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'vae-proc-')), 'run');
    const { child, stderr } = await startTraining(out);
    child.kill('SIGTERM');
    const end = await exited(child);
    expect(end.code, stderr()).toBe(1);
    const m =
      /stopped by SIGTERM at step (\d+) \(epoch \d+ of 1000\); the checkpoint is saved: continue with `vae train --out .* --resume`/.exec(
        stderr(),
      );
    expect(m, stderr()).not.toBeNull();
    expect(loadCheckpoint(join(out, 'checkpoint.safetensors')).progress).toMatchObject({
      step: Number(m![1]),
      finished: null,
    });
    expect(existsSync(join(out, '.lock'))).toBe(false);
    expect(processesWith(out)).toEqual([]);
  });
});
