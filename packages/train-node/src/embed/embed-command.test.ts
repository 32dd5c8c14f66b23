import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mnistDefault, parseNpy } from '@vae/datasets';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { OrtBackend } from '../backend/ort-backend';
import { main } from '../cli/main';
import { readTable } from '../data/tabular-data';
import { npyBytes } from '../data/test-helpers';
import { encodeMeans, f32Tensor, rawImages } from '../render/model-images';
import { makeTestRun } from '../render/test-helpers';
import { loadRun } from '../run/run-dir';
import { trainCommand } from '../run/train-command';
import { embedCommand } from './embed-command';

const root = mkdtempSync(join(tmpdir(), 'vae-embed-'));
const at = (...p: string[]) => join(root, ...p);
const run = at('run');
const wide = makeTestRun({ latent: 5 });
const cond = makeTestRun({ conditional: true });

beforeAll(async () => {
  // The tiny run: mnist-default, 784-32-2, one epoch.
  await trainCommand({
    dataset: 'mnist-default',
    model: 'mlp',
    hidden: [32],
    latent: 2,
    epochs: 1,
    seed: 1,
    out: run,
    threads: 1,
    quiet: true,
  });
}, 60_000);
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  wide.cleanup();
  cond.cleanup();
});

const csvRows = (path: string) =>
  readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(','));

