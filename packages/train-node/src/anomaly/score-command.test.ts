import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseNpy } from '@vae/datasets';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli } from '../cli/main';
import { evalCommand } from '../eval/eval-command';
import { freshRunDir, tinyTrainOptions, vaeInProcess } from '../run/test-helpers';
import { trainCommand } from '../run/train-command';
import { SCORE_METHOD_NAMES, SCORE_METHODS } from './score-methods';
import { csvRows, scoreIn, tinyOneClassRun } from './test-helpers';

// The contract of `vae score`'s table on a tiny one-class run: columns, shapes, the parts against
// `vae eval`, other data, every method, and the flags it refuses.
let run: string;
let dir: string;
beforeAll(async () => {
  ({ run, dir } = await tinyOneClassRun());
});
const score = (...argv: string[]) => scoreIn(run, ...argv);
const csv = csvRows;

describe('vae score: the table', () => {
  it('CSV: a header, one row per example, the score column is the first method, parts beside it', async () => {
    const out = join(dir, 'a.csv');
    const { code, r, stderr } = await score(
      '--out',
      out,
      '--iw',
      '4',
      '--limit',
      '40',
      '--score',
      'nll,latent,complexity',
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const cols = [
      'index',
      'label',
      'score',
      'neg_elbo',
      'recon',
      'kl',
      'nll_iw',
      'latent_nll',
      'complexity_bits',
    ];
    expect(r).toMatchObject({
      out,
      format: 'csv',
      columns: cols,
      n: 40,
      split: 'test',
      score: 'nll',
      unit: 'nats',
      iw: 4,
    });
    const [head, ...rows] = csv(out);
    expect(head).toEqual(cols);
    expect(rows).toHaveLength(40);
    rows.forEach((row, i) => {
      const v = Object.fromEntries(cols.map((c, j) => [c, Number(row[j])]));
      expect(v.index).toBe(i);
      expect(Number.isInteger(v.label)).toBe(true);
      expect(v.score).toBe(v.nll_iw);
      expect(v.neg_elbo).toBeCloseTo(v.recon! + v.kl!, 3);
      expect(v.complexity_bits! % 8).toBe(0); // whole bytes of PNG
      for (const c of cols) expect(Number.isFinite(v[c])).toBe(true);
    });
  });

  it('NPY: float64 [n, columns], the columns listed in the result; --iw 0 drops nll_iw', async () => {
    const out = join(dir, 'b.npy');
    const { code, r } = await score('--out', out, '--iw', '0', '--limit', '30', '--score', 'elbo');
    expect(code).toBe(0);
    expect(r.columns).toEqual(['index', 'label', 'score', 'neg_elbo', 'recon', 'kl']);
    const a = parseNpy(readFileSync(out), out);
    expect(a.dtype).toBe('float64');
    expect(a.shape).toEqual([30, 6]);
    const d = a.data as Float64Array;
    expect(Array.from({ length: 30 }, (_, i) => d[i * 6])).toEqual(Array.from({ length: 30 }, (_, i) => i));
    for (let i = 0; i < 30; i++) expect(d[i * 6 + 2]).toBe(d[i * 6 + 3]); // score = -ELBO
  });
});

describe("vae score: the parts are `vae eval`'s", () => {
  // Bernoulli: binarised once as eval binarises; Gaussian: dequantised, + D ln 256 on the pixel scale.
  it.each([
    ['bernoulli', {}],
    ['gaussian', { likelihood: 'gaussian', gaussianScale: 'fixed:0.2' }],
  ])(
    '%s: per-example -ELBO, reconstruction, KL and IW -log p(x) average to what vae eval reports',
    async (_, flags) => {
      let r2 = run;
      if (Object.keys(flags).length > 0) {
        r2 = freshRunDir('vae-score-g-');
        await trainCommand(tinyTrainOptions(r2, { hidden: [32], latent: 2, ...flags }));
      }
      const out = join(dir, 'p.csv');
      const { r } = await score('--run', r2, '--out', out, '--iw', '8', '--limit', '200', '--score', 'nll');
      const ev = await evalCommand({ run: r2, iw: 8, limit: 200, threads: 1 });
      const rows = csv(out).slice(1);
      const mean = (c: string) =>
        rows.reduce((a, row) => a + Number(row[r.columns.indexOf(c)]), 0) / rows.length;
      // One z sample per example (other draws than eval's) moves the ELBO's mean by a few nats; a
      // scale error (no + D ln 256, grey levels for binarised pixels) would be hundreds or more.
      // Two independent IW estimates (k = 8, 200 examples): their difference has an SD of ~0.45
      // nats here (measured over 120 keys); 1.5 is 3.3 SD.
      expect(Math.abs(mean('nll_iw') - ev.nll_iw!)).toBeLessThan(1.5);
      expect(Math.abs(mean('neg_elbo') - ev.elbo)).toBeLessThan(10);
      expect(Math.abs(mean('recon') - ev.recon)).toBeLessThan(10);
      expect(Math.abs(mean('kl') - ev.kl)).toBeLessThan(0.5);
    },
  );
});

describe('vae score --dataset', () => {
  it("scores other data of the run's shape, and refuses data of another kind in one line", async () => {
    const own = await score(
      '--out',
      join(dir, 'own.csv'),
      '--iw',
      '2',
      '--limit',
      '10',
      '--score',
      'elbo,complexity',
    );
    const same = await score(
      '--out',
      join(dir, 'same.csv'),
      '--iw',
      '2',
      '--limit',
      '10',
      '--score',
      'elbo,complexity',
      '--dataset',
      'mnist-default',
    );
    expect(same.code).toBe(0);
    expect(same.r.dataset).toBe('mnist-default');
    expect(csv(join(dir, 'same.csv'))).toEqual(csv(join(dir, 'own.csv')));
    expect(own.r.dataset).toBe('mnist-default');
    const table = await vaeInProcess(
      'score',
      '--run',
      run,
      '--out',
      join(dir, 'z.csv'),
      '--dataset',
      'penguins',
    );
    expect(table.code).toBe(1);
    expect(table.stderr).toMatch(/^vae: --dataset penguins is a table, but .* models \[784\] images/);
  });
});

describe('vae score --score', () => {
  it('accepts every method (ratio with a --background run) and documents each in --help and the README', async () => {
    for (const m of SCORE_METHOD_NAMES) {
      const bg = m === 'ratio' ? ['--background', run] : [];
      const { code, r, stderr } = await score(
        '--out',
        join(dir, `m-${m}.csv`),
        '--score',
        m,
        '--iw',
        '2',
        '--limit',
        '6',
        '--regret-steps',
        '2',
        ...bg,
      );
      expect(stderr, m).toBe('');
      expect(code, m).toBe(0);
      expect(r.score).toBe(m);
      expect(csv(join(dir, `m-${m}.csv`))).toHaveLength(7);
    }
    const help = buildCli()
      .commands.find((c) => c.name === 'score')!
      .options.find((o) => o.name === 'score')!;
    const readme = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');
    for (const m of SCORE_METHOD_NAMES) {
      expect(help.description).toContain(`${m}: ${SCORE_METHODS[m].help}`);
      expect(readme).toMatch(new RegExp(`\\| \`${m}\` +\\|`)); // the table may be padded
    }
  });

  it('refuses unknown methods, other outputs and flags that do not go together, one line each', async () => {
    const cases: [string[], string][] = [
      [['--score', 'magic'], `--score: unknown method "magic"; methods: ${SCORE_METHOD_NAMES.join(', ')}`],
      [['--out', join(dir, 'x.txt')], '--out must end in .csv or .npy, got'],
      [['--score', 'ratio'], '--score ratio needs --background RUN'],
      [['--normal-class', '3', '--anomaly-labels', 'l.txt'], '--normal-class and --anomaly-labels both say'],
      [['--iw', '-1'], '--iw must be a non-negative integer, got -1'],
      [['--fpr', '1.5', '--normal-class', '3'], '--fpr must be a number between 0 and 1, got 1.5'],
    ];
    for (const [args, message] of cases) {
      const out = args.includes('--out') ? [] : ['--out', join(dir, 'y.csv')];
      const r = await vaeInProcess('score', '--run', run, ...out, ...args);
      expect(r.code).toBe(1);
      expect(r.stderr.startsWith(`vae: ${message}`), r.stderr).toBe(true);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
