import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ElboPass } from '@vae/core';
import { dataKey, Feeder } from '@vae/datasets';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { loadParams } from '../checkpoint/checkpoint';
import { bitsPerDim, dataConvention } from '../eval/bits-per-dim';
import { evalCommand } from '../eval/eval-command';
import { report } from '../eval/evaluate';
import { readMetrics } from '../train/metrics-log';
import { readConfig, runPaths } from './run-dir';
import { freshRunDir, tinyTrainOptions, vaeInProcess as vae } from './test-helpers';
import { trainCommand } from './train-command';

const tiny = (out: string, extra: Parameters<typeof tinyTrainOptions>[1] = {}) =>
  tinyTrainOptions(out, { latent: 2, hidden: [32], ...extra });
const fresh = () => freshRunDir('vae-lik-');

describe('vae train --likelihood', () => {
  for (const likelihood of [
    'continuous-bernoulli',
    'gaussian',
    'discretized-logistic',
    'bernoulli',
  ] as const) {
    it(`${likelihood}: trains, evaluates in nats and bits/dim, exports and samples`, async () => {
      const out = fresh();
      await trainCommand(tiny(out, { likelihood }));
      const config = readConfig(out);
      expect(config.recipe.likelihood).toBe(likelihood);
      expect(config.model.likelihood.type).toBe(likelihood);
      // Grey-level likelihoods never see binarised data; continuous ones see dequantised pixels.
      expect(config.data.binarize).toBe(likelihood === 'bernoulli');
      expect(config.data.dequantize ?? false).toBe(
        likelihood === 'continuous-bernoulli' || likelihood === 'gaussian',
      );
      const r = await evalCommand({ run: out, iw: 8, limit: 64, threads: 1 });
      expect(Number.isFinite(r.elbo) && Number.isFinite(r.nll_iw!)).toBe(true);
      expect(r.nll_iw!).toBeLessThanOrEqual(r.elbo + 1e-3);
      expect(r.bits_per_dim).toBeCloseTo(r.nll_iw! / (784 * Math.LN2), 10);
      expect(r.bits_per_dim!).toBeGreaterThan(0);
      expect(r.nll_convention).toMatch(likelihood === 'bernoulli' ? /binary/ : /8-bit pixels 0\.\.255/);
      // Eval is deterministic (the dequantisation noise is seeded).
      const again = await evalCommand({ run: out, iw: 8, limit: 64, threads: 1 });
      expect(again.nll_iw).toBe(r.nll_iw);

      // --quiet: no summary, so stderr holds only what would be wrong (cli-output.test.ts: the summary).
      const exp = await vae('export', '--run', out, '--threads', '1', '--quiet');
      expect(exp.stderr).toBe('');
      expect(exp.code).toBe(0);
      const manifest = JSON.parse(readFileSync(join(runPaths(out).bundle, 'manifest.json'), 'utf8'));
      expect(manifest.likelihood.type).toBe(likelihood);
      const png = join(out, 'samples.png');
      const s = await vae('sample', '--run', out, '--n', '16', '--png', png, '--threads', '1');
      expect(s.code).toBe(0);
      const img = PNG.sync.read(readFileSync(png));
      const levels = new Set<number>();
      for (let i = 0; i < img.data.length; i += 4) levels.add(img.data[i]!);
      expect(levels.size).toBeGreaterThan(2); // grey levels, not a binary picture
    }, 120_000);
  }

  it('refuses contradictory flags with one line each', async () => {
    const cases: [string[], RegExp][] = [
      [
        ['--likelihood', 'gaussian', '--binarize', 'dynamic'],
        /^vae: --binarize dynamic makes binary data, which only --likelihood bernoulli models; gaussian is a grey-level/,
      ],
      [
        ['--likelihood', 'discretized-logistic', '--binarize', 'threshold'],
        /^vae: --binarize threshold makes binary data/,
      ],
      [['--binarize', 'none'], /^vae: --likelihood bernoulli is a likelihood of binary data/],
      [
        ['--likelihood', 'poisson'],
        /^vae: --likelihood must be bernoulli, continuous-bernoulli, gaussian, discretized-logistic; got poisson/,
      ],
      [['--binarize', 'maybe'], /^vae: --binarize must be dynamic, threshold or none; got maybe/],
      [['--gaussian-scale', 'shared'], /^vae: --gaussian-scale is for --likelihood gaussian, not bernoulli/],
      [['--likelihood', 'gaussian', '--gaussian-scale', 'fixed:0'], /^vae: --gaussian-scale must be shared/],
      [
        ['--dataset', 'penguins', '--likelihood', 'gaussian'],
        /^vae: --likelihood is for image models; tabular models/,
      ],
    ];
    for (const [flags, want] of cases) {
      const r = await vae('train', '--out', fresh(), '--quiet', ...flags);
      expect(r.code, flags.join(' ')).toBe(1);
      expect(r.stderr).toMatch(want);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('--resume refuses a different --likelihood; old runs read as bernoulli, dynamic', async () => {
    const out = fresh();
    await trainCommand(tiny(out, { epochs: 1 }));
    const resumeTo2 = (dir: string, ...flags: string[]) =>
      vae('train', '--resume', '--out', dir, '--epochs', '2', ...flags, '--quiet');
    const r = await resumeTo2(out, '--likelihood', 'gaussian');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      "vae: --likelihood gaussian differs from the run's recipe (likelihood bernoulli); drop the flag or start a new run\n",
    );
    const b = await resumeTo2(out, '--binarize', 'threshold');
    expect(b.stderr).toMatch(/^vae: --binarize threshold differs from the run's recipe \(binarize dynamic\)/);
  });

  it('bernoulli with the flags spelled out trains the same weights, bit for bit, as without them', async () => {
    const a = fresh();
    const b = fresh();
    await trainCommand(tiny(a));
    await trainCommand(tiny(b, { likelihood: 'bernoulli', binarize: 'dynamic' }));
    const pa = loadParams(runPaths(a).checkpoint);
    const pb = loadParams(runPaths(b).checkpoint);
    for (const [name, t] of Object.entries(pa))
      expect(
        Buffer.from((t.data as Float32Array).buffer).equals(
          Buffer.from((pb[name]!.data as Float32Array).buffer),
        ),
        name,
      ).toBe(true);
    expect(readConfig(a).data.binarize).toBe(true);
  }, 60_000);

  it('--binarize threshold feeds x >= 0.5, the same at every epoch; loss finite', async () => {
    const out = fresh();
    await trainCommand(tiny(out, { binarize: 'threshold' }));
    expect(readConfig(out).data.binarize).toBe('threshold');
    const lines = readMetrics(runPaths(out).metrics).filter((m) => 'epoch' in m);
    expect(lines.length).toBeGreaterThan(0);
  }, 60_000);
});

describe('bits/dim on 8-bit data', () => {
  const info = {
    shape: [784],
    image: null,
    binarize: false as const,
    dequantize: true,
    scale: 255,
    classNames: null,
    maskColumns: null,
  };
  const pass = (logp: number): ElboPass => ({
    n: 1,
    elbo: Float64Array.of(logp),
    recon: Float64Array.of(logp),
    kl: Float64Array.of(0),
    loc: new Float32Array(1),
    klPerDim: null,
  });

  it('a uniform density on [0, 1) is exactly 8 bits/dim; a 256-bin uniform pmf too', () => {
    const conv = dataConvention('gaussian', info)!;
    const r = report(pass(0), 1, Float64Array.of(0), 1, conv);
    expect(r.bits_per_dim).toBeCloseTo(8, 12);
    expect(r.nll_iw).toBeCloseTo(784 * Math.log(256), 9);
    const dl = dataConvention('discretized-logistic', { ...info, dequantize: false })!;
    const u = report(pass(-784 * Math.log(256)), 1, Float64Array.of(-784 * Math.log(256)), 1, dl);
    expect(u.bits_per_dim).toBeCloseTo(8, 12);
    // Binary data: a fair coin per pixel is 1 bit/dim.
    expect(bitsPerDim(784 * Math.LN2, 784)).toBeCloseTo(1, 12);
    expect(dataConvention('gaussian', { ...info, dequantize: false })).toBeNull();
  });

  it('the Gaussian NLL matches a float64 recomputation: fixed sigma, model mean 0.5, dequantised pixels', () => {
    // An independent check of the convention: -log N(y; 0.5, s) summed over dequantised pixels,
    // plus D ln 256, in bits/dim, against report() fed the same float64 log-density.
    const data = {
      name: 't',
      count: 2,
      exampleSize: 784,
      exampleShape: [784],
      dtype: 'uint8',
      data: new Uint8Array(2 * 784).map((_, i) => (i * 37) % 256),
      labels: null,
      mask: null,
    };
    const f = new Feeder(data as never, {
      shape: [784],
      binarize: false,
      dequantize: true,
      scale: 255,
      conditionSize: 0,
      maskColumns: null,
      key: dataKey(7),
    });
    const x = f.all(0, 2, dataKey(1234)).x!.data as Float32Array;
    const raw = data.data;
    for (let i = 0; i < x.length; i++) {
      expect(x[i]! * 256).toBeGreaterThanOrEqual(raw[i]!);
      expect(x[i]! * 256).toBeLessThan(raw[i]! + 1);
    }
    const s = 0.2;
    const logp = Float64Array.from([0, 1], (e) => {
      let t = 0;
      for (let j = 0; j < 784; j++) {
        const z = (x[e * 784 + j]! - 0.5) / s;
        t += -0.5 * z * z - Math.log(s) - 0.5 * Math.log(2 * Math.PI);
      }
      return t;
    });
    const conv = dataConvention('gaussian', info)!;
    const r = report(
      { ...pass(0), n: 2, elbo: logp, recon: logp, kl: new Float64Array(2), loc: new Float32Array(2) },
      1,
      logp,
      1,
      conv,
    );
    const want = (-(logp[0]! + logp[1]!) / 2 + 784 * Math.log(256)) / (784 * Math.log(2));
    expect(r.bits_per_dim).toBeCloseTo(want, 10);
  });
});