describe('vae embed', () => {
  it('writes means and scales with labels as CSV and NPY, the same numbers in both', async () => {
    const r = await embedCommand({ run, out: at('e.csv'), limit: 50, threads: 1 });
    expect(r).toMatchObject({ dataset: 'mnist-default', split: 'test', n: 50, latent: 2, labelled: true });
    expect(r.columns).toEqual(['index', 'label', 'class', 'mean_0', 'mean_1', 'scale_0', 'scale_1']);
    const rows = csvRows(at('e.csv'));
    expect(rows[0]).toEqual(r.columns);
    expect(rows).toHaveLength(51);
    const test = (await mnistDefault()).test;
    rows.slice(1).forEach((row, i) => {
      expect(row[0]).toBe(String(i));
      expect(row[1]).toBe(String(test.labels![i]));
      expect(row[2]).toBe(test.classNames![test.labels![i]!]);
      for (const v of row.slice(3)) expect(Number.isFinite(Number(v))).toBe(true);
      expect(Number(row[5])).toBeGreaterThan(0);
      expect(Number(row[6])).toBeGreaterThan(0);
    });

    // The encoder saw the grey levels (the expectation of the run's dynamic binarisation), not a draw.
    const backend = new OrtBackend({ threads: 1 });
    const grey = rawImages(test, [0, 1, 2], 255);
    const loc = await encodeMeans(backend, loadRun(run), { x: f32Tensor([3, 784], grey) });
    await backend.dispose();
    rows.slice(1, 4).forEach((row, i) => {
      expect(Number(row[3])).toBeCloseTo(loc[i * 2]!, 5);
      expect(Number(row[4])).toBeCloseTo(loc[i * 2 + 1]!, 5);
    });

    const n = await embedCommand({ run, out: at('e.npy'), limit: 50, threads: 1 });
    expect(n.columns).toEqual(['mean_0', 'mean_1', 'scale_0', 'scale_1', 'label']);
    const a = parseNpy(readFileSync(at('e.npy')));
    expect([a.dtype, a.shape]).toEqual(['float32', [50, 5]]);
    // The CSV's text reads back as the NPY's float32s, and the label column is the label.
    rows.slice(1).forEach((row, i) => {
      for (let j = 0; j < 4; j++) expect(Math.fround(Number(row[3 + j]))).toBe(a.data[i * 5 + j]);
      expect(a.data[i * 5 + 4]).toBe(test.labels![i]);
    });
  });

  it('draws the map as SVG (and PNG), coloured by class; PCA axes beyond two dimensions', async () => {
    const r = await embedCommand({ run, plot: at('map.svg'), split: 'val', limit: 200, threads: 1 });
    expect(r).toMatchObject({
      out: null,
      columns: null,
      split: 'val',
      n: 200,
      map: { axes: ['z_0', 'z_1'] },
    });
    const svg = readFileSync(at('map.svg'), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('>class</text>');
    expect(svg).toContain('>7</text>');
    const w = await embedCommand({ run: wide.dir, plot: at('wide.png'), out: at('wide.csv'), limit: 100 });
    expect(w.map!.axes).toEqual(['PC1', 'PC2']);
    expect(w.map!.explained[0]).toBeGreaterThanOrEqual(w.map!.explained[1]!);
    expect(w.map!.explained[0]! + w.map!.explained[1]!).toBeLessThanOrEqual(1 + 1e-6);
    expect(readFileSync(at('wide.png')).subarray(1, 4).toString()).toBe('PNG');
    expect(csvRows(at('wide.csv'))[0]).toHaveLength(3 + 2 * 5);
  });

  it('embeds --dataset files of the run shape, unlabelled, and refuses other shapes in one line', async () => {
    const pixels = new Uint8Array(30 * 28 * 28).map((_, i) => (i * 7) % 256);
    writeFileSync(at('mine.npy'), npyBytes('|u1', [30, 28, 28], pixels));
    const r = await embedCommand({ run, dataset: at('mine.npy'), split: 'train', out: at('mine.csv') });
    // 30 images: 3 held out as the test split, 2 of the other 27 (10%, rounded down) for validation.
    expect(r).toMatchObject({
      n: 25,
      labelled: false,
      columns: ['index', 'mean_0', 'mean_1', 'scale_0', 'scale_1'],
    });
    expect(csvRows(at('mine.csv'))).toHaveLength(26);

    writeFileSync(at('small.npy'), npyBytes('|u1', [30, 8, 8], new Uint8Array(30 * 64)));
    await expect(embedCommand({ run, dataset: at('small.npy'), out: at('x.csv') })).rejects.toThrow(
      `--dataset ${at('small.npy')} holds examples of shape [1, 8, 8] (64 values), but ${run} models [1, 28, 28] images: pass data of the run's shape`,
    );
    await expect(embedCommand({ run, dataset: 'penguins', out: at('x.csv') })).rejects.toThrow(
      `--dataset penguins is a table, but ${run} models [784] images: pass images of that shape`,
    );
    await expect(embedCommand({ run: cond.dir, dataset: at('mine.npy'), out: at('x.csv') })).rejects.toThrow(
      `${cond.dir} is conditional on 10 classes, and --dataset ${at('mine.npy')} has no labels: its encoder needs each example's class`,
    );
  });

  it('embeds a tabular run with the missing-value mask, labelled by its label column', async () => {
    const tab = at('tab');
    await trainCommand({
      dataset: 'penguins',
      model: 'tabular',
      epochs: 1,
      batch: 32,
      out: tab,
      threads: 1,
      quiet: true,
    });
    const r = await embedCommand({ run: tab, out: at('tab.csv'), plot: at('tab.svg'), split: 'train' });
    expect(r).toMatchObject({ latent: 4, labelled: true, map: { axes: ['PC1', 'PC2'] } });
    expect(csvRows(at('tab.csv'))[1]![2]).toMatch(/^(Adelie|Chinstrap|Gentoo)$/);
    // Another table with the run's columns: encoded by the run's encoder, split like vae train splits it.
    const t = await readTable('penguins');
    const text = (rows: readonly (readonly (string | null)[])[], header = t.header) =>
      `${[header, ...rows].map((r) => r.map((c) => c ?? '').join(',')).join('\n')}\n`;
    writeFileSync(at('some.csv'), text(t.rows.slice(0, 100)));
    const some = await embedCommand({ run: tab, dataset: at('some.csv'), out: at('some.npy') });
    expect(some).toMatchObject({
      n: 10,
      labelled: true,
      columns: [...r.columns!.slice(3).map(String), 'label'],
    });
    const drop = t.header.indexOf('island');
    writeFileSync(
      at('less.csv'),
      text(
        t.rows.slice(0, 20).map((row) => row.filter((_, j) => j !== drop)),
        t.header.filter((_, j) => j !== drop),
      ),
    );
    await expect(embedCommand({ run: tab, dataset: at('less.csv'), out: at('x.csv') })).rejects.toThrow(
      'no column "island"',
    );
    await expect(embedCommand({ run: tab, dataset: 'mnist-default', out: at('x.csv') })).rejects.toThrow(
      `--dataset mnist-default is not a table, but ${tab} models the columns of penguins: pass a .csv with those columns`,
    );
  }, 30_000);

  it('refuses bad flags and out paths with one line each, before reading any data', async () => {
    writeFileSync(at('file'), 'not a folder');
    mkdirSync(at('dir.svg'));
    const cases: [string[], string][] = [
      [['--run', run], 'vae embed needs --out FILE.csv|.npy, --plot FILE.svg|.png, or both'],
      [['--run', run, '--out', at('e.txt')], `--out must end in .csv or .npy, got "${at('e.txt')}"`],
      [['--run', run, '--plot', at('m.jpg')], `--plot must end in .svg or .png, got "${at('m.jpg')}"`],
      [['--run', run, '--out', at('e.csv'), '--split', 'dev'], '--split must be test, val or train, got dev'],
      [['--run', run, '--out', at('e.csv'), '--limit', '0'], '--limit must be a positive integer, got 0'],
      [['--run', at('nope'), '--out', at('e.csv')], `${at('nope')} is not a run folder`],
      [
        ['--run', run, '--out', at('file', 'e.csv')],
        `--out ${at('file', 'e.csv')}: ${at('file')} is a file, not a folder`,
      ],
      [
        ['--run', run, '--plot', at('dir.svg')],
        `--plot ${at('dir.svg')} is a folder: give a file path inside it`,
      ],
    ];
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const codes: number[] = [];
    for (const [args] of cases) codes.push(await main(['embed', ...args]));
    const lines = err.mock.calls.map((c) => String(c[0]));
    err.mockRestore();
    out.mockRestore();
    expect(codes).toEqual(cases.map(() => 1));
    expect(lines).toHaveLength(cases.length);
    lines.forEach((line, i) => {
      expect(line).toMatch(/^vae: [^\n]+\n$/);
      expect(line).not.toContain('internal error');
      expect(line).toContain(cases[i]![1]);
    });
  });
});
