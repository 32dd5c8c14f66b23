import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CsvTable, parseCsv, SchemaError } from '@vae/datasets';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../cli/main';
import { evalCommand } from '../eval/eval-command';
import { exportRun } from '../export/export-run';
import { type RunConfig, readConfig } from '../run/run-dir';
import { trainCommand } from '../run/train-command';
import { loadRunData } from './load-data';
import { loadTabularData, type TabularData } from './tabular-data';
import { imputeCommand } from './tabular-impute';

// One penguins run shared by the tests below (about 5 s on one thread).
const root = mkdtempSync(join(tmpdir(), 'vae-tabular-'));
const out = join(root, 'run');
const NUMERIC = ['bill_length_mm', 'bill_depth_mm', 'flipper_length_mm', 'body_mass_g'];
let config: RunConfig;
let tabular: TabularData;

beforeAll(async () => {
  await trainCommand({
    dataset: 'penguins',
    model: 'tabular',
    latent: 4,
    hidden: [64, 64],
    epochs: 60,
    batch: 32,
    lr: 3e-3,
    seed: 1,
    out,
    stepsPerRun: 8,
    threads: 1,
    quiet: true,
  });
  config = readConfig(out);
  tabular = await loadTabularData(config);
}, 60_000);

afterAll(() => {
  vi.restoreAllMocks();
  rmSync(root, { recursive: true, force: true });
});

/** Column values as numbers (NaN where missing). */
const column = (t: CsvTable, name: string) =>
  t.rows.map((r) => Number(r[t.header.indexOf(name)] ?? Number.NaN));
const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;

/** A deterministic choice of about `rate` of the items (an LCG: no dependence on the code under test). */
function choose<T>(items: T[], rate: number, seed: number): T[] {
  let s = seed;
  return items.filter(() => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31 < rate;
  });
}

const csvText = (t: CsvTable, hide: Set<string>) =>
  [
    t.header.join(','),
    ...t.rows.map((r, i) => r.map((c, j) => (c === null || hide.has(`${i}:${j}`) ? 'NA' : c)).join(',')),
  ].join('\n');

