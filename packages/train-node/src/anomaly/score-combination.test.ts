import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { freshRunDir, tinyTrainOptions, vaeInProcess } from '../run/test-helpers';
import { trainCommand } from '../run/train-command';
import { csvRows, scoreIn, tinyOneClassRun } from './test-helpers';

// `vae score --score a+b`: each part standardised on the normal validation examples, then summed.
// The oracle is the parts' own columns: the validation split's table (`--split val`) gives each
// part's mean and standard deviation, the scored split's table each example's parts. kl and latent
// are deterministic (analytic KL, the posterior mean's prior density), so both tables agree exactly
// with what the command computed internally.
let run: string;
let dir: string;
beforeAll(async () => {
  ({ run, dir } = await tinyOneClassRun());
});

/** A CSV's columns by name, as numbers. */
function columns(file: string): Record<string, number[]> {
  const [head, ...rows] = csvRows(file);
  return Object.fromEntries(head!.map((h, j) => [h, rows.map((r) => Number(r[j]))]));
}
function meanStd(v: number[]): { mean: number; std: number } {
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const ss = v.reduce((a, b) => a + (b - mean) ** 2, 0);
  return { mean, std: Math.sqrt(ss / (v.length - 1)) };
}

describe('vae score --score a+b', () => {
  it('sums the parts standardised on normal validation data (unit sd), and reports the sum like any method', async () => {
    const val = join(dir, 'combo-val.csv');
    const v = await scoreIn(run, '--out', val, '--split', 'val', '--iw', '0', '--score', 'kl,latent');
    expect(v.code).toBe(0);
    const out = join(dir, 'combo.csv');
    const { code, r, stderr } = await scoreIn(
      run,
      '--out',
      out,
      '--iw',
      '0',
      '--limit',
      '300',
      '--normal-class',
      '3',
      '--score',
      'kl+latent,kl,latent',
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(r).toMatchObject({ score: 'kl+latent', unit: 'sd' });
    expect(Object.keys(r.report!.by_score)).toEqual(['kl+latent', 'kl', 'latent']);
    const vc = columns(val);
    const kl = meanStd(vc.kl!);
    const lat = meanStd(vc.latent_nll!);
    const t = columns(out);
    expect(t.score).toHaveLength(300);
    t.score!.forEach((s, i) => {
      const want = (t.kl![i]! - kl.mean) / kl.std + (t.latent_nll![i]! - lat.mean) / lat.std;
      expect(s).toBeCloseTo(want, 4); // the CSV's 9 significant digits
    });
    // The threshold is chosen on the same standardised scale: its value is in sd, near the top of
    // the normal validation scores (false alarms at --fpr 0.05).
    const th = r.report!.threshold!;
    expect(th.val_fpr).toBeLessThanOrEqual(0.05);
    expect(th.value).toBeGreaterThan(0);
    expect(th.value).toBeLessThan(10);
  });

  it('a combination on the validation split itself has mean 0 (the parts standardised on it)', async () => {
    const out = join(dir, 'combo-self.csv');
    const { code } = await scoreIn(run, '--out', out, '--split', 'val', '--iw', '0', '--score', 'kl+latent');
    expect(code).toBe(0);
    const s = columns(out).score!;
    expect(Math.abs(meanStd(s).mean)).toBeLessThan(1e-6);
  });

  it('refuses an empty part, a repeated method, an unknown one, and a run with no validation data', async () => {
    const cases: [string[], string][] = [
      [['--score', 'elbo+'], '--score: "elbo+" has an empty part; combine methods as elbo+regret'],
      [['--score', 'elbo+elbo'], '--score: "elbo+elbo" names a method twice; give each once'],
      [['--score', 'elbo+magic'], '--score: unknown method "magic"; methods: '],
    ];
    for (const [args, message] of cases) {
      const r = await vaeInProcess('score', '--run', run, '--out', join(dir, 'z.csv'), ...args);
      expect(r.code).toBe(1);
      expect(r.stderr.startsWith(`vae: ${message}`), r.stderr).toBe(true);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    const noVal = freshRunDir('vae-score-noval-');
    await trainCommand(tinyTrainOptions(noVal, { hidden: [32], latent: 2, classes: ['3'], val: 0 }));
    const out = join(dir, 'noval.csv');
    const r = await vaeInProcess('score', '--run', noVal, '--out', out, '--iw', '0', '--score', 'elbo+kl');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `vae: --score elbo+kl standardises each part on normal validation examples, and there are none: ${noVal} has no validation split (--val 0)\n`,
    );
  });
});
