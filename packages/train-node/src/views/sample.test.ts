import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { key } from '@vae/core';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeMeanReference, priorDrawReference } from '../../../core/src/testing/prior-draw';
import { UsageError } from '../render/errors';
import { makeTestRun } from '../render/test-helpers';
import { loadRun, RunError } from '../run/run-dir';
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
    // 88 x 59 px at 1:1; by default enlarged until the longer side is at least 512 px.
    expect(r).toMatchObject({
      images: 6,
      rows: 2,
      cols: 3,
      scale: 6,
      width: 6 * (1 + 3 * 29),
      height: 6 * (1 + 2 * 29),
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
    const hot = await sampleCommand({ run: dir, n: 4, seed: 3, png: join(dir, 'hot.png'), scale: 1 });
    const cold = await sampleCommand({
      run: dir,
      n: 4,
      seed: 3,
      png: join(dir, 'cold.png'),
      temperature: 0.01,
      scale: 1,
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
    expect(r).toMatchObject({ images: 30, rows: 10, cols: 3, scale: 2 });
    expect(r.rowLabels).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(read(join(dir, 's.png')).height).toBe(2 * (1 + 10 * 29));
  });

  it('samples a mixture prior with its own sampler, and refuses a temperature there', async () => {
    const dir = fresh({ prior: { type: 'mog', components: 3 } });
    const r = await sampleCommand({ run: dir, n: 4, seed: 0, png: join(dir, 'm.png') });
    expect(r.images).toBe(4);
    await expect(
      sampleCommand({ run: dir, n: 4, seed: 0, png: join(dir, 'm.png'), temperature: 0.5 }),
    ).rejects.toThrow(/standard-normal prior only; .* has a mog prior/);
  });

  it.each([
    ['standard normal', undefined],
    ['MoG', { type: 'mog' as const, components: 3 }],
  ])(
    'draws the z of @vae/infer-web sample(n, seed) (%s prior): the same grid in CLI and browser',
    async (_, prior) => {
      // Both sides are checked against one oracle (core's interpreter, the shared key layout); infer-web's
      // probability.test.ts checks sample(n, seed).z against it exactly.
      const dir = fresh({ prior, seed: 4 });
      const png = join(dir, 'grid.png');
      await sampleCommand({ run: dir, n: 5, seed: 7, png, cols: 5, scale: 1 });
      const run = loadRun(dir);
      const z = priorDrawReference(run.vae, run.params, 5, key(7));
      const mean = decodeMeanReference(run.vae, run.params, z);
      const img = read(png);
      let worst = 0;
      for (let i = 0; i < 5; i++)
        for (let p = 0; p < 784; p++) {
          const want = Math.round(Math.min(Math.max(mean[i * 784 + p]!, 0), 1) * 255);
          const got = img.data[((1 + Math.floor(p / 28)) * img.width + 1 + i * 29 + (p % 28)) * 4]!;
          worst = Math.max(worst, Math.abs(got - want));
        }
      expect(worst).toBeLessThanOrEqual(1); // float rounding can move a pixel across a level
      // Another seed's z would give another picture.
      const other = decodeMeanReference(
        run.vae,
        run.params,
        priorDrawReference(run.vae, run.params, 5, key(8)),
      );
      expect(other.some((v, j) => Math.abs(v - mean[j]!) > 0.05)).toBe(true);
    },
  );

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
    for (const scale of [0, 17, 1.5])
      await expect(sampleCommand({ run: dir, n: 2, seed: 0, png: 'x.png', scale })).rejects.toThrow(
        `--scale must be an integer from 1 to 16 (pixels per image pixel), got ${scale}`,
      );
    await expect(sampleCommand({ run: join(dir, 'nope'), n: 2, seed: 0, png: 'x.png' })).rejects.toThrow(
      RunError,
    );
  });
});
