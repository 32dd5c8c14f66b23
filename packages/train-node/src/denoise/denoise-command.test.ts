import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { mnistDefault } from '@vae/datasets';
import { fillStream, fold, key } from '@vae/random';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadParams } from '../checkpoint/checkpoint';
import { main } from '../cli/main';
import { exportRun } from '../export/export-run';
import { readConfig, runPaths } from '../run/run-dir';
import { freshRunDir, tinyTrainOptions } from '../run/test-helpers';
import { trainCommand } from '../run/train-command';
import { inspectCommand } from '../views/inspect';
import { denoiseCommand } from './denoise-command';

const run = freshRunDir('vae-denoise-');
const root = join(run, '..');
const at = (f: string) => join(root, f);
const tiny = (out: string, extra: Parameters<typeof tinyTrainOptions>[1] = {}) =>
  tinyTrainOptions(out, { latent: 2, hidden: [32], stepsPerRun: 8, denoise: 'gaussian:0.5', ...extra });

beforeAll(async () => {
  await trainCommand(tiny(run));
}, 60_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Runs the CLI in this process; its exit code, stdout and stderr. */
async function vae(...argv: string[]) {
  let [stdout, stderr] = ['', ''];
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    stdout += String(s);
    return true;
  });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
    stderr += String(s);
    return true;
  });
  try {
    return { code: await main(argv), stdout, stderr };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

const csv = (path: string) =>
  readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(','));

describe('vae train --denoise', () => {
  it('records the corruption in the recipe, the model spec, the bundle and vae inspect', async () => {
    const config = readConfig(run);
    expect(config.recipe.denoise).toBe('gaussian:0.5');
    expect(config.model.denoise).toEqual({ type: 'gaussian', std: 0.5 });
    await exportRun({ run, threads: 1 });
    const bundle = await inspectCommand(run);
    if (bundle.kind !== 'bundle') throw new Error('not a bundle');
    expect(bundle.ok).toBe(true);
    expect(bundle.manifest!.recipe.denoise).toBe('gaussian:0.5');
    // The exported encoder is the plain one: data in, no noise input.
    expect(bundle.encoder!.inputs.map((t) => t.name)).toEqual(['x']);
    const r = await vae('inspect', run);
    expect(r.stdout).toContain('denoising: trained on inputs corrupted by gaussian:0.5');
    // Its validation (and so the bundle's val_elbo) scored the denoising ELBO.
    expect(r.stdout).toContain('val_elbo scores clean x encoded from inputs corrupted the same way');
  });

  it('resume keeps the setting and ends where an uninterrupted run does', async () => {
    const [whole, parts] = [freshRunDir('vae-denoise-a-'), freshRunDir('vae-denoise-b-')];
    await trainCommand(tiny(whole, { epochs: 2 }));
    await trainCommand(tiny(parts));
    const refused = await vae('train', '--resume', '--out', parts, '--epochs', '2', '--denoise', 'mask:0.5');
    expect(refused.stderr).toBe(
      "vae: --denoise mask:0.5 differs from the run's recipe (denoise gaussian:0.5); drop the flag or start a new run\n",
    );
    await trainCommand({ out: parts, resume: true, epochs: 2, quiet: true, threads: 1 });
    expect(readConfig(parts).model.denoise).toEqual({ type: 'gaussian', std: 0.5 });
    const [a, b] = [whole, parts].map((d) => loadParams(runPaths(d).checkpoint));
    for (const n of Object.keys(a!)) expect(b![n]!.data, n).toEqual(a![n]!.data);
    for (const d of [whole, parts]) rmSync(join(d, '..'), { recursive: true, force: true });
  }, 60_000);
});

