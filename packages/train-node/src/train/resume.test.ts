import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeSafetensors } from '@vae/core';
import { describe, expect, it } from 'vitest';
import { loadCheckpoint } from '../checkpoint/checkpoint';

// The real bin: it trains in its own process (no child), so SIGKILL hits the process that trains.
const NODE_ARGS = [fileURLToPath(new URL('../../bin/vae.mjs', import.meta.url))];
// mnist-default: 7000 training examples -> 54 steps of 128 per epoch, 108 in all.
const ARGS = ['train', '--dataset', 'mnist-default', '--epochs', '2', '--hidden', '256', '--latent', '8'];
const ARGS_RUN = ['--steps-per-run', '4', '--checkpoint-every', '4', '--threads', '1', '--quiet'];
const TOTAL = 108;

const vae = (args: string[]) => spawnSync(process.execPath, [...NODE_ARGS, ...args], { encoding: 'utf8' });

function stepOf(path: string): number | null {
  try {
    return loadCheckpoint(path).progress.step;
  } catch {
    return null; // not written yet
  }
}

/** Starts a training process and kills it with SIGKILL once a mid-epoch checkpoint exists. */
async function killMidEpoch(out: string): Promise<number> {
  const child: ChildProcess = spawn(process.execPath, [...NODE_ARGS, ...ARGS, ...ARGS_RUN, '--out', out], {
    stdio: 'ignore',
  });
  const ckpt = join(out, 'checkpoint.safetensors');
  for (;;) {
    await new Promise((r) => setTimeout(r, 5));
    const step = existsSync(ckpt) ? stepOf(ckpt) : null;
    if ((step !== null && step >= 12 && step % 54 !== 0) || child.exitCode !== null) break;
  }
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  return stepOf(ckpt) ?? -1;
}

const params = (path: string) => {
  const t = decodeSafetensors(readFileSync(path)).tensors;
  return Object.fromEntries(
    Object.entries(t).map(([n, v]) => [n, Buffer.from((v.data as Float32Array).buffer)]),
  );
};

describe('resume after kill -9', () => {
  it('ends with exactly the weights of an uninterrupted run', { timeout: 240_000 }, async () => {
    const root = mkdtempSync(join(tmpdir(), 'resume-'));
    const straight = join(root, 'straight');
    const killed = join(root, 'killed');
    const r0 = vae([...ARGS, ...ARGS_RUN, '--out', straight]);
    expect(r0.status, r0.stderr).toBe(0);

    const at = await killMidEpoch(killed);
    // The kill landed mid-training, mid-epoch: a real interruption, not a finished run.
    expect(at).toBeGreaterThan(0);
    expect(at).toBeLessThan(TOTAL);
    expect(at % 54).not.toBe(0);

    // The killed process left its lock; the next writer takes it over (its pid is dead).
    expect(existsSync(join(killed, '.lock'))).toBe(true);
    const again = vae([...ARGS, ...ARGS_RUN, '--out', killed]);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/already holds a run: pass --resume/);

    const r1 = vae([...ARGS, ...ARGS_RUN, '--out', killed, '--resume']);
    expect(r1.status, r1.stderr).toBe(0);
    expect(loadCheckpoint(join(killed, 'checkpoint.safetensors')).progress.step).toBe(TOTAL);
    expect(existsSync(join(killed, '.lock'))).toBe(false);

    const a = params(join(straight, 'checkpoint.safetensors'));
    const b = params(join(killed, 'checkpoint.safetensors'));
    expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
    for (const name of Object.keys(a)) expect(b[name]!.equals(a[name]!), name).toBe(true);
    // The metrics log matches the resumed weights: one line per epoch, then the summary.
    const lines = readFileSync(join(killed, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.filter((l) => l.type === 'epoch').map((l) => l.epoch)).toEqual([1, 2]);
  });
});
