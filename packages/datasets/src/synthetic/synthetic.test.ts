import { describe, expect, it } from 'vitest';
import { DatasetArgumentError } from '../errors';
import { gaussianMixture, spirals, twoMoons } from './synthetic';

describe('synthetic 2-D datasets', () => {
  it.each([
    ['gaussianMixture', gaussianMixture],
    ['twoMoons', twoMoons],
    ['spirals', spirals],
  ] as const)('%s is determined by its key', (_, make) => {
    const a = make({ count: 500, key: { seed: 1 } });
    expect(a.exampleShape).toEqual([2]);
    expect(a.count).toBe(500);
    expect([...a.data]).toEqual([...make({ count: 500, key: { seed: 1 } }).data]);
    expect([...a.data]).not.toEqual([...make({ count: 500, key: { seed: 2 } }).data]);
    expect(a.data.every(Number.isFinite)).toBe(true);
  });

  it('mixture components are balanced and centred on the circle', () => {
    const ds = gaussianMixture({ count: 8000, key: { seed: 3 }, components: 4, radius: 2, std: 0.1 });
    const sums = Array.from({ length: 4 }, () => [0, 0, 0]);
    for (let i = 0; i < ds.count; i++) {
      const s = sums[ds.labels![i]!]!;
      s[0]! += ds.data[2 * i]!;
      s[1]! += ds.data[2 * i + 1]!;
      s[2]! += 1;
    }
    sums.forEach(([x, y, n], k) => {
      expect(n).toBe(2000);
      expect(x! / n!).toBeCloseTo(2 * Math.cos((k * Math.PI) / 2), 1);
      expect(y! / n!).toBeCloseTo(2 * Math.sin((k * Math.PI) / 2), 1);
    });
  });

  it('moons without noise lie on their unit half circles', () => {
    const ds = twoMoons({ count: 200, key: { seed: 0 }, noise: 0 });
    for (let i = 0; i < ds.count; i++) {
      const [x, y] = [ds.data[2 * i]!, ds.data[2 * i + 1]!];
      const [cx, cy] = ds.labels![i] === 0 ? [0, 0] : [1, 0.5];
      expect(Math.hypot(x - cx, y - cy)).toBeCloseTo(1, 5);
    }
  });

  it('spirals stay within the unit disc without noise and rejects bad options', () => {
    const ds = spirals({ count: 300, key: { seed: 5 }, arms: 3, noise: 0 });
    for (let i = 0; i < ds.count; i++)
      expect(Math.hypot(ds.data[2 * i]!, ds.data[2 * i + 1]!)).toBeLessThanOrEqual(1.0000001);
    expect(new Set(ds.labels).size).toBe(3);
    expect(() => spirals({ count: 0, key: { seed: 0 } })).toThrow(DatasetArgumentError);
    expect(() => gaussianMixture({ count: 5, key: { seed: 0 }, components: 0 })).toThrow(
      DatasetArgumentError,
    );
  });
});
