import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InterpreterBackend } from '@vae/core';
import { mnistDefault, parseNpy } from '@vae/datasets';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { OrtBackend } from '../backend/ort-backend';
import { main } from '../cli/main';
import { loadRunData, splitInputs } from '../data/load-data';
import { npyBytes } from '../data/test-helpers';
import { withoutInputNoise } from '../embed/embed-data';
import { loadRun } from '../run/run-dir';
import { type TrainCommandOptions, trainCommand } from '../run/train-command';
import { fillMissing, missingRmse } from './baselines';
import { inpaintCommand } from './inpaint-command';
import { buildMasks } from './masks';
import { importanceFill } from './samplers';

const root = mkdtempSync(join(tmpdir(), 'vae-inpaint-'));
const at = (...p: string[]) => join(root, ...p);
const grey = at('grey');
const rgb = at('rgb');
const tab = at('tab');
const H = 8;
const W = 6;

const train = (o: Partial<TrainCommandOptions> & Pick<TrainCommandOptions, 'dataset' | 'out'>) =>
  trainCommand({ model: 'mlp', latent: 2, hidden: [16], epochs: 1, seed: 1, threads: 1, quiet: true, ...o });

beforeAll(async () => {
  // 48 RGB 8x6 images: a colour per class, a ramp in green.
  const n = 48;
  const data = Uint8Array.from({ length: n * H * W * 3 }, (_, t) => {
    const [e, i, ch] = [Math.floor(t / (H * W * 3)), Math.floor(t / 3) % (H * W), t % 3];
    return ch === 1 ? (i * 5) % 256 : ch === 0 ? (e % 2) * 200 + 20 : 220 - (e % 2) * 200;
  });
  writeFileSync(at('rgb.npy'), npyBytes('|u1', [n, H, W, 3], data));
  await train({ dataset: 'mnist-default', out: grey });
  await train({
    dataset: at('rgb.npy'),
    model: 'conv',
    hidden: [4, 8],
    likelihood: 'discretized-logistic',
    batch: 8,
    testFraction: 0.25,
    out: rgb,
  });
  await train({ dataset: 'penguins', model: 'tabular', hidden: [8], epochs: 1, out: tab });
}, 120_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

const npy = (path: string) => {
  const a = parseNpy(new Uint8Array(readFileSync(path)));
  return { shape: a.shape, data: a.data as Float32Array };
};

describe('vae impute on images', () => {
  it('grey MLP, miwae: JSON fields, PNG size, observed pixels unchanged, the RMSE of the written fill', async () => {
    const r = await inpaintCommand({
      run: grey,
      mask: 'centre',
      n: 12,
      out: at('g.png'),
      npy: at('g.npy'),
      threads: 1,
    });
    expect(r).toMatchObject({
      dataset: 'mnist-default',
      split: 'test',
      n: 12,
      mask: 'centre',
      method: 'miwae',
    });
    expect(r).toMatchObject({ samples: 100, iters: null, seed: 1, acceptance: null, missing_fraction: 0.25 });
    expect(r.ess! >= 1 && r.ess! <= 100).toBe(true);
    // 10 images shown, three rows of 28 + 1 px gutters, enlarged by the automatic scale.
    const png = PNG.sync.read(readFileSync(at('g.png')));
    expect([png.width, png.height]).toEqual([r.png.width, r.png.height]);
    expect(png.width).toBe(r.png.scale * (1 + 10 * 29));
    expect(png.height).toBe(r.png.scale * (1 + 3 * 29));
    const filled = npy(at('g.npy'));
    expect(filled.shape).toEqual([12, 1, 28, 28]);
    const test = (await mnistDefault()).test;
    const truth = Float32Array.from({ length: 12 * 784 }, (_, j) => (test.data as Uint8Array)[j]! / 255);
    const missing = buildMasks({ kind: 'centre' }, 12, { h: 28, w: 28, c: 1 }, 1);
    for (let j = 0; j < truth.length; j++) {
      if (!missing[j]) expect(filled.data[j]).toBe(truth[j]);
      else expect(filled.data[j]! >= 0 && filled.data[j]! <= 1).toBe(true);
    }
    expect(r.rmse.model).toBeCloseTo(missingRmse(filled.data, truth, missing), 10);
    for (const v of Object.values(r.rmse)) expect(v > 0 && v < 1).toBe(true);
  });

  it('gibbs on RGB conv (discretized logistic): colour PNG, observed pixels unchanged, same seed same fill', async () => {
    const opts = { run: rgb, mask: 'random:0.4', method: 'gibbs' as const, iters: 6, threads: 1 };
    const a = await inpaintCommand({ ...opts, out: at('c.png'), npy: at('c.npy') });
    const b = await inpaintCommand({ ...opts, out: at('c2.png'), npy: at('c2.npy') });
    await inpaintCommand({ ...opts, seed: 2, out: at('c3.png'), npy: at('c3.npy') });
    expect(a).toMatchObject({ n: 12, method: 'gibbs', iters: 6, samples: null, ess: null });
    expect(a.acceptance! > 0 && a.acceptance! <= 1).toBe(true);
    expect(readFileSync(at('c.npy')).equals(readFileSync(at('c2.npy')))).toBe(true);
    expect(readFileSync(at('c.npy')).equals(readFileSync(at('c3.npy')))).toBe(false);
    expect(b.rmse).toEqual(a.rmse);
    const filled = npy(at('c.npy'));
    expect(filled.shape).toEqual([12, 3, H, W]);
    const png = PNG.sync.read(readFileSync(at('c.png')));
    expect(png.width).toBe(a.png.scale * (1 + 10 * (W + 1)));
    expect(png.height).toBe(a.png.scale * (1 + 3 * (H + 1)));
    const data = await loadRunData(loadRun(rgb).config);
    const truth = Float32Array.from(
      { length: 12 * H * W * 3 },
      (_, j) => (data.test.data as Uint8Array)[j]! / 255,
    );
    const missing = buildMasks({ kind: 'random', p: 0.4 }, 12, { h: H, w: W, c: 3 }, 1);
    for (let j = 0; j < truth.length; j++) if (!missing[j]) expect(filled.data[j]).toBe(truth[j]);
    expect(a.rmse.model).toBeCloseTo(missingRmse(filled.data, truth, missing), 10);
  });

  it('the importance-weighted fill is the same on the interpreter and on onnxruntime', async () => {
    const run = loadRun(grey);
    const test = (await mnistDefault()).test;
    const inputs = splitInputs(test, withoutInputNoise(run.config.data), 0, 4);
    const missing = buildMasks({ kind: 'half', side: 'bottom' }, 4, { h: 28, w: 28, c: 1 }, 1);
    const inp = {
      n: 4,
      x: fillMissing(inputs.x!.data as Float32Array, missing, new Float32Array(784).fill(0.1)),
      missing,
    };
    const o = { samples: 16, seed: 5 };
    const ort = new OrtBackend({ threads: 1 });
    const a = (await importanceFill(ort, run, inp, o)).mean;
    await ort.dispose();
    const b = (await importanceFill(new InterpreterBackend(), run, inp, o)).mean;
    let worst = 0;
    for (let j = 0; j < a.length; j++) worst = Math.max(worst, Math.abs(a[j]! - b[j]!));
    expect(worst).toBeLessThan(1e-4);
  });

  for (const likelihood of ['continuous-bernoulli', 'gaussian'] as const)
    it(`works with a ${likelihood} likelihood (both methods)`, async () => {
      const out = at(likelihood);
      await train({ dataset: 'mnist-default', likelihood, out });
      for (const method of ['miwae', 'gibbs'] as const) {
        const r = await inpaintCommand({
          run: out,
          mask: 'half:left',
          method,
          n: 6,
          out: at(`${likelihood}.png`),
          threads: 1,
          ...(method === 'gibbs' ? { iters: 4 } : { samples: 8 }),
        });
        expect(Number.isFinite(r.rmse.model) && r.rmse.model < 1).toBe(true);
      }
    }, 60_000);
});

describe('vae impute flags', () => {
  it('refuses flags of the other kind of run and bad image flags in one line each', async () => {
    const cases: [string[], string][] = [
      [['--run', grey, '--csv', 'x.csv', '--out', 'y.csv'], '--csv is for tabular runs'],
      [['--run', tab, '--mask', 'centre', '--out', 'y.png'], '--mask is for image runs'],
      [['--run', tab, '--csv', 'x.csv', '--method', 'gibbs', '--out', 'y.csv'], '--method is for image runs'],
      [
        ['--run', grey, '--mask', 'centre', '--method', 'gibbs', '--samples', '5', '--out', at('x.png')],
        '--samples is for --method miwae',
      ],
      [
        ['--run', grey, '--mask', 'centre', '--iters', '5', '--out', at('x.png')],
        '--iters is for --method gibbs',
      ],
      [['--run', grey, '--out', at('x.png')], 'needs one of --mask'],
      [['--run', grey, '--mask', 'centre', '--out', at('x.jpg')], '--out must end in .png'],
      [['--run', grey, '--mask', 'blob', '--out', at('x.png')], '--mask blob: unknown mask'],
      [
        ['--run', grey, '--mask', 'centre', '--method', 'em', '--out', at('x.png')],
        '--method must be miwae or gibbs',
      ],
      [['--run', grey, '--mask', 'centre', '--n', '99999', '--out', at('x.png')], 'is more than the'],
    ];
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const codes: number[] = [];
    for (const [args] of cases) codes.push(await main(['impute', ...args]));
    const lines = err.mock.calls.map((c) => String(c[0]));
    err.mockRestore();
    out.mockRestore();
    expect(codes).toEqual(cases.map(() => 1));
    expect(lines).toHaveLength(cases.length);
    lines.forEach((line, i) => {
      expect(line).toMatch(/^vae: [^\n]+\n$/);
      expect(line).toContain(cases[i]![1]);
    });
  });

  it('prints one JSON line on stdout and a summary on stderr', async () => {
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const code = await main([
      'impute',
      '--run',
      grey,
      '--mask',
      'random:0.5',
      '--n',
      '5',
      '--samples',
      '4',
      '--out',
      at('s.png'),
    ]);
    const stdout = out.mock.calls.map((c) => String(c[0])).join('');
    const stderr = err.mock.calls.map((c) => String(c[0])).join('');
    err.mockRestore();
    out.mockRestore();
    expect(code).toBe(0);
    const r = JSON.parse(stdout);
    expect(stdout.trim().split('\n')).toHaveLength(1);
    expect(Object.keys(r.rmse)).toEqual(['model', 'mean_fill', 'knn']);
    expect(stderr).toContain('RMSE on the missing pixels');
  });
});
