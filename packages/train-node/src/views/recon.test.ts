import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mnistDefault } from '@vae/datasets';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTestRun } from '../render/test-helpers';
import { reconCommand } from './recon';

const run = makeTestRun();
const cond = makeTestRun({ conditional: true });
afterAll(() => {
  run.cleanup();
  cond.cleanup();
});

describe('reconCommand', () => {
  it('puts originals (grey levels) over reconstructions, short rows padded', async () => {
    const png = join(run.dir, 'recon.png');
    const r = await reconCommand({ run: run.dir, n: 5, png, cols: 3, scale: 1 });
    expect(r).toMatchObject({ split: 'test', n: 5, rows: 4, cols: 3, width: 1 + 3 * 29, height: 1 + 4 * 29 });
    const img = PNG.sync.read(readFileSync(png));
    expect([img.width, img.height]).toEqual([r.width, r.height]);
    // Example 4 is the second original of grid row 2: compare every pixel with the dataset.
    const test = (await mnistDefault()).test;
    const x0 = 1 + 1 * 29;
    const y0 = 1 + 2 * 29;
    for (let y = 0; y < 28; y++)
      for (let x = 0; x < 28; x++) {
        const want = test.data[4 * 784 + y * 28 + x]!;
        expect(img.data[((y0 + y) * img.width + x0 + x) * 4]).toBe(want);
      }
    // The padding cell after example 4 is background grey.
    expect(img.data[((y0 + 5) * img.width + 1 + 2 * 29 + 5) * 4]).toBe(128);
  });

  it('is deterministic and works for conditional runs and other splits', async () => {
    const a = join(run.dir, 'a.png');
    const b = join(run.dir, 'b.png');
    await reconCommand({ run: run.dir, n: 4, png: a });
    await reconCommand({ run: run.dir, n: 4, png: b });
    expect(readFileSync(a).equals(readFileSync(b))).toBe(true);
    const r = await reconCommand({ run: cond.dir, n: 3, png: join(cond.dir, 'c.png'), split: 'val' });
    expect(r).toMatchObject({ split: 'val', rows: 2, cols: 3 });
  });

  it('fits the grid to n (no empty cells for 16) and enlarges it to at least 512 px by default', async () => {
    const png = join(run.dir, 'sixteen.png');
    const r = await reconCommand({ run: run.dir, n: 16, png });
    // 8 columns x 2 pairs of rows: 233 x 117 px at 1:1, 3 px per pixel.
    expect(r).toMatchObject({ rows: 4, cols: 8, scale: 3, width: 3 * 233, height: 3 * 117 });
    const img = PNG.sync.read(readFileSync(png));
    expect([img.width, img.height]).toEqual([r.width, r.height]);
    // Each source pixel is a 3x3 block: the first example's pixel (y=14, x=10), corners of its block.
    const want = (await mnistDefault()).test.data[14 * 28 + 10]!;
    for (const d of [0, 2])
      expect(img.data[((3 * (1 + 14) + d) * img.width + 3 * (1 + 10) + d) * 4]).toBe(want);
  });

  it('names bad options', async () => {
    const png = join(run.dir, 'x.png');
    await expect(reconCommand({ run: run.dir, n: -1, png })).rejects.toThrow(
      '--n must be a positive integer, got -1',
    );
    await expect(reconCommand({ run: run.dir, n: 2, png, split: 'dev' as 'test' })).rejects.toThrow(
      '--split must be test, val or train, got dev',
    );
    await expect(reconCommand({ run: run.dir, n: 101, png, split: 'val' })).rejects.toThrow(
      '--n 101 is more than the 100 examples of the val split',
    );
  });
});
