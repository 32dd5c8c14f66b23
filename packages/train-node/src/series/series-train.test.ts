import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { isUserError } from '@vae/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadRunData } from '../data/load-data';
import { evalCommand } from '../eval/eval-command';
import { recipeFrom } from '../run/recipe-flags';
import { readConfig } from '../run/run-dir';
import { freshRunDir, vaeInProcess } from '../run/test-helpers';
import { trainCommand } from '../run/train-command';
import { seriesState } from './series-data';
import { seriesRunOptions, tinySeriesRun } from './test-helpers';

// `vae train --series`: the flags, the windows a run reloads (on resume, eval), `vae eval`'s fields.

describe('series flags', () => {
  const csv = '/tmp/x.csv';
  const refused = (flags: Parameters<typeof recipeFrom>[0], message: string) => {
    let err: unknown;
    try {
      recipeFrom(flags);
    } catch (e) {
      err = e;
    }
    expect(isUserError(err)).toBe(true);
    expect((err as Error).message).toBe(message);
    expect((err as Error).message).not.toContain('\n');
  };

  it('refuses series flags without --series, and --series without --window, in one line', () => {
    refused(
      { dataset: csv, window: 24 },
      '--window is for time series: give --series COL[,COL...] (CSV columns) too, or drop --window',
    );
    refused(
      { dataset: csv, stride: 2 },
      '--stride is for time series: give --series COL[,COL...] (CSV columns) too, or drop --stride',
    );
    refused(
      { dataset: csv, series: ['a'] },
      '--series needs --window W: the time steps per window (at least 2)',
    );
    refused(
      { dataset: csv, model: 'gru' },
      '--model gru is for time series: give --series COL[,COL...] and --window W',
    );
    refused(
      { dataset: 'mnist-default', series: ['a'], window: 8 },
      '--series reads columns of a CSV file; --dataset mnist-default is not one: give --dataset FILE.csv',
    );
    refused({ dataset: csv, series: ['a'], window: 1 }, '--window must be an integer >= 2, got 1');
    refused(
      { dataset: csv, series: ['a'], window: 8, seriesMissing: 'zero' },
      '--series-missing must be error or interpolate, got "zero"',
    );
    refused(
      { dataset: csv, series: ['a'], window: 8, model: 'conv' },
      '--model conv is not a series model; use --model conv1d (default) or gru with --series',
    );
  });

  it('the CLI prints the refusal as one line and exits 1, leaving no run folder', async () => {
    const out = freshRunDir('vae-series-flags-');
    const r = await vaeInProcess('train', '--dataset', 'x.csv', '--window', '24', '--out', out);
    expect(r).toEqual({
      code: 1,
      stderr:
        'vae: --window is for time series: give --series COL[,COL...] (CSV columns) too, or drop --window\n',
    });
    expect(existsSync(out)).toBe(false);
  });

  it('refuses image-only flags naming the flag, and keeps the Gaussian with a learned scale', () => {
    const base = { dataset: csv, series: ['a', 'b'], window: 8 };
    refused(
      { ...base, likelihood: 'bernoulli' },
      '--likelihood bernoulli is for images; series models are Gaussian with a learned scale: drop --likelihood',
    );
    refused(
      { ...base, binarize: 'dynamic' },
      '--binarize is for image pixels; a series is not binarised: drop --binarize',
    );
    refused(
      { ...base, denoise: 'gaussian:0.1' },
      '--denoise corrupts image pixels; it is not for series: drop --denoise',
    );
    refused(
      { ...base, conditional: true },
      '--conditional needs class labels; a series has none: drop --conditional',
    );
    const r = recipeFrom({ ...base, testFraction: 0.25 });
    expect(r.model).toBe('conv1d');
    expect(r.series).toEqual({ columns: ['a', 'b'], window: 8, stride: 1, missing: 'error' });
    expect([r.likelihood, r.binarize, r.gaussianScale, r.testFraction]).toEqual([
      'gaussian',
      'none',
      'shared',
      0.25,
    ]);
    expect([r.latent, r.hidden]).toEqual([8, [32, 64]]);
    expect(recipeFrom({ ...base, model: 'gru' }).hidden).toEqual([64]);
  });
});

describe('a series run', () => {
  let run: Awaited<ReturnType<typeof tinySeriesRun>>;
  beforeAll(async () => {
    run = await tinySeriesRun();
  }, 60_000);

  it('records the windows in its config and reloads the same bytes on eval and after a resume', async () => {
    const config = readConfig(run.dir);
    const state = seriesState(config)!;
    // 300 steps: train 0..209, validation 210..239 (10%), test 240..299 (20%).
    expect(state.periods).toEqual({ train: [0, 210], val: [210, 240], test: [240, 300] });
    expect(config.recipe.valCount).toBe(30);
    expect(config.model.dataShape).toEqual([2, 16]);
    const before = await loadRunData(config);
    // Training-period statistics, by hand in float64.
    const a = Array.from({ length: 210 }, (_, t) =>
      Number((Math.sin(t / 5) + 0.05 * Math.sin(t * 1.7)).toFixed(5)),
    );
    const mean = a.reduce((s, v) => s + v, 0) / 210;
    expect(state.mean[0]).toBeCloseTo(mean, 12);
    expect(state.std[0]).toBeCloseTo(Math.sqrt(a.reduce((s, v) => s + (v - mean) ** 2, 0) / 210), 12);
    await trainCommand({ ...seriesRunOptions(run.csv, run.dir), epochs: 2, resume: true });
    const after = readConfig(run.dir);
    expect(after.extra).toEqual(config.extra);
    const again = await loadRunData(after);
    for (const split of ['train', 'val', 'test'] as const) {
      expect(again[split].count).toBe(before[split].count);
      expect(Buffer.from(again[split].data.buffer).equals(Buffer.from(before[split].data.buffer))).toBe(true);
    }
    expect(before.test.count).toBe(Math.floor((60 - 16) / 2) + 1);
  }, 60_000);

  it('refuses a resume with other windows, and a CSV changed since training', async () => {
    await expect(
      trainCommand({ ...seriesRunOptions(run.csv, run.dir), window: 12, epochs: 3, resume: true }),
    ).rejects.toThrow(
      "--window 12 differs from the run's recipe (window 16); drop the flag or start a new run",
    );
    const text = readFileSync(run.csv, 'utf8');
    writeFileSync(run.csv, text.replace('\n0,', '\n0.5,'));
    try {
      await expect(loadRunData(readConfig(run.dir))).rejects.toThrow(/changed since this run was trained/);
    } finally {
      writeFileSync(run.csv, text);
    }
  }, 60_000);

  it('vae eval reports the bound per window and per time step', async () => {
    const r = await evalCommand({ run: run.dir, iw: 8, threads: 1 });
    const s = r.series!;
    expect(r.n).toBe(23);
    expect(s.window).toBe(16);
    expect(s.columns).toEqual(['a', 'b']);
    expect(s.elbo_per_step).toBeCloseTo(r.elbo / 16, 12);
    expect(s.nll_iw_per_step).toBeCloseTo(r.nll_iw! / 16, 12);
    expect(s.kl_per_step).toBeCloseTo(r.kl / 16, 12);
    expect(s.recon_per_step).toBeCloseTo(r.recon / 16, 12);
    const std = seriesState(readConfig(run.dir))!.std;
    expect(s.data_units_offset_per_step).toBeCloseTo(Math.log(std[0]!) + Math.log(std[1]!), 12);
    expect(Object.keys(r)).toEqual(
      expect.arrayContaining(['elbo', 'nll_iw', 'kl', 'active_units', 'n', 'series']),
    );
  }, 60_000);
});
