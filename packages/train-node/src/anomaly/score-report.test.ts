import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { npyBytes } from '../data/test-helpers';
import { vaeInProcess } from '../run/test-helpers';
import { AnomalyLabelsError, readAnomalyLabels } from './anomaly-labels';
import { rankable } from './anomaly-report';
import { csvRows, scoreIn, tinyOneClassRun } from './test-helpers';

// `vae score`'s report on a tiny one-class run: --normal-class, --anomaly-labels and their errors.
let run: string;
let dir: string;
beforeAll(async () => {
  ({ run, dir } = await tinyOneClassRun());
});
const score = (...argv: string[]) => scoreIn(run, ...argv);
const csv = csvRows;

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
