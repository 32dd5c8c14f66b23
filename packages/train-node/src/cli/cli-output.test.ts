import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Result, vae } from './test-helpers';

// What the real `vae` writes when it works: stdout exactly one JSON line (scripts parse it), stderr
// progress and a short human summary (none with --quiet). stderr is a pipe here, as in CI.
const root = mkdtempSync(join(tmpdir(), 'vae-cli-output-'));
const at = (...p: string[]) => join(root, ...p);
const run = at('run');
const tab = at('tab');
let trained: Result;
let trainedTab: Result;

beforeAll(async () => {
  const tiny = ['--hidden', '32', '--latent', '2', '--epochs', '1'];
  [trained, trainedTab] = await Promise.all([
    vae(['train', '--dataset', 'mnist-default', ...tiny, '--val', '200', '--out', run]),
    vae(['train', '--dataset', 'penguins', '--hidden', '8', '--latent', '2', '--epochs', '1', '--out', tab]),
  ]);
  for (const r of [trained, trainedTab]) expect(r.code, r.stderr).toBe(0);
}, 120_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The one JSON object on stdout (and nothing else there). */
function json(r: Result): Record<string, unknown> {
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout.endsWith('\n')).toBe(true);
  expect(r.stdout.slice(0, -1)).not.toContain('\n');
  return JSON.parse(r.stdout);
}

const lines = (r: Result) => r.stderr.trimEnd().split('\n');

describe('vae train', () => {
  it('prints one JSON line, one progress line per epoch, and what was trained where', () => {
    expect(json(trained)).toMatchObject({ run, epochs: 1, finished: 'epochs' });
    const [epoch, what, best, ...rest] = lines(trained);
    expect(rest).toEqual([]);
    expect(epoch).toMatch(/^epoch 1\/1: loss \d+\.\d\d \| val -ELBO \d+\.\d\d, \d+ samples\/s, /);
    expect(what).toMatch(
      /^trained mlp VAE \(latent 2, hidden 32, bernoulli\) on mnist-default for 1 epoch: \d+ steps, \d+ samples\/s, \d+:\d\d; run folder /,
    );
    expect(what!.endsWith(`run folder ${run}`)).toBe(true);
    expect(best).toMatch(
      /^ {2}best validation -ELBO \d+\.\d\d nats per example \(epoch 1\); next: vae eval --run /,
    );
    expect(lines(trainedTab)[1]).toMatch(/^trained tabular VAE \(latent 2, hidden 8\) on penguins /);
    expect(lines(trainedTab)[2]).toContain(`vae sample --run ${tab} --csv rows.csv`);
  });
});

describe('vae eval', () => {
  it('shows importance-sampling progress every tenth on a pipe, then the headline figures', async () => {
    // 1000 examples in blocks of 40 examples x all 100 samples (core's iwBlock): 25 chunks.
    const args = ['eval', '--run', run, '--iw', '100', '--limit', '1000'];
    const [loud, quiet] = await Promise.all([vae(args), vae([...args, '--quiet'])]);
    const report = json(loud);
    expect(report).toMatchObject({ iw: 100, n: 1000, split: 'test' });
    const err = lines(loud);
    // A line per tenth of the 25 chunks.
    const total = 25;
    const done = Array.from({ length: 10 }, (_, i) => Math.ceil((total * (i + 1)) / 10));
    expect(err.slice(0, 10).map((l) => l.split(',')[0])).toEqual(
      done.map((d) => `importance sampling: ${Math.floor((100 * d) / total)}% (${d}/${total} chunks)`),
    );
    expect(err[0]).toMatch(/, \d+:\d\d elapsed, ~\d+:\d\d left$/);
    expect(err[9]).toMatch(/, \d+:\d\d elapsed$/);
    const nll = (report.nll_iw as number).toFixed(2);
    expect(err[10]).toBe(
      `evaluated ${run} on the test split (1000 examples), per example: -ELBO ${(report.elbo as number).toFixed(2)} nats, NLL ${nll} nats (importance-sampled, k = 100; ${(report.bits_per_dim as number).toFixed(3)} bits/dim)`,
    );
    expect(err[11]).toMatch(
      /^ {2}reconstruction \d+\.\d\d nats, KL \d+\.\d\d nats, \d\/2 active latent units$/,
    );
    expect(err).toHaveLength(12);
    // --quiet: the same JSON line, nothing on stderr.
    expect([quiet.stdout, quiet.stderr]).toEqual([loud.stdout, '']);
  });
});

