import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fold, type HostTensor, interpret, seriesStepScoreGraph } from '@vae/core';
import { parseCsv } from '@vae/datasets';
import { beforeAll, describe, expect, it } from 'vitest';
import { splitInputs } from '../data/load-data';
import { loadRun } from '../run/run-dir';
import { vaeInProcess } from '../run/test-helpers';
import { loadSeriesData } from './series-data';
import { SCORE_KEYS, SERIES_PARTICLES, seriesScoreCommand } from './series-score';
import { tinySeriesRun } from './test-helpers';

// `vae score` on a series run: one score per time step of the test period, the mean of the covering
// windows' step scores (checked against core's reference interpreter and a plain loop), the
// time-step AUROC against a brute-force pairwise count, and the plot.

/** Columns of a CSV as numbers, by header name. */
function readTable(path: string): Record<string, number[]> {
  const t = parseCsv(readFileSync(path, 'utf8'));
  return Object.fromEntries(
    t.header.map((h, j) => [h, t.rows.map((r) => (r[j] === null ? Number.NaN : Number(r[j])))]),
  );
}

describe('vae score on a series run', () => {
  let run: Awaited<ReturnType<typeof tinySeriesRun>>;
  beforeAll(async () => {
    run = await tinySeriesRun();
  }, 60_000);

  it('writes one score per test step: the mean over covering windows of their step scores', async () => {
    const out = join(run.tmp, 'steps.csv');
    const windowsOut = join(run.tmp, 'windows.csv');
    const r = await seriesScoreCommand({ run: run.dir, out, windowsOut, threads: 1 });
    const steps = readTable(out);
    expect(Object.keys(steps)).toEqual(['step', 'a', 'b', 'score', 'flagged']);
    expect(r.columns).toEqual(['step', 'a', 'b', 'score', 'flagged']);
    expect(steps.step).toEqual(Array.from({ length: 60 }, (_, i) => 240 + i));
    expect([r.from, r.to, r.windows, r.window]).toEqual([240, 300, 23, 16]);
    // The series in its own units, as the CSV holds it.
    const csv = readTable(run.csv);
    expect(steps.a).toEqual(csv.a!.slice(240));
    // Oracle: each test window's step scores on core's interpreter with the command's noise (one
    // batch: fold(key, 0)), then a loop.
    const loaded = loadRun(run.dir);
    const data = await loadSeriesData(loaded.config);
    const period = data.windows.test!;
    const x = splitInputs(period.windows, loaded.config.data, 0).x!;
    const { graph, outputs, noise } = seriesStepScoreGraph(loaded.vae, SERIES_PARTICLES);
    const feeds: Record<string, HostTensor> = {
      ...loaded.params,
      x,
      ...noise.feeds(fold(SCORE_KEYS.scored, 0), { N: 23 }),
    };
    const [stepScore, negElbo] = interpret(graph, [outputs.stepScore!, outputs.negElbo!], feeds).map(
      (t) => t.data as Float32Array,
    );
    const sum = new Float64Array(300);
    const count = new Float64Array(300);
    period.starts.forEach((s, w) => {
      for (let u = 0; u < 16; u++) {
        sum[s + u]! += stepScore![w * 16 + u]!;
        count[s + u]! += 1;
      }
    });
    steps.score!.forEach((v, i) => expect(v).toBeCloseTo(sum[240 + i]! / count[240 + i]!, 4));
    // The per-window file: its -ELBO is the interpreter's, and recon + kl add up to it.
    const win = readTable(windowsOut);
    expect(Object.keys(win)).toEqual(['window', 'start', 'end', 'neg_elbo', 'recon', 'kl']);
    expect(win.start).toEqual(Array.from(period.starts));
    expect(win.end).toEqual(Array.from(period.starts, (s) => s + 15));
    win.neg_elbo!.forEach((v, w) => {
      expect(v).toBeCloseTo(negElbo![w]!, 3);
      expect(win.recon![w]! + win.kl![w]!).toBeCloseTo(v, 4);
    });
    // The threshold flags exactly the steps at or above it.
    const t = r.threshold!;
    expect(t.val_steps).toBe(30);
    expect(steps.flagged).toEqual(steps.score!.map((v) => (v >= t.value ? 1 : 0)));
  }, 60_000);

  it('reports the time-step AUROC (no point-adjust) of the labels, as a pairwise count gives it', async () => {
    const labelsPath = join(run.tmp, 'labels.csv');
    // Steps 250..259 and 280 are anomalies; a step outside the test period may be listed too.
    const label = (t: number) => ((t >= 250 && t < 260) || t === 280 ? 1 : 0);
    const rows = [
      'step,label,kind',
      '10,0,',
      ...Array.from({ length: 60 }, (_, i) => `${240 + i},${label(240 + i)},x`),
    ];
    writeFileSync(labelsPath, `${rows.join('\n')}\n`);
    const out = join(run.tmp, 'labelled.csv');
    const r = await seriesScoreCommand({ run: run.dir, out, anomalyLabels: labelsPath, threads: 1 });
    const steps = readTable(out);
    expect(steps.label).toEqual(steps.step!.map(label));
    const s = steps.score!;
    let wins = 0;
    let pairs = 0;
    s.forEach((p, i) => {
      if (!label(240 + i)) return;
      s.forEach((q, j) => {
        if (label(240 + j)) return;
        pairs++;
        wins += p > q ? 1 : p === q ? 0.5 : 0;
      });
    });
    expect(pairs).toBe(11 * 49);
    // The CSV rounds scores to 9 digits, so allow a tie's worth of difference.
    expect(r.report!.auroc).toBeCloseTo(wins / pairs, 2);
    expect([r.report!.n_anomalous, r.report!.n_normal]).toEqual([11, 49]);
    writeFileSync(labelsPath, 'step,label\n240,1\n');
    await expect(seriesScoreCommand({ run: run.dir, out, anomalyLabels: labelsPath })).rejects.toThrow(
      `${labelsPath}: no label for step 241; the scored steps are 240..299, each needs one`,
    );
  }, 60_000);

  it('draws the plot as PNG at twice the SVG size', async () => {
    const svgPath = join(run.tmp, 'plot.svg');
    const pngPath = join(run.tmp, 'plot.png');
    await seriesScoreCommand({ run: run.dir, out: join(run.tmp, 'p.csv'), plot: svgPath, threads: 1 });
    await seriesScoreCommand({ run: run.dir, out: join(run.tmp, 'p.csv'), plot: pngPath, threads: 1 });
    const svg = readFileSync(svgPath, 'utf8');
    const m = /<svg[^>]*width="(\d+)"[^>]*height="(\d+)"/.exec(svg)!;
    const [w, h] = [Number(m[1]), Number(m[2])];
    // Three stacked panels of 900 px: two columns and the score.
    expect(w).toBeGreaterThan(900);
    expect(h).toBeGreaterThan(3 * 110);
    const png = readFileSync(pngPath);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([2 * w, 2 * h]);
  }, 60_000);

  it('refuses flags of other runs in one line', async () => {
    const r = await vaeInProcess(
      'score',
      '--run',
      run.dir,
      '--out',
      join(run.tmp, 'x.csv'),
      '--score',
      'nll',
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `vae: --score is for image and tabular runs; ${run.dir} is a series run (scored per time step): drop --score\n`,
    );
    // An image run (only its config is read before the refusal).
    const image = join(run.tmp, 'image-run');
    mkdirSync(image);
    writeFileSync(join(image, 'config.json'), JSON.stringify({ format: 'vae-run', version: 1, recipe: {} }));
    const p = await vaeInProcess('score', '--run', image, '--out', join(run.tmp, 'y.csv'), '--plot', 'p.svg');
    expect(p.stderr).toBe(`vae: --plot is for series runs; ${image} is not one: drop --plot\n`);
    await expect(
      seriesScoreCommand({ run: run.dir, out: join(run.tmp, 'x.csv'), plot: 'x.jpg' }),
    ).rejects.toThrow('--plot must end in .svg or .png, got "x.jpg"');
  }, 60_000);
});
