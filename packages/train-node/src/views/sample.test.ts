import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../render/errors';
import { makeTestRun } from '../render/test-helpers';
import { RunError } from '../run/run-dir';
import { sampleCommand } from './sample';

const runs: { cleanup: () => void }[] = [];
const fresh = (opts?: Parameters<typeof makeTestRun>[0]) => {
  const r = makeTestRun(opts);
  runs.push(r);
  return r.dir;
};
afterAll(() => {
  for (const r of runs) r.cleanup();
});

const read = (p: string) => PNG.sync.read(readFileSync(p));

describe('sampleCommand', () => {
  it('writes an n-image grid, the same for the same seed and different for another', async () => {
    const dir = fresh();
    const at = (name: string) => join(dir, 'out', name);
    const r = await sampleCommand({ run: dir, n: 6, seed: 1, png: at('a.png') });
    expect(r).toMatchObject({
      images: 6,
      rows: 2,
      cols: 3,
      width: 1 + 3 * 29,
      height: 1 + 2 * 29,
      rowLabels: null,
    });
    await sampleCommand({ run: dir, n: 6, seed: 1, png: at('b.png') });
    await sampleCommand({ run: dir, n: 6, seed: 2, png: at('c.png') });
    const [a, b, c] = ['a.png', 'b.png', 'c.png'].map((f) => read(at(f)));
    expect([a!.width, a!.height]).toEqual([r.width, r.height]);
    expect(Buffer.compare(a!.data, b!.data)).toBe(0);
    expect(Buffer.compare(a!.data, c!.data)).not.toBe(0);
  });

  it('lower temperature moves samples toward the decoded prior mean', async () => {
    const dir = fresh();
    const hot = await sampleCommand({ run: dir, n: 4, seed: 3, png: join(dir, 'hot.png') });
    const cold = await sampleCommand({
      run: dir,
      n: 4,
      seed: 3,
      png: join(dir, 'cold.png'),
      temperature: 0.01,
    });
    expect(cold.width).toBe(hot.width);
    // Largest pixel difference between cell 0 and any other cell of a 2x2 grid of 28x28 images.
    const spread = (file: string) => {
      const img = read(join(dir, file));
      const px = (i: number, x: number, y: number) =>
        img.data[((1 + Math.floor(i / 2) * 29 + y) * img.width + 1 + (i % 2) * 29 + x) * 4]!;
      let worst = 0;
      for (let i = 1; i < 4; i++)
        for (let y = 0; y < 28; y++)
          for (let x = 0; x < 28; x++) worst = Math.max(worst, Math.abs(px(i, x, y) - px(0, x, y)));
      return worst;
    };
    // At t = 0.01 every sample decodes (almost) the same z = 0: the four cells agree.
    expect(spread('cold.png')).toBeLessThanOrEqual(2);
    expect(spread('hot.png')).toBeGreaterThan(2);
  });

  it('gives a conditional run one row per class', async () => {
    const dir = fresh({ conditional: true });
    const r = await sampleCommand({ run: dir, n: 3, seed: 0, png: join(dir, 's.png') });
    expect(r).toMatchObject({ images: 30, rows: 10, cols: 3 });
    expect(r.rowLabels).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(read(join(dir, 's.png')).height).toBe(1 + 10 * 29);
  });

  it('samples a mixture prior with its own sampler, and refuses a temperature there', async () => {
    const dir = fresh({ prior: { type: 'mog', components: 3 } });
    const r = await sampleCommand({ run: dir, n: 4, seed: 0, png: join(dir, 'm.png') });
    expect(r.images).toBe(4);
    await expect(
      sampleCommand({ run: dir, n: 4, seed: 0, png: join(dir, 'm.png'), temperature: 0.5 }),
    ).rejects.toThrow(/standard-normal prior only; .* has a mog prior/);
  });

  it('names bad options and missing runs', async () => {
    const dir = fresh();
    await expect(sampleCommand({ run: dir, n: 0, seed: 0, png: 'x.png' })).rejects.toThrow(UsageError);
    await expect(sampleCommand({ run: dir, n: 2.5, seed: 0, png: 'x.png' })).rejects.toThrow(
      '--n must be a positive integer, got 2.5',
    );
    await expect(sampleCommand({ run: dir, n: 2, seed: -1, png: 'x.png' })).rejects.toThrow(/--seed/);
    await expect(sampleCommand({ run: dir, n: 2, seed: 0, png: 'x.png', temperature: 0 })).rejects.toThrow(
      /--temperature must be a positive number/,
    );
    await expect(sampleCommand({ run: join(dir, 'nope'), n: 2, seed: 0, png: 'x.png' })).rejects.toThrow(
      RunError,
    );
  });
});