describe('vae sample, recon, interp: enlarged PNGs whose grids fit n', () => {
  const png = (r: Result, file: string) => {
    const out = json(r);
    const img = PNG.sync.read(readFileSync(file));
    expect([img.width, img.height]).toEqual([out.width, out.height]);
    return { out, img };
  };

  it('sample: 64 samples at 3 px per pixel by default (699 px, was 233), --scale 1 for 1:1', async () => {
    const [auto, one, ten] = await Promise.all([
      vae(['sample', '--run', run, '--png', at('s.png')]),
      vae(['sample', '--run', run, '--png', at('s1.png'), '--scale', '1', '--quiet']),
      vae(['sample', '--run', run, '--png', at('s10.png'), '--n', '10', '--seed', '3']),
    ]);
    expect(png(auto, at('s.png')).out).toEqual({
      png: at('s.png'),
      rows: 8,
      cols: 8,
      width: 699,
      height: 699,
      scale: 3,
    });
    expect(auto.stderr).toBe(
      `wrote ${at('s.png')} (699 x 699 px, 3 px per image pixel): 64 samples from the prior (seed 1), in 8 rows of 8\n`,
    );
    expect(png(one, at('s1.png')).out).toMatchObject({ width: 233, height: 233, scale: 1 });
    expect(one.stderr).toBe('');
    // 10 samples: 5 x 2, no empty cell (was 4 x 3 with two).
    expect(png(ten, at('s10.png')).out).toMatchObject({ rows: 2, cols: 5, scale: 4 });
    // The same pixels, only bigger: the enlarged grid's every 3rd pixel is the 1:1 grid.
    const big = PNG.sync.read(readFileSync(at('s.png')));
    const small = PNG.sync.read(readFileSync(at('s1.png')));
    for (let y = 0; y < 233; y += 7)
      for (let x = 0; x < 233; x += 5)
        expect(big.data[(3 * y * 699 + 3 * x) * 4]).toBe(small.data[(y * 233 + x) * 4]);
  });

  it('recon --n 16: 8 per row, no grey padding cells (was 10 per row with 4)', async () => {
    const r = await vae(['recon', '--run', run, '--n', '16', '--png', at('r.png'), '--scale', '1']);
    const { out, img } = png(r, at('r.png'));
    expect(out).toEqual({ png: at('r.png'), width: 1 + 8 * 29, height: 1 + 4 * 29, scale: 1 });
    // Every one of the 8 x 4 cells holds a picture: some pixel differs from the background grey.
    for (let row = 0; row < 4; row++)
      for (let col = 0; col < 8; col++) {
        let drawn = false;
        for (let p = 0; p < 784 && !drawn; p++) {
          const x = 1 + col * 29 + (p % 28);
          const y = 1 + row * 29 + Math.floor(p / 28);
          drawn = img.data[(y * img.width + x) * 4] !== 128;
        }
        expect(drawn, `cell (${row}, ${col})`).toBe(true);
      }
    expect(r.stderr).toBe(
      `wrote ${at('r.png')} (233 x 117 px, 1 px per image pixel): the first 16 test examples over their reconstructions, 8 per row\n`,
    );
  });

  it('interp: one row enlarged to at least 512 px wide', async () => {
    const r = await vae(['interp', '--run', run, '--png', at('i.png')]);
    expect(png(r, at('i.png')).out).toMatchObject({ width: 2 * 349, height: 2 * 30, scale: 2 });
    expect(r.stderr).toMatch(
      /: test example 0 to test example 1 in 10 (slerp|lerp) steps through latent space/,
    );
  });
});

describe('every command that prints a JSON line says what it did on stderr, unless --quiet', () => {
  writeFileSync(
    at('holes.csv'),
    'species,island,bill_length_mm,bill_depth_mm,flipper_length_mm,body_mass_g,sex\nAdelie,Torgersen,39.1,18.7,181,,male\n,Dream,46.5,17.9,192,3500,\n',
  );
  const cases: [string, (q: string) => string[], RegExp][] = [
    [
      'export',
      (q) => ['export', '--run', run, '--out', at(`bundle${q}`)],
      /^exported .* to .*: 7 files, [\d.]+ KiB, float32 weights, test -ELBO \d+\.\d\d nats\n {2}parity with the training graph on 256 test inputs \(max abs diff\): encoder .*, decoder .*\n$/,
    ],
    [
      'plot',
      (q) => ['plot', '--run', run, '--svg', at(`p${q}.svg`)],
      /^wrote .*p\.svg: train loss, val -ELBO over 1 epoch\n$/,
    ],
    [
      'sample --csv',
      (q) => ['sample', '--run', tab, '--csv', at(`rows${q}.csv`), '--n', '5'],
      /^wrote .*rows\.csv: 5 synthetic rows of 7 columns drawn from the model \(seed 1\)\n$/,
    ],
    [
      'impute',
      (q) => [
        'impute',
        '--run',
        tab,
        '--csv',
        at('holes.csv'),
        '--out',
        at(`filled${q}.csv`),
        '--samples',
        '10',
      ],
      /^filled 3 missing cells of 2 rows \(species 1, body_mass_g 1, sex 1\) with 10 weighted posterior draws per row; wrote .*filled\.csv\n$/,
    ],
  ];

  it.each(cases)('%s', async (_, args, summary) => {
    const [loud, quiet] = await Promise.all([vae(args('')), vae([...args('-q'), '--quiet'])]);
    json(loud);
    expect(loud.stderr).toMatch(summary);
    expect(Object.keys(json(quiet))).toEqual(Object.keys(json(loud)));
    expect(quiet.stderr).toBe('');
  });
});
