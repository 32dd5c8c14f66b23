import { describe, expect, it } from 'vitest';
import { createDataset } from '../dataset';
import { dataKey } from '../random';
import { Feeder } from './feeder';

const n = 40;
const size = 500;
// Pixel value k in 0..255 on a sweep, so every intensity appears.
const pixels = Uint8Array.from({ length: n * size }, (_, i) => (i * 37) % 256);
const data = createDataset({
  name: 'sweep',
  dtype: 'uint8',
  data: pixels,
  exampleShape: [size],
  labels: Uint8Array.from({ length: n }, (_, i) => i % 3),
});
const feeder = new Feeder(data, {
  shape: [size],
  binarize: true,
  scale: 255,
  conditionSize: 3,
  maskColumns: null,
  key: dataKey(9),
});
const order = Uint32Array.from({ length: n }, (_, i) => (i * 7) % n);

describe('Feeder', () => {
  it('binarises with P(x = 1) = pixel / 255 (within sampling error)', () => {
    const sums = new Float64Array(256);
    const counts = new Float64Array(256);
    for (let epoch = 0; epoch < 40; epoch++) {
      const { x } = feeder.fill(order, 0, 4, 10, epoch);
      const v = x!.data as Float32Array;
      for (let r = 0; r < n; r++)
        for (let j = 0; j < size; j++) {
          const p = pixels[order[r]! * size + j]!;
          sums[p]! += v[r * size + j]!;
          counts[p]! += 1;
        }
    }
    expect(sums[0]).toBe(0);
    expect(sums[255]).toBe(counts[255]);
    for (const k of [32, 100, 128, 200]) {
      const p = k / 255;
      const se = Math.sqrt((p * (1 - p)) / counts[k]!);
      expect(Math.abs(sums[k]! / counts[k]! - p)).toBeLessThan(5 * se);
    }
  });

  it('draws depend on (epoch, example), not on batch layout', () => {
    const a = feeder.fill(order, 0, 4, 10, 3).x!.data as Float32Array;
    const b = feeder.fill(order, 10, 3, 10, 3).x!.data as Float32Array; // rows 10.. in another grouping
    expect(Array.from(b.subarray(0, 30 * size))).toEqual(Array.from(a.subarray(10 * size)));
    const other = feeder.fill(order, 0, 4, 10, 4).x!.data as Float32Array;
    expect(Array.from(other)).not.toEqual(Array.from(a));
  });

  it('one-hot conditions come from labels, shaped [steps, batch, classes]', () => {
    const { c } = feeder.fill(order, 0, 2, 5, 0);
    expect(c!.shape).toEqual([2, 5, 3]);
    const v = c!.data as Float32Array;
    for (let r = 0; r < 10; r++) expect(v[r * 3 + (order[r]! % 3)]).toBe(1);
    expect(v.reduce((s, x) => s + x, 0)).toBe(10);
  });

  it('names the mismatch when the model shape does not fit the examples', () => {
    expect(
      () =>
        new Feeder(data, {
          shape: [784],
          binarize: false,
          scale: 1,
          conditionSize: 0,
          maskColumns: null,
          key: dataKey(1),
        }),
    ).toThrow(/500 values .* takes \[784\]/);
  });
});
