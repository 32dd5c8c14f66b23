import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseNpy } from '@vae/datasets';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { buildCli, main } from '../cli/main';
import { npyBytes } from '../data/test-helpers';
import { evalCommand } from '../eval/eval-command';
import { freshRunDir, tinyTrainOptions, vaeInProcess } from '../run/test-helpers';
import { trainCommand } from '../run/train-command';
import { AnomalyLabelsError, readAnomalyLabels } from './anomaly-labels';
import { rankable } from './anomaly-report';
import type { ScoreResult } from './score-command';
import { SCORE_METHOD_NAMES, SCORE_METHODS } from './score-methods';

// A tiny one-class run (digit 3 of the embedded digits, 784-32-2, one epoch), scored on the first
// examples of its test split: the contract of `vae score` (columns, shapes, report, errors).
let run: string;
let dir: string;
beforeAll(async () => {
  run = freshRunDir('vae-score-');
  dir = dirname(run);
  await trainCommand(tinyTrainOptions(run, { hidden: [32], latent: 2, classes: ['3'] }));
});

/** Runs `vae score ...` in this process; its exit code, JSON result and stderr. */
async function score(...argv: string[]): Promise<{ code: number; r: ScoreResult; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    stdout += String(s);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
    stderr += String(s);
    return true;
  });
  try {
    const own = argv.includes('--run') ? [] : ['--run', run];
    const code = await main(['score', ...own, '--threads', '1', '--quiet', ...argv]);
    return { code, r: code === 0 ? JSON.parse(stdout) : null, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

const csv = (path: string) =>
  readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(','));

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
      expect(Math.abs(mean('nll_iw') - ev.nll_iw!)).toBeLessThan(0.5);
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

describe('vae score --normal-class: the report', () => {
  it('AUROC and AUPRC of every method, a threshold on normal validation data, the ROC plot', async () => {
    const out = join(dir, 'c.csv');
    const { code, r } = await score(
      '--out',
      out,
      '--iw',
      '4',
      '--limit',
      '200',
      '--normal-class',
      '3',
      '--score',
      'elbo,recon,kl',
      '--fpr',
      '0.1',
    );
    expect(code).toBe(0);
    const rep = r.report!;
    expect(Object.keys(rep).sort()).toEqual(
      [
        'auprc',
        'auroc',
        'by_score',
        'n_anomalous',
        'n_normal',
        'normal',
        'roc_svg',
        'score',
        'threshold',
      ].sort(),
    );
    expect(rep).toMatchObject({ normal: 'class 3', score: 'elbo', roc_svg: join(dir, 'c.roc.svg') });
    expect(Object.keys(rep.by_score)).toEqual(['elbo', 'recon', 'kl']);
    expect(rep.auroc).toBe(rep.by_score.elbo!.auroc);
    for (const m of Object.values(rep.by_score)) {
      expect(m.auroc).toBeGreaterThanOrEqual(0);
      expect(m.auroc).toBeLessThanOrEqual(1);
    }
    const rows = csv(out).slice(1);
    expect(rep.n_normal + rep.n_anomalous).toBe(200);
    expect(rep.n_normal).toBe(rows.filter((row) => row[1] === '3').length);
    rows.forEach((row) => expect(row[2]).toBe(row[1] === '3' ? '0' : '1')); // the anomaly column
    const t = rep.threshold!;
    expect(t.fpr_target).toBe(0.1);
    expect(t.val_n).toBeGreaterThan(50); // the run's validation split: digit 3 only
    expect(t.val_fpr).toBeLessThanOrEqual(0.1);
    for (const k of ['tpr', 'fpr'] as const) expect(t[k]).toBeGreaterThanOrEqual(0);
    expect(readFileSync(rep.roc_svg, 'utf8')).toMatch(/^<svg[^>]*>/);
  });

  it('--normal-class takes a name or id, and refuses an unknown one naming the valid ones', async () => {
    const { code, stderr } = await score('--out', join(dir, 'd.csv'), '--limit', '10', '--normal-class', 'x');
    expect(code).toBe(1);
    expect(stderr).toBe('vae: --normal-class: unknown class "x"; valid: 0, 1, 2, 3, 4, 5, 6, 7, 8, 9\n');
  });
});

describe('scores that are not numbers', () => {
  it('rank as the most anomalous, and are counted', () => {
    const r = rankable(Float64Array.from([1, Number.NaN, 3]));
    expect(Array.from(r.scores)).toEqual([1, Number.POSITIVE_INFINITY, 3]);
    expect(r.nan).toBe(1);
  });
});

describe('vae score --anomaly-labels', () => {
  const labels = (name: string, text: string | Buffer) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };

  it('reads text or .npy labels, one per example', async () => {
    const txt = labels('ok.txt', `${Array.from({ length: 20 }, (_, i) => (i % 3 ? 0 : 1)).join('\n')}\n`);
    const { code, r } = await score(
      '--out',
      join(dir, 'e.csv'),
      '--iw',
      '2',
      '--limit',
      '20',
      '--anomaly-labels',
      txt,
      '--score',
      'kl',
    );
    expect(code).toBe(0);
    expect(r.report).toMatchObject({ normal: `labels from ${txt}`, n_anomalous: 7, n_normal: 13 });
    const npy = labels(
      'ok.npy',
      npyBytes(
        '|u1',
        [20],
        Uint8Array.from({ length: 20 }, (_, i) => i % 2),
      ),
    );
    expect(readAnomalyLabels(npy, 20).reduce((a, b) => a + b, 0)).toBe(10);
  });

  it('refuses a bad file with one typed line: missing, wrong length, not 0/1, one kind only, 2-D', async () => {
    const cases: [string, string | Buffer, RegExp][] = [
      ['short.txt', '0\n1\n', /short\.txt has 2 labels, but 20 examples are scored/],
      ['bad.txt', `${'0\n'.repeat(5)}yes\n`, /bad\.txt:6: "yes" is not 0 or 1/],
      ['same.txt', '0\n'.repeat(20), /all 20 labels are 0 \(normal\); AUROC needs both/],
      ['two.npy', npyBytes('|u1', [10, 2], new Uint8Array(20)), /an array of shape \[10, 2\]/],
      ['three.npy', npyBytes('|u1', [20], new Uint8Array(20).fill(3)), /label 0 is 3, not 0 \(normal\) or 1/],
    ];
    for (const [name, content, message] of cases) {
      const p = labels(name, content);
      expect(() => readAnomalyLabels(p, 20)).toThrow(AnomalyLabelsError);
      const r = await vaeInProcess(
        'score',
        '--run',
        run,
        '--out',
        join(dir, 'f.csv'),
        '--limit',
        '20',
        '--anomaly-labels',
        p,
      );
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    const missing = await vaeInProcess(
      'score',
      '--run',
      run,
      '--out',
      join(dir, 'f.csv'),
      '--anomaly-labels',
      join(dir, 'nope.txt'),
    );
    expect(missing.stderr).toBe(`vae: --anomaly-labels ${join(dir, 'nope.txt')}: no such file\n`);
    expect(existsSync(join(dir, 'f.csv'))).toBe(false);
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
      expect(readme).toMatch(new RegExp(`\\| \`${m}\` \\|`));
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
