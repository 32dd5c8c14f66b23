import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mnistDefault } from '@vae/datasets';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTestRun } from '../render/test-helpers';
import { interpCommand, slerp } from './interp';
import { reconCommand } from './recon';

const run = makeTestRun();
const cond = makeTestRun({ conditional: true });
afterAll(() => {
  run.cleanup();
  cond.cleanup();
});

const norm = (v: ArrayLike<number>) => Math.hypot(...Array.from(v));

describe('slerp', () => {
  it('hits the endpoints and keeps the norm between equal-norm vectors', () => {
    const a = [1, 0, 0];
    const b = [0, 1, 0];
    expect(Array.from(slerp(a, b, 0).z)).toEqual([1, 0, 0]);
    const end = slerp(a, b, 1);
    expect(end.z[0]).toBeCloseTo(0, 6);
    expect(end.z[1]).toBeCloseTo(1, 6);
    const mid = slerp(a, b, 0.5);
    expect(mid.method).toBe('slerp');
    expect(norm(mid.z)).toBeCloseTo(1, 6);
    expect(mid.z[0]).toBeCloseTo(Math.SQRT1_2, 6);
  });

  it('falls back to lerp for parallel or zero vectors', () => {
    const par = slerp([1, 2], [2, 4], 0.5);
    expect(par.method).toBe('lerp');
    expect(Array.from(par.z)).toEqual([1.5, 3]);
    expect(slerp([0, 0], [1, 1], 0.25).method).toBe('lerp');
    expect(Array.from(slerp([1, 0], [-1, 0], 0.5).z)).toEqual([0, 0]);
  });
});

describe('interpCommand', () => {
  it('writes one row: original a, steps decoded points, original b', async () => {
    const png = join(run.dir, 'i.png');
    const r = await interpCommand({ run: run.dir, steps: 5, png, a: 2, b: 7, scale: 1 });
    expect(r).toMatchObject({ a: 2, b: 7, steps: 5, method: 'slerp', width: 1 + 7 * 29, height: 1 + 29 });
    const img = PNG.sync.read(readFileSync(png));
    expect([img.width, img.height]).toEqual([r.width, r.height]);
    const test = (await mnistDefault()).test;
    const at = (cell: number, x: number, y: number) =>
      img.data[((1 + y) * img.width + 1 + cell * 29 + x) * 4];
    for (const [cell, idx] of [
      [0, 2],
      [6, 7],
    ] as const)
      for (let p = 0; p < 784; p += 13)
        expect(at(cell, p % 28, Math.floor(p / 28))).toBe(test.data[idx * 784 + p]);
  });

  it('decodes the endpoints to the reconstructions of a and b, deterministically', async () => {
    const p1 = join(run.dir, 'p1.png');
    const p2 = join(run.dir, 'p2.png');
    await interpCommand({ run: run.dir, steps: 2, png: p1, scale: 1 });
    await interpCommand({ run: run.dir, steps: 2, png: p2, scale: 1 });
    expect(readFileSync(p1).equals(readFileSync(p2))).toBe(true);
    const rc = join(run.dir, 'rc.png');
    await reconCommand({ run: run.dir, n: 2, png: rc, scale: 1 });
    const strip = PNG.sync.read(readFileSync(p1));
    const grid = PNG.sync.read(readFileSync(rc));
    for (const cell of [0, 1])
      for (let y = 0; y < 28; y++) {
        const s = ((1 + y) * strip.width + 1 + (cell + 1) * 29) * 4;
        const g = ((1 + 29 + y) * grid.width + 1 + cell * 29) * 4;
        expect(strip.data.subarray(s, s + 28 * 4).equals(grid.data.subarray(g, g + 28 * 4))).toBe(true);
      }
    const r = await interpCommand({ run: cond.dir, steps: 3, png: join(cond.dir, 'c.png'), a: 0, b: 0 });
    expect(r).toMatchObject({ method: 'lerp', steps: 3 });
  });

  it('names bad options', async () => {
    const png = join(run.dir, 'x.png');
    await expect(interpCommand({ run: run.dir, steps: 1, png })).rejects.toThrow(
      '--steps must be an integer >= 2, got 1',
    );
    await expect(interpCommand({ run: run.dir, steps: 3, png, a: -1 })).rejects.toThrow(
      /--a must be an integer >= 0/,
    );
    await expect(interpCommand({ run: run.dir, steps: 3, png, b: 1e9 })).rejects.toThrow(
      /--b 1000000000 is past the last test example/,
    );
  });
});
