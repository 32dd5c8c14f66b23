import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeSafetensors, scheduleValue } from '@vae/core';
import { describe, expect, it, vi } from 'vitest';
import { loadCheckpoint } from '../checkpoint/checkpoint';
import { RunStoppedError } from './interrupt';
import { learningRate } from './optim-flags';
import { recipeFrom } from './recipe-flags';
import { readConfig, runPaths } from './run-dir';
import { freshRunDir, tinyTrainOptions, vaeInProcess } from './test-helpers';
import { type TrainCommandOptions, trainCommand } from './train-command';

// `--prior`, `--optimizer` (`--weight-decay`, `--momentum`) and `--lr-schedule`.

// Stops a run right after its first checkpoint, as Ctrl-C would at that moment (no timing involved).
const { stop, checkpointStoppingAfterSave } = await vi.hoisted(() => import('../testing/stop-after-save'));
vi.mock('../checkpoint/checkpoint', checkpointStoppingAfterSave);

const fresh = () => freshRunDir('vae-optim-');
/** 1 epoch of mnist-default (54 steps of 128), hidden 32, latent 2, 4 steps per call, 1 thread. */
const tiny = (out: string, extra: Partial<TrainCommandOptions> = {}) =>
  tinyTrainOptions(out, { hidden: [32], latent: 2, stepsPerRun: 4, ...extra });
const bytesOf = (path: string) => {
  const t = decodeSafetensors(readFileSync(path)).tensors;
  return Object.fromEntries(Object.entries(t).map(([n, v]) => [n, Buffer.from(v.data.buffer)]));
};
const metrics = (out: string) => {
  const lines = readFileSync(runPaths(out).metrics, 'utf8').trim().split('\n');
  return lines.map((l) => JSON.parse(l) as Record<string, unknown>);
};

