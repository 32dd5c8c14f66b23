import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adam, mlpVAE, NonFiniteLossError } from '@vae/core';
import { createDataset } from '@vae/datasets';
import { describe, expect, it } from 'vitest';
import { loadCheckpoint } from '../checkpoint/checkpoint';
import { train } from './trainer';

const D = 16;
function data(poisonRow: number | null) {
  const n = 64;
  const x = Float32Array.from({ length: n * D }, (_, i) => ((i * 7919) % 13) / 13);
  if (poisonRow !== null) x[poisonRow * D + 3] = Number.NaN;
  return createDataset({ name: 'toy', dtype: 'float32', data: x, exampleShape: [D] });
}

const common = {
  vae: mlpVAE({ inputSize: D, latent: 2, hidden: [8] }),
  optimizer: adam({ lr: 1e-2 }),
  batchSize: 16,
  seed: 3,
  stepsPerRun: 2,
  feed: { shape: [D], binarize: false, scale: 1, conditionSize: 0, maskColumns: null },
};

describe('NaN guard', () => {
  it('stops at the first non-finite loss, names the step, and keeps the last good checkpoint', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'nan-'));
    const first = await train({ ...common, train: data(null), epochs: 1, outDir });
    const ckpt = join(outDir, 'checkpoint.safetensors');
    const before = readFileSync(ckpt);
    expect(first.progress.step).toBe(4);
    // Epoch 2 sees a NaN pixel: the loss is NaN at the step whose batch holds that example.
    const err = await train({
      ...common,
      train: data(5),
      epochs: 2,
      outDir,
      resumeFrom: loadCheckpoint(ckpt),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NonFiniteLossError);
    const e = err as NonFiniteLossError;
    expect(e.step).toBeGreaterThan(4);
    expect(e.step).toBeLessThanOrEqual(8);
    expect(e.message).toMatch(/lower learning rate/);
    expect(e.message).toContain(ckpt);
    expect(readFileSync(ckpt).equals(before)).toBe(true);
    const log = readFileSync(join(outDir, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(log.at(-1)).toMatchObject({ type: 'error', step: e.step });
  });

  it('names no checkpoint when none is on disk, even after some steps', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'nan-'));
    // One step per call: with seed 3 the poisoned example (row 20) is in the 4th batch of epoch 1,
    // so three steps succeed before it, and no checkpoint has been written yet (that is at the epoch's end).
    const err = await train({ ...common, stepsPerRun: 1, train: data(20), epochs: 1, outDir }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(NonFiniteLossError);
    const e = err as NonFiniteLossError;
    expect(e.step).toBe(4);
    expect(existsSync(join(outDir, 'checkpoint.safetensors'))).toBe(false);
    expect(e.checkpoint).toBeNull();
    expect(e.message).not.toContain('checkpoint.safetensors');
    expect(e.message).toMatch(/No checkpoint had been saved yet, so there is nothing to resume/);
  });

  it('names the checkpoint saved earlier in the same run', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'nan-'));
    const err = await train({
      ...common,
      stepsPerRun: 1,
      checkpointEverySteps: 1,
      train: data(20),
      epochs: 1,
      outDir,
    }).catch((e: unknown) => e);
    const e = err as NonFiniteLossError;
    expect(e.step).toBe(4);
    const ckpt = join(outDir, 'checkpoint.safetensors');
    expect(e.checkpoint).toBe(ckpt);
    expect(e.message).toContain(`The last good checkpoint is kept at ${ckpt}`);
    expect(loadCheckpoint(ckpt).progress.step).toBe(3);
  });

  it('same seed and data give identical weights run after run', async () => {
    const a = await train({ ...common, train: data(null), epochs: 2 });
    const b = await train({ ...common, train: data(null), epochs: 2 });
    const c = await train({ ...common, seed: 4, train: data(null), epochs: 2 });
    for (const n of Object.keys(a.params))
      expect(
        Buffer.from((b.params[n]!.data as Float32Array).buffer).equals(
          Buffer.from((a.params[n]!.data as Float32Array).buffer),
        ),
      ).toBe(true);
    expect(Array.from(c.params['dec.2.bias']!.data as Float32Array)).not.toEqual(
      Array.from(a.params['dec.2.bias']!.data as Float32Array),
    );
  });
});
