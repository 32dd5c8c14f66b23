import { describe, expect, it } from 'vitest';
import { createDataset } from '../dataset';
import { materialize } from './materialize';
import { computeStandardization, standardize, unstandardize } from './standardize';
import { scaleToUnit } from './transforms';

function table(rows: number[][], mask?: number[][]) {
  return createDataset({
    name: 't',
    dtype: 'float32',
    data: Float32Array.from(rows.flat()),
    exampleShape: [rows[0]!.length],
    mask: mask ? Uint8Array.from(mask.flat()) : undefined,
  });
}

describe('standardisation', () => {
  const train = table([
    [1, 10, 5],
    [3, 20, 5],
    [5, 30, 5],
  ]);
  const test = table([[100, -100, 5]]);

  it('uses training statistics only and maps train to mean 0, std 1', () => {
    const stats = computeStandardization(train);
    expect([...stats.mean]).toEqual([3, 20, 5]);
    expect(stats.std[0]).toBeCloseTo(Math.sqrt(8 / 3), 6);
    expect(stats.std[2]).toBe(1); // constant feature: std replaced by 1
    const z = materialize(train, [standardize(stats)]).data;
    expect(z[0]! + z[3]! + z[6]!).toBeCloseTo(0, 6);
    // The test split is transformed with the training statistics, not its own.
    const zt = materialize(test, [standardize(stats)]).data;
    expect(zt[0]).toBeCloseTo((100 - 3) / stats.std[0]!, 4);
    expect(zt[2]).toBe(0);
    const back = materialize(materialize(test, [standardize(stats)]), [unstandardize(stats)]).data;
    expect(back[1]).toBeCloseTo(-100, 3);
  });

  it('supports global statistics, preceding transforms, and ignores masked values', () => {
    const raw = createDataset({
      name: 'px',
      dtype: 'uint8',
      data: Uint8Array.of(0, 255, 0, 255),
      exampleShape: [2],
    });
    const g = computeStandardization(raw, { global: true, before: [scaleToUnit()] });
    expect([...g.mean]).toEqual([0.5]);
    expect([...g.std]).toEqual([0.5]);
    const masked = table(
      [
        [1, 0],
        [3, 1000],
      ],
      [
        [1, 0],
        [1, 1],
      ],
    );
    expect([...computeStandardization(masked).mean]).toEqual([2, 1000]);
  });
});
