import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { loadCheckpoint } from '../checkpoint/checkpoint';
import { RunStoppedError } from './interrupt';
import type { RecipeFlags } from './recipe-flags';
import { refuseRecipeChanges, resumeEpochs } from './resume-checks';
import { type Recipe, readConfig, runPaths } from './run-dir';
import { freshRunDir, tinyTrainOptions, vaeInProcess } from './test-helpers';
import { trainCommand } from './train-command';

// Stops a run right after its first checkpoint, as Ctrl-C would at that moment (no timing involved).
const { stop, checkpointStoppingAfterSave } = await vi.hoisted(() => import('../testing/stop-after-save'));
vi.mock('../checkpoint/checkpoint', checkpointStoppingAfterSave);

const opts = tinyTrainOptions;
const fresh = () => freshRunDir('vae-resume-');
const progressOf = (out: string) => loadCheckpoint(runPaths(out).checkpoint).progress;
const files = (out: string) => [readFileSync(runPaths(out).config), readFileSync(runPaths(out).checkpoint)];

const vae = vaeInProcess;

describe('vae train --resume', () => {
  it("without --epochs trains to the run's own epoch count (not a default of 10)", async () => {
    const out = fresh();
    const ac = new AbortController();
    stop.afterSave = ac;
    const err = await trainCommand(
      opts(out, { epochs: 3, stepsPerRun: 4, checkpointEvery: 4, signal: ac.signal }),
    ).catch((e: unknown) => e);
    stop.afterSave = null;
    expect(err).toBeInstanceOf(RunStoppedError);
    expect((err as Error).message).toBe(
      `stopped by SIGINT at step 4 (epoch 1 of 3); the checkpoint is saved: continue with \`vae train --out ${out} --resume\``,
    );
    expect(progressOf(out)).toMatchObject({ step: 4, epoch: 0, finished: null });

    const r = await vae('train', '--resume', '--out', out, '--quiet', '--threads', '1');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(progressOf(out)).toMatchObject({ epoch: 3, step: 3 * 54, finished: 'epochs' });
    expect(readConfig(out).recipe.epochs).toBe(3);
    expect(readConfig(out).history).toBeUndefined();
  });

  it('--epochs larger extends a finished run and config.json records it; equal or fewer is refused', async () => {
    const out = fresh();
    await trainCommand(opts(out));
    const before = files(out);
    const again = await vae('train', '--resume', '--out', out, '--quiet');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/finished: it has trained all 1 epochs; pass a larger --epochs to train on/);
    expect(files(out)).toEqual(before);

    const t0 = Date.now();
    const more = await vae('train', '--resume', '--epochs', '2', '--out', out, '--quiet', '--threads', '1');
    expect(more.stderr).toBe('');
    expect(more.code).toBe(0);
    expect(progressOf(out)).toMatchObject({ epoch: 2, finished: 'epochs' });
    await trainCommand({ out, resume: true, epochs: 3, quiet: true, threads: 1 });
    const config = readConfig(out);
    expect(config.recipe.epochs).toBe(3);
    expect(config.history).toEqual([
      { at: expect.any(String), command: 'vae train --resume --epochs 2', epochs: { from: 1, to: 2 } },
      { at: expect.any(String), command: 'vae train --resume --epochs 3', epochs: { from: 2, to: 3 } },
    ]);
    expect(Date.parse(config.history![0]!.at)).toBeGreaterThanOrEqual(t0 - 1000);

    const fewer = await vae('train', '--resume', '--epochs', '2', '--out', out, '--quiet');
    expect(fewer.code).toBe(1);
    expect(fewer.stderr).toMatch(/--epochs 2 is fewer than the 3 epochs .* has done/);
  });

  it('accepts recipe flags equal to the saved values, and run-time flags', async () => {
    const out = fresh();
    await trainCommand(opts(out, { lr: 0.002, batch: 100, seed: 7, beta: 0.5 }));
    const r = await vae(
      ...['train', '--resume', '--out', out, '--epochs', '2', '--dataset', 'mnist-default', '--model', 'mlp'],
      ...[
        '--latent',
        '4',
        '--hidden',
        '64',
        '--batch',
        '100',
        '--lr',
        '0.002',
        '--seed',
        '7',
        '--beta',
        '0.5',
      ],
      ...['--val', '1000', '--threads', '1', '--quiet', '--checkpoint-every', '5', '--prefetch'],
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(progressOf(out).epoch).toBe(2);
  });

  it('refuses flags that contradict the saved recipe, naming the differences, and leaves the run as it was', async () => {
    const out = fresh();
    await trainCommand(opts(out, { epochs: 2 }));
    const before = files(out);
    const r = await vae('train', '--resume', '--out', out, '--lr', '0.01', '--latent', '8', '--epochs', '5');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      "--latent 8, --lr 0.01 differ from the run's recipe (latent 4, lr 0.001); drop the flags or start a new run",
    );
    expect(files(out)).toEqual(before);
  });
});

