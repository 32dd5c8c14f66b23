import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TrainConfigError } from '@vae/core';
import { DatasetError, FileAccessError, penguins } from '@vae/datasets';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { main } from '../cli/main';
import { type RunConfig, RunError, readConfig } from '../run/run-dir';
import { type TrainCommandOptions, trainCommand } from '../run/train-command';
import { inferUsableSchema, loadTabularData, prepareTabular, splitSizes } from './tabular-data';

const root = mkdtempSync(join(tmpdir(), 'vae-tabular-data-'));
let runs = 0;
afterAll(() => rmSync(root, { recursive: true, force: true }));
const base = (dataset: string, extra: Partial<TrainCommandOptions> = {}): TrainCommandOptions => ({
  dataset,
  model: 'tabular',
  latent: 2,
  hidden: [8],
  epochs: 1,
  batch: 32,
  lr: 1e-3,
  seed: 1,
  out: join(root, `run${runs++}`),
  quiet: true,
  threads: 1,
  ...extra,
});
const csv = (name: string, text: string) => {
  const p = join(root, name);
  writeFileSync(p, text);
  return p;
};
const penguinsCsv = () => {
  const t = penguins();
  return [t.header.join(','), ...t.rows.map((r) => r.map((c) => c ?? 'NA').join(','))].join('\n');
};

describe('tabular splits and encoder', () => {
  it('splits 80/10/10 by a seeded permutation, disjoint and reproducible', async () => {
    expect(splitSizes(344)).toEqual({ train: 276, val: 34, test: 34 });
    expect(splitSizes(100, 0)).toEqual({ train: 90, val: 0, test: 10 });
    expect(() => splitSizes(10, 9)).toThrow(TrainConfigError);
    const a = await prepareTabular('penguins', { seed: 5, batchSize: 32 });
    const b = await prepareTabular('penguins', { seed: 5, batchSize: 32 });
    const c = await prepareTabular('penguins', { seed: 6, batchSize: 32 });
    expect(a.tables.test.lines).toEqual(b.tables.test.lines);
    expect(a.tables.test.lines).not.toEqual(c.tables.test.lines);
    expect(a.data.train.data).toEqual(b.data.train.data);
    const lines = [a.tables.train, a.tables.val, a.tables.test].flatMap((t) => t.lines);
    expect(new Set(lines).size).toBe(344);
    // Species stays a model column and labels the rows (latent-map colours).
    expect(a.state.schema.columns.map((col) => col.name)).toContain('species');
    expect(a.data.classNames).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);
    expect(a.data.test.labels?.length).toBe(34);
  });

  it('fits standardisation on the training rows only', async () => {
    const t = await prepareTabular('penguins', { seed: 1, batchSize: 32 });
    const j = t.tables.train.header.indexOf('flipper_length_mm');
    const values = t.tables.train.rows
      .map((r) => r[j])
      .filter((v) => v !== null)
      .map(Number);
    const m = values.reduce((s, v) => s + v, 0) / values.length;
    const enc = t.state.encodings.find((e) => e.column.name === 'flipper_length_mm')!;
    expect(enc.mean).toBeCloseTo(m, 9);
    // The whole table's mean differs: the test rows did not leak into the statistics.
    const all = penguins()
      .rows.map((r) => r[j])
      .filter((v) => v !== null)
      .map(Number);
    expect(Math.abs(all.reduce((s, v) => s + v, 0) / all.length - m)).toBeGreaterThan(1e-6);
  });

  it('leaves out columns with no values or free text, and rejects a table with none left', () => {
    const names = Array.from({ length: 150 }, (_, i) => `id${i}`);
    const rows = names.map((id, i) => `${id},,${i % 7},${i % 2 ? 'a' : 'b'}`).join('\n');
    const t = { source: 't.csv', header: ['id', 'empty', 'x', 'flag'], rows: [], lines: [] };
    const table = {
      ...t,
      rows: rows.split('\n').map((r) => r.split(',').map((c) => c || null)),
      lines: names.map((_, i) => i + 2),
    };
    const { schema, dropped } = inferUsableSchema(table);
    expect(schema.columns.map((c) => [c.name, c.kind])).toEqual([
      ['x', 'continuous'],
      ['flag', 'binary'],
    ]);
    expect(dropped.map((d) => d.name)).toEqual(['id', 'empty']);
    expect(() => inferUsableSchema(table, ['x', 'flag'])).toThrow(/no usable columns/);
  });
});