describe('vae denoise', () => {
  it('prints one JSON line, writes clean / noisy / denoised rows and a per-example CSV', async () => {
    const [png, table] = [at('d.png'), at('d.csv')];
    const r = await vae(
      'denoise',
      '--run',
      run,
      '--limit',
      '300',
      '--n',
      '5',
      '--scale',
      '1',
      '--out',
      png,
      '--csv',
      table,
      '--threads',
      '1',
    );
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const j = JSON.parse(lines[0]!);
    expect(Object.keys(j)).toEqual([
      'png',
      'csv',
      'dataset',
      'split',
      'n',
      'noise',
      'seed',
      'noisy',
      'denoised',
      'shown',
      'cols',
      'width',
      'height',
      'scale',
    ]);
    // 5 examples fit 5 columns: 3 rows (clean, noisy, denoised) of 28 px cells with 1 px gutters.
    expect(j).toMatchObject({
      dataset: 'mnist-default',
      split: 'test',
      n: 300,
      noise: 'gaussian:0.5',
      seed: 1,
      shown: 5,
      cols: 5,
      width: 146,
      height: 88,
      scale: 1,
    });
    expect(r.stderr).toMatch(
      /denoised 300 test examples of mnist-default corrupted by gaussian:0\.5 \(seed 1\): PSNR [\d.]+ dB noisy -> [\d.]+ dB denoised/,
    );
    const img = PNG.sync.read(readFileSync(png));
    expect([img.width, img.height]).toEqual([146, 88]);
    // Column 2: the clean grey levels over the noisy image, example 2's noise being the normal
    // stream of fold(fold(key(seed), 2), 0) times sigma, clamped for display.
    const test = (await mnistDefault()).test;
    const eps = new Float32Array(784);
    fillStream(fold(fold(key(1), 2), 0), 'normal', eps, 0, 784);
    const px = (row: number, p: number) =>
      img.data[((1 + row * 29 + Math.floor(p / 28)) * 146 + 1 + 2 * 29 + (p % 28)) * 4];
    for (let p = 0; p < 784; p++) {
      const clean = test.data[2 * 784 + p]!;
      expect(px(0, p)).toBe(clean);
      const noisy = Math.fround(clean / 255) + Math.fround(0.5 * eps[p]!);
      expect(Math.abs(px(1, p)! - Math.round(Math.min(1, Math.max(0, noisy)) * 255))).toBeLessThanOrEqual(1);
    }
    // Gaussian noise of sigma 0.5, not clipped: the noisy MSE is 0.25, PSNR 10 log10(4) = 6.02 dB.
    expect(Math.abs(j.noisy.psnr - 10 * Math.log10(4))).toBeLessThan(0.05);
    expect(j.denoised.psnr).toBeGreaterThan(j.noisy.psnr);
    // The CSV: one row per example, its means the JSON's.
    const rows = csv(table);
    expect(rows[0]).toEqual(['index', 'label', 'psnr_noisy', 'psnr_denoised', 'ssim_noisy', 'ssim_denoised']);
    expect(rows).toHaveLength(301);
    const mean = (c: number) => rows.slice(1).reduce((a, row) => a + Number(row[c]), 0) / 300;
    expect(mean(2)).toBeCloseTo(j.noisy.psnr, 9);
    expect(mean(5)).toBeCloseTo(j.denoised.ssim, 9);
    expect(rows[3]![1]).toBe(String(test.labels![2]));
  });

  it('is deterministic: the same seed corrupts the same way, another seed another way', async () => {
    const go = (seed: number, file: string) =>
      denoiseCommand({
        run,
        limit: 40,
        n: 4,
        seed,
        out: at(`${file}.png`),
        csv: at(`${file}.csv`),
        threads: 1,
      });
    await go(1, 'a');
    await go(1, 'b');
    await go(2, 'c');
    expect(readFileSync(at('a.csv'), 'utf8')).toBe(readFileSync(at('b.csv'), 'utf8'));
    expect(readFileSync(at('a.png')).equals(readFileSync(at('b.png')))).toBe(true);
    expect(csv(at('c.csv'))[1]![2]).not.toBe(csv(at('a.csv'))[1]![2]);
  });

  it('--noise overrides the run’s corruption: mask and salt-pepper rates as asked', async () => {
    const r = await denoiseCommand({
      run,
      limit: 50,
      noise: 'salt-pepper:0.4',
      out: at('s.png'),
      threads: 1,
    });
    expect(r.noise).toBe('salt-pepper:0.4');
    // A pixel hit becomes 0 or 1: on mnist (mostly 0) PSNR is that of about 20% of pixels set to 1.
    expect(r.noisy.psnr!).toBeGreaterThan(10 * Math.log10(1 / 0.3));
    expect(r.noisy.psnr!).toBeLessThan(10 * Math.log10(1 / 0.15));
  });

  it('refuses what cannot work with one line', async () => {
    const cases: [string[], RegExp][] = [
      [['--out', at('x.jpg')], /^vae: --out must end in \.png, got ".*x\.jpg"\n$/],
      [['--out', at('x.png'), '--noise', 'blur:1'], /^vae: --noise must be gaussian:SIGMA/],
      [['--out', at('x.png'), '--csv', at('x.txt')], /^vae: --csv must end in \.csv/],
      [['--out', at('x.png'), '--split', 'dev'], /^vae: --split must be test, val or train, got dev\n$/],
    ];
    for (const [args, message] of cases) {
      const r = await vae('denoise', '--run', run, ...args);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(message);
    }
    const plain = freshRunDir('vae-denoise-plain-');
    await trainCommand(tiny(plain, { denoise: undefined, epochs: 1 }));
    await expect(denoiseCommand({ run: plain, out: at('p.png') })).rejects.toThrow(
      `${plain} was trained without --denoise: give the corruption, --noise gaussian:SIGMA | mask:P | salt-pepper:P`,
    );
    rmSync(join(plain, '..'), { recursive: true, force: true });
  }, 60_000);
});