describe('resume rules', () => {
  const saved: Recipe = {
    dataset: 'mnist-default',
    model: 'mlp',
    latent: 16,
    hidden: [400],
    epochs: 10,
    batchSize: 128,
    lr: 1e-3,
    seed: 1,
    optimizer: 'adam',
    beta: 1,
    warmupEpochs: 0,
    freeBits: null,
    iwae: null,
    clip: null,
    conditional: false,
    stepsPerRun: null,
    patience: null,
    valCount: 1000,
  };
  const refused = (flags: RecipeFlags, r: Recipe = saved) => {
    try {
      refuseRecipeChanges(r, flags);
    } catch (e) {
      return (e as Error).message;
    }
    return null;
  };

  it('names each contradicting flag with the saved value', () => {
    expect(refused({ lr: 0.01 })).toBe(
      "--lr 0.01 differs from the run's recipe (lr 0.001); drop the flag or start a new run",
    );
    const cases: [RecipeFlags, string][] = [
      [{ latent: 8 }, "--latent 8 differs from the run's recipe (latent 16)"],
      [
        { dataset: 'fashion-mnist' },
        "--dataset fashion-mnist differs from the run's recipe (dataset mnist-default)",
      ],
      [{ model: 'conv' }, "--model conv differs from the run's recipe (model mlp)"],
      [{ hidden: [512, 256] }, "--hidden 512,256 differs from the run's recipe (hidden 400)"],
      [{ batch: 64 }, "--batch 64 differs from the run's recipe (batch 128)"],
      [{ seed: 2 }, "--seed 2 differs from the run's recipe (seed 1)"],
      [{ beta: 4 }, "--beta 4 differs from the run's recipe (beta 1)"],
      [{ warmupEpochs: 2 }, "--warmup-epochs 2 differs from the run's recipe (warmup-epochs 0)"],
      [{ freeBits: 0.5 }, "--free-bits 0.5 differs from the run's recipe (free-bits none)"],
      [{ iwae: 5 }, "--iwae 5 differs from the run's recipe (iwae none)"],
      [{ clip: 1 }, "--clip 1 differs from the run's recipe (clip none)"],
      [{ conditional: true }, "--conditional differs from the run's recipe (conditional false)"],
      [
        { stepsPerRun: 8 },
        "--steps-per-run 8 differs from the run's recipe (steps-per-run the default for the data)",
      ],
      [{ patience: 3 }, "--patience 3 differs from the run's recipe (patience none)"],
      [{ val: 500 }, "--val 500 differs from the run's recipe (val 1000)"],
    ];
    for (const [flags, message] of cases) expect(refused(flags), message).toContain(message);
  });

  it('accepts equal values, absent flags and the same CSV by another path', () => {
    expect(
      refused({
        dataset: 'mnist-default',
        model: 'mlp',
        latent: 16,
        hidden: [400],
        batch: 128,
        lr: 0.001,
        seed: 1,
        beta: 1,
        warmupEpochs: 0,
        conditional: false,
        val: 1000,
      }),
    ).toBeNull();
    const csv = join(tmpdir(), 'data', 'table.csv');
    expect(refused({ dataset: relative(process.cwd(), csv) }, { ...saved, dataset: csv })).toBeNull();
  });

  it('epochs: the saved count by default; more extends, fewer than done or nothing left is refused', () => {
    const at = (epoch: number, finished: 'epochs' | 'early-stopping' | null = null) => ({
      step: epoch * 10,
      epoch,
      stepInEpoch: 0,
      bestValElbo: null,
      bestEpoch: null,
      badEpochs: 0,
      finished,
    });
    expect(resumeEpochs('r', saved, at(4), undefined)).toBe(10);
    expect(resumeEpochs('r', saved, null, undefined)).toBe(10);
    expect(resumeEpochs('r', saved, at(10, 'epochs'), 12)).toBe(12);
    expect(resumeEpochs('r', saved, at(4), 6)).toBe(6);
    expect(() => resumeEpochs('r', saved, at(4), 3)).toThrow(
      /--epochs 3 is fewer than the 4 epochs r has done/,
    );
    expect(() => resumeEpochs('r', saved, at(10, 'epochs'), undefined)).toThrow(/pass a larger --epochs/);
    expect(() => resumeEpochs('r', { ...saved, patience: 2 }, at(5, 'early-stopping'), 20)).toThrow(
      /stopped early at epoch 5 \(no better validation ELBO for 2 epochs\)/,
    );
  });
});