describe('vae train --dataset CSV errors', () => {
  it('names a CSV that does not exist', async () => {
    const p = join(root, 'nope.csv');
    await expect(trainCommand(base(p))).rejects.toThrow(FileAccessError);
    await expect(trainCommand(base(p))).rejects.toThrow(/nope\.csv: file not found/);
  });

  it('rejects too few rows, no rows and no usable columns', async () => {
    const few = csv('few.csv', `a,b\n${Array.from({ length: 20 }, (_, i) => `${i},${i % 3}`).join('\n')}\n`);
    await expect(trainCommand(base(few))).rejects.toThrow(TrainConfigError);
    await expect(trainCommand(base(few))).rejects.toThrow(/16 training rows .* fewer than one batch of 32/);
    const none = csv('none.csv', 'a,b\n');
    await expect(trainCommand(base(none))).rejects.toThrow(/no data rows/);
    const empty = csv('empty-cols.csv', `a,b\n${Array.from({ length: 50 }, () => 'NA,').join('\n')}\n`);
    await expect(trainCommand(base(empty))).rejects.toThrow(DatasetError);
    await expect(trainCommand(base(empty))).rejects.toThrow(/no usable columns/);
  });

  it('pairs tabular data with the tabular model only', async () => {
    await expect(trainCommand(base('penguins', { model: 'mlp' }))).rejects.toThrow(/use --model tabular/);
    await expect(trainCommand(base('mnist-default'))).rejects.toThrow(
      /--model tabular takes a .csv path or penguins/,
    );
    await expect(trainCommand(base('penguins', { conditional: true }))).rejects.toThrow(/--conditional/);
  });

  it('catches a CSV that changed since training', async () => {
    const p = csv('changing.csv', penguinsCsv());
    const t = await prepareTabular(p, { seed: 1, batchSize: 32 });
    expect(t.state.source).toBe(p);
    const config = { recipe: { model: 'tabular' }, extra: { tabular: t.state } } as unknown as RunConfig;
    expect((await loadTabularData(config)).data.train.data).toEqual(t.data.train.data);
    writeFileSync(p, penguinsCsv().replace('39.1', '39.2'));
    await expect(loadTabularData(config)).rejects.toThrow(RunError);
    await expect(loadTabularData(config)).rejects.toThrow(/changed since this run was trained/);
  });
});

describe('vae train CLI on a CSV path', () => {
  it('defaults to the tabular model (latent 4, hidden 64,64), records the split, resumes', async () => {
    const p = csv('penguins.csv', penguinsCsv());
    const out = join(root, 'cli-run');
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const code = await main([
      'train',
      '--dataset',
      p,
      '--epochs',
      '1',
      '--batch',
      '64',
      '--val',
      '20',
      '--out',
      out,
      '--threads',
      '1',
      '--quiet',
    ]);
    write.mockRestore();
    expect(code).toBe(0);
    const config = readConfig(out);
    expect(config.recipe).toMatchObject({ model: 'tabular', latent: 4, hidden: [64, 64], valCount: 20 });
    expect((config.extra?.tabular as { split?: unknown } | undefined)?.split).toEqual({
      seed: 1,
      train: 290,
      val: 20,
      test: 34,
    });
    expect(config.data).toMatchObject({ image: null, binarize: false, scale: 1 });
    expect(existsSync(join(out, 'best.safetensors'))).toBe(true);
    // --resume rebuilds the same data from the saved state and trains on (recipe flags would have
    // to equal the saved ones, so only run-time flags are given).
    const more = await trainCommand({ dataset: p, out, epochs: 2, resume: true, quiet: true, threads: 1 });
    expect(more.progress.epoch).toBe(2);
  });
});
