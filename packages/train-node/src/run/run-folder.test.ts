import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lockPath } from './run-lock';
import { freshRunDir, tinyTrainOptions, vaeInProcess } from './test-helpers';
import { trainCommand } from './train-command';

const opts = tinyTrainOptions;
const fresh = () => freshRunDir('vae-folder-');

const vae = vaeInProcess;

describe('a vae train that fails before training leaves no run behind', () => {
  it('--batch larger than the data: no folder, and the same --out trains afterwards', async () => {
    const out = fresh();
    const r = await vae(
      'train',
      '--batch',
      '100000',
      '--hidden',
      '64',
      '--latent',
      '4',
      '--epochs',
      '1',
      '--out',
      out,
      '--quiet',
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/fewer than one batch of 100000/);
    expect(existsSync(out)).toBe(false);
    const ok = await vae(
      'train',
      '--hidden',
      '64',
      '--latent',
      '4',
      '--epochs',
      '1',
      '--out',
      out,
      '--quiet',
      '--threads',
      '1',
    );
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual([
      'best.safetensors',
      'checkpoint.safetensors',
      'config.json',
      'metrics.jsonl',
    ]);
  });

  it('bad data and bad flags: no folder either', async () => {
    const missing = fresh();
    await expect(
      trainCommand(opts(missing, { dataset: join(tmpdir(), 'no-such-file.csv'), model: 'tabular' })),
    ).rejects.toThrow(/file not found/);
    expect(existsSync(missing)).toBe(false);
    const badLr = fresh();
    await expect(trainCommand(opts(badLr, { lr: -1 }))).rejects.toThrow(/--lr must be a positive number/);
    expect(existsSync(badLr)).toBe(false);
  });

  it('a folder that existed before stays as it was (its files too)', async () => {
    const out = fresh();
    mkdirSync(out);
    writeFileSync(join(out, 'notes.txt'), 'mine');
    await expect(trainCommand(opts(out, { batch: 100_000 }))).rejects.toThrow(/fewer than one batch/);
    expect(readdirSync(out)).toEqual(['notes.txt']);
    // An empty folder the user made stays too, empty.
    const empty = fresh();
    mkdirSync(empty);
    await expect(trainCommand(opts(empty, { batch: 100_000 }))).rejects.toThrow(/fewer than one batch/);
    expect(readdirSync(empty)).toEqual([]);
  });

  it('releases the lock after a failed run and after a refused resume', async () => {
    const out = fresh();
    await trainCommand(opts(out));
    expect(existsSync(lockPath(out))).toBe(false);
    // Refused before training (a flag contradicts the recipe): the run is untouched and unlocked.
    await expect(trainCommand({ out, resume: true, lr: 0.5, quiet: true })).rejects.toThrow(
      /--lr 0.5 differs/,
    );
    expect(existsSync(lockPath(out))).toBe(false);
    expect(readdirSync(out).sort()).toEqual([
      'best.safetensors',
      'checkpoint.safetensors',
      'config.json',
      'metrics.jsonl',
    ]);
    // A fresh run into a folder that holds one is refused and leaves it as it was.
    await expect(trainCommand(opts(out))).rejects.toThrow(/already holds a run: pass --resume/);
    expect(existsSync(lockPath(out))).toBe(false);
    expect(readdirSync(out)).toHaveLength(4);
  });

  it('a run stopped before its first step keeps nothing', async () => {
    const out = fresh();
    const ac = new AbortController();
    ac.abort('SIGINT');
    await expect(trainCommand(opts(out, { signal: ac.signal }))).rejects.toThrow(
      /stopped by SIGINT before training started/,
    );
    expect(existsSync(out)).toBe(false);
  });
});