describe('refusals, one line each', () => {
  const cases: [Partial<TrainCommandOptions>, RegExp][] = [
    [{ momentum: 0.9 }, /^--momentum is SGD's momentum; adam keeps its own .*use --optimizer sgd$/],
    [{ optimizer: 'adamw', momentum: 0.9 }, /^--momentum is SGD's momentum; adamw/],
    [{ optimizer: 'sgd', momentum: 1 }, /^--momentum must be in \[0, 1\), got 1$/],
    [{ optimizer: 'rmsprop' }, /^--optimizer must be adam, adamw or sgd, got rmsprop$/],
    [{ weightDecay: -1 }, /^--weight-decay must be a non-negative number, got -1$/],
    [
      { prior: 'mog:0' },
      /^--prior mog:0: K must be a positive integer \(mixture components\), e\.g\. mog:10$/,
    ],
    [{ prior: 'vamp:1.5' }, /^--prior vamp:1\.5: K must be a positive integer \(pseudo-inputs\)/],
    [{ prior: 'gauss' }, /^--prior must be standard, mog:K or vamp:K/],
    [{ prior: 'mog:3', freeBits: 0.1 }, /^--free-bits needs a per-dimension KL, which --prior mog:3 has not/],
    [{ prior: 'vamp:3', conditional: true }, /^--prior vamp:3 encodes unlabelled pseudo-inputs/],
    [
      { lrSchedule: 'step:0:2' },
      /^--lr-schedule step:0:2: E \(epochs between decays\) must be a positive number$/,
    ],
    [{ lrSchedule: 'step:1:0' }, /^--lr-schedule step:1:0: G .* must be a positive number$/],
    [{ lrSchedule: 'step:1' }, /^--lr-schedule must be constant, cosine, step:E:G or warmup:E .*got step:1$/],
    [
      { lrSchedule: 'warmup:-1' },
      /^--lr-schedule warmup:-1: E \(warm-up epochs\) must be a positive number$/,
    ],
    [{ lrSchedule: 'linear' }, /^--lr-schedule must be constant, cosine, step:E:G or warmup:E/],
  ];
  it.each(cases)('%j', (flags, message) => {
    expect(() => recipeFrom(flags)).toThrow(message);
  });

  it('through the CLI: exit 1, one line, nothing created', async () => {
    const out = fresh();
    const r = await vaeInProcess('train', '--momentum', '0.9', '--out', out, '--quiet');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^vae: --momentum is SGD's momentum; adam keeps .*\n$/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(out)).toBe(false);
  });
});

describe('the recipe records the flags', () => {
  it('defaults, canonical forms, torch defaults of weight decay', () => {
    expect(recipeFrom({})).toMatchObject({
      optimizer: 'adam',
      prior: 'standard',
      weightDecay: 0,
      momentum: null,
      lrSchedule: 'constant',
    });
    expect(recipeFrom({ optimizer: 'adamw', lrSchedule: 'step:2.0:0.50', prior: 'mog:05' })).toMatchObject({
      optimizer: 'adamw',
      weightDecay: 0.01,
      momentum: null,
      lrSchedule: 'step:2:0.5',
      prior: 'mog:5',
    });
    expect(recipeFrom({ optimizer: 'sgd', momentum: 0.9, weightDecay: 1e-4 })).toMatchObject({
      optimizer: 'sgd',
      momentum: 0.9,
      weightDecay: 1e-4,
    });
  });
});

describe('learning-rate schedules: the rate at each global step is the closed form', () => {
  const r = { lr: 0.01, epochs: 3 };
  const per = 10; // steps per epoch
  const at = (lrSchedule: string, t: number): number =>
    scheduleValue(learningRate({ ...r, lrSchedule }, per), t);
  const forms: [string, (t: number) => number][] = [
    ['constant', () => 0.01],
    ['cosine', (t: number) => (0.01 * (1 + Math.cos((Math.PI * t) / 30))) / 2],
    ['step:1:0.5', (t: number) => 0.01 * 0.5 ** Math.floor(t / 10)],
    ['step:0.5:0.1', (t: number) => 0.01 * 0.1 ** Math.floor(t / 5)],
    ['warmup:2', (t: number) => (0.01 * Math.min(t, 20)) / 20],
  ];
  it.each(forms)('%s', (schedule, closed) => {
    for (let t = 0; t < 30; t++) expect(at(schedule, t)).toBeCloseTo(closed(t), 8);
  });
  it('runs before schedules existed train at the constant rate', () => {
    expect(learningRate({ ...r, lrSchedule: undefined }, per)).toBe(0.01);
  });
});

describe('training with each prior, optimizer and schedule', () => {
  it('defaults are unchanged bit for bit: no flags = --prior standard --optimizer adam --lr-schedule constant', async () => {
    const a = fresh();
    const b = fresh();
    await trainCommand(tiny(a));
    await trainCommand(tiny(b, { prior: 'standard', optimizer: 'adam', lrSchedule: 'constant' }));
    expect(bytesOf(runPaths(b).checkpoint)).toEqual(bytesOf(runPaths(a).checkpoint));
    expect(readConfig(a).model).toEqual(readConfig(b).model);
  }, 120_000);

  it.each([
    { prior: 'mog:3', optimizer: 'adamw', lrSchedule: 'cosine' },
    { prior: 'vamp:4', optimizer: 'sgd', momentum: 0.9, lr: 0.01, lrSchedule: 'step:0.5:0.5' },
    { optimizer: 'adam', weightDecay: 1e-4, lrSchedule: 'warmup:0.5' },
    { optimizer: 'sgd', lr: 0.01 },
  ])(
    '%j: one epoch, finite loss',
    async (flags) => {
      const out = fresh();
      const r = await trainCommand(tiny(out, flags));
      expect(r.progress).toMatchObject({ epoch: 1, step: 54, finished: 'epochs' });
      const epoch = metrics(out)[0]!;
      expect(Number.isFinite(epoch.train_loss)).toBe(true);
      // The schedule reads the optimizer's step counter, which the checkpoint carries.
      expect(Array.from(r.state.step!.data as Float32Array)).toEqual([54]);
      if (flags.prior === 'mog:3') expect(Object.keys(r.params)).toContain('prior.loc');
      if (flags.prior === 'vamp:4') expect(r.params['prior.pseudo']!.shape).toEqual([4, 784]);
    },
    120_000,
  );
});

describe('--resume', () => {
  it('refuses a different --optimizer (and the cosine length), accepts the same', async () => {
    const out = fresh();
    await trainCommand(tiny(out, { optimizer: 'sgd', momentum: 0.5, lr: 0.01, lrSchedule: 'cosine' }));
    const other = await vaeInProcess('train', '--resume', '--out', out, '--optimizer', 'adam', '--quiet');
    expect(other.code).toBe(1);
    expect(other.stderr).toBe(
      "vae: --optimizer adam differs from the run's recipe (optimizer sgd); drop the flag or start a new run\n",
    );
    const longer = await vaeInProcess('train', '--resume', '--out', out, '--epochs', '2', '--quiet');
    expect(longer.code).toBe(1);
    expect(longer.stderr).toMatch(
      /^vae: --epochs 2: the run's cosine learning-rate schedule spans its 1 epochs/,
    );
    const prior = await vaeInProcess('train', '--resume', '--out', out, '--prior', 'mog:2', '--quiet');
    expect(prior.stderr).toMatch(/--prior mog:2 differs from the run's recipe \(prior standard\)/);
  }, 120_000);

  it('a cosine run stopped mid-epoch resumes to the weights of an uninterrupted one', async () => {
    const flags = { lrSchedule: 'cosine', optimizer: 'adamw', prior: 'mog:2', checkpointEvery: 8 } as const;
    const straight = fresh();
    await trainCommand(tiny(straight, flags));
    const killed = fresh();
    const ac = new AbortController();
    stop.afterSave = ac;
    const err = await trainCommand(tiny(killed, { ...flags, signal: ac.signal })).catch((e: unknown) => e);
    stop.afterSave = null;
    expect(err).toBeInstanceOf(RunStoppedError);
    expect(loadCheckpoint(runPaths(killed).checkpoint).progress.step).toBe(8);
    await trainCommand({ out: killed, resume: true, quiet: true, threads: 1, lrSchedule: 'cosine' });
    expect(bytesOf(runPaths(killed).checkpoint)).toEqual(bytesOf(runPaths(straight).checkpoint));
  }, 120_000);
});

describe('bundles of learned priors', () => {
  it.each(['mog:3', 'vamp:4'])(
    '%s: vae export, then vae sample --png',
    async (prior) => {
      const out = fresh();
      await trainCommand(tiny(out, { prior }));
      // --quiet: no summary, so stderr holds only what would be wrong (cli-output.test.ts: the summary).
      const ex = await vaeInProcess('export', '--run', out, '--quiet');
      expect(ex.stderr).toBe('');
      expect(ex.code).toBe(0);
      const manifest = JSON.parse(readFileSync(join(out, 'bundle', 'manifest.json'), 'utf8'));
      expect(manifest.prior.type).toBe(prior.split(':')[0]);
      expect(manifest.graphs.priorSample).toBeDefined();
      const png = join(out, 'samples.png');
      const s = await vaeInProcess('sample', '--run', out, '--n', '16', '--png', png, '--quiet');
      expect(s.stderr).toBe('');
      expect(s.code).toBe(0);
      expect(readFileSync(png).subarray(1, 4).toString()).toBe('PNG');
    },
    120_000,
  );
});