describe('vae train --model tabular (penguins)', () => {
  it('saves what rebuilds the same splits and encoder; eval and export read it', async () => {
    const state = config.extra?.tabular as TabularData['state'];
    expect(state.split).toEqual({ seed: 1, train: 276, val: 34, test: 34 });
    expect(config.recipe.valCount).toBe(34);
    expect(config.data.maskColumns).toEqual(state.encodings.map((e) => e.offset));
    expect(config.model.likelihood).toMatchObject({ type: 'tabular' });
    // Standardisation statistics come from the training rows only.
    const mass = state.encodings.find((e) => e.column.name === 'body_mass_g')!;
    const train = column(tabular.tables.train, 'body_mass_g').filter((v) => !Number.isNaN(v));
    expect(mass.mean).toBeCloseTo(mean(train), 6);
    // loadRunData gives the data training saw, bit for bit; the splits are disjoint.
    const again = await loadRunData(config);
    expect(again.image).toBeNull();
    expect(again.train.data).toEqual(tabular.data.train.data);
    expect(again.test.mask).toEqual(tabular.data.test.mask);
    const lines = (t: CsvTable) => t.lines;
    const all = new Set([
      ...lines(tabular.tables.train),
      ...lines(tabular.tables.val),
      ...lines(tabular.tables.test),
    ]);
    expect(all.size).toBe(344);

    const r = await evalCommand({ run: out, iw: 50, threads: 1 });
    expect(r.n).toBe(34);
    for (const v of [r.elbo, r.nll_iw!, r.recon, r.kl]) expect(Number.isFinite(v)).toBe(true);
    expect(r.elbo).toBeGreaterThan(0);

    const bundle = await exportRun({ run: out, threads: 1 });
    expect(bundle.parity.n).toBe(34);
    expect(Math.max(bundle.parity.encoder, bundle.parity.decoder)).toBeLessThanOrEqual(1e-5);
    expect(bundle.manifest.data.kind).toBe('tabular');
  });

  it('vae impute beats train-mean imputation on hidden test cells and keeps observed cells', async () => {
    const test = tabular.tables.test;
    const numericCells = test.rows.flatMap((row, i) =>
      NUMERIC.map((n) => test.header.indexOf(n))
        .filter((j) => row[j] !== null)
        .map((j) => `${i}:${j}`),
    );
    const hidden = new Set(choose(numericCells, 0.2, 7));
    expect(hidden.size).toBeGreaterThan(15);
    const inCsv = join(root, 'holes.csv');
    const outCsv = join(root, 'filled.csv');
    writeFileSync(inCsv, csvText(test, hidden));
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const code = await main([
      'impute',
      '--run',
      out,
      '--csv',
      inCsv,
      '--out',
      outCsv,
      '--samples',
      '100',
      '--threads',
      '1',
    ]);
    const report = JSON.parse(String(write.mock.calls.at(-1)?.[0]));
    write.mockRestore();
    expect(code).toBe(0);
    expect(report.rows).toBe(34);

    const given = parseCsv(readFileSync(inCsv, 'utf8'));
    const filled = parseCsv(readFileSync(outCsv, 'utf8'));
    expect(filled.header).toEqual(given.header);
    given.rows.forEach((row, i) =>
      row.forEach((cell, j) => {
        if (cell !== null)
          expect(filled.rows[i]![j]).toBe(cell); // observed: unchanged
        else expect(filled.rows[i]![j]).not.toBeNull(); // missing: filled
      }),
    );
    // RMSE in user units over the hidden cells: the model vs the training split's column means.
    let zModel = 0;
    let zMean = 0;
    const rows: Record<string, { model: number; mean: number; n: number }> = {};
    for (const name of NUMERIC) {
      const j = test.header.indexOf(name);
      const train = column(tabular.tables.train, name).filter((v) => !Number.isNaN(v));
      const m = mean(train);
      const sd = Math.sqrt(mean(train.map((v) => (v - m) ** 2)));
      const cells = [...hidden]
        .map((h) => h.split(':').map(Number) as [number, number])
        .filter(([, c]) => c === j);
      const truth = cells.map(([i]) => Number(test.rows[i]![j]));
      const guess = cells.map(([i]) => Number(filled.rows[i]![j]));
      const se = truth.map((t, k) => (t - guess[k]!) ** 2);
      const seMean = truth.map((t) => (t - m) ** 2);
      rows[name] = { model: Math.sqrt(mean(se)), mean: Math.sqrt(mean(seMean)), n: cells.length };
      zModel += se.reduce((s, v) => s + v / sd ** 2, 0);
      zMean += seMean.reduce((s, v) => s + v / sd ** 2, 0);
    }
    const ratio = Math.sqrt(zModel / zMean);
    console.log(
      'imputation RMSE (user units), model vs train mean:',
      JSON.stringify(rows),
      'standardised ratio',
      ratio,
    );
    // Measured 0.46 (body mass 391 g vs 961 g); grouping by species and sex gives about 0.42.
    expect(ratio).toBeLessThan(0.6);
    expect(rows.body_mass_g!.model).toBeLessThan(0.6 * rows.body_mass_g!.mean);
  });

  it('imputes reproducibly (same seed, same file) and with --samples 0', async () => {
    const inCsv = join(root, 'holes2.csv');
    writeFileSync(
      inCsv,
      'species,island,bill_length_mm,bill_depth_mm,flipper_length_mm,body_mass_g,sex,note\n' +
        'Gentoo,Biscoe,47.5,15,,,male,"a, b"\nAdelie,,NA,18.5,190,3700,,\n',
    );
    const files = [1, 2, 3].map((k) => join(root, `rep${k}.csv`));
    const r = await imputeCommand({ run: out, csv: inCsv, out: files[0]!, seed: 3, threads: 1 });
    await imputeCommand({ run: out, csv: inCsv, out: files[1]!, seed: 3, threads: 1 });
    await imputeCommand({ run: out, csv: inCsv, out: files[2]!, samples: 0, threads: 1 });
    expect(readFileSync(files[0]!, 'utf8')).toBe(readFileSync(files[1]!, 'utf8'));
    expect(r.imputed).toMatchObject({
      island: 1,
      bill_length_mm: 1,
      flipper_length_mm: 1,
      body_mass_g: 1,
      sex: 1,
    });
    for (const f of [files[0]!, files[2]!]) {
      const t = parseCsv(readFileSync(f, 'utf8'));
      expect(t.rows[0]![7]).toBe('a, b'); // a column the model does not know, copied through
      expect(t.rows[1]![7]).toBeNull();
      expect(['female', 'male']).toContain(t.rows[1]![6]);
      expect(['Biscoe', 'Dream', 'Torgersen']).toContain(t.rows[1]![1]);
    }
    // A male Gentoo is heavy (male Gentoos average 5485 g, all penguins 4202 g): measured 5048 g.
    expect(Number(parseCsv(readFileSync(files[0]!, 'utf8')).rows[0]![5])).toBeGreaterThan(4800);
  });

  it('rejects an impute CSV without the model columns', async () => {
    const bad = join(root, 'bad.csv');
    writeFileSync(bad, 'species,island\nAdelie,Dream\n');
    await expect(imputeCommand({ run: out, csv: bad, out: join(root, 'x.csv') })).rejects.toThrow(
      SchemaError,
    );
  });
});
