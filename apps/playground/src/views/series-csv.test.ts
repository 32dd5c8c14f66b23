import { describe, expect, it } from 'vitest';
import { averageOverWindows, cutWindows, readSeriesCsv, windowStarts } from './series-csv';

const series = { columns: ['a', 'b'], window: 3, stride: 2, mean: [0, 0], std: [1, 1] };

describe('series-csv', () => {
  it('reads the named columns in the bundle order, ignoring others', () => {
    const t = readSeriesCsv('t,b,a\n0,10,1\n1,11,2\n2,12,3\n', ['a', 'b']);
    expect(t.steps).toBe(3);
    expect(Array.from(t.values[0]!)).toEqual([1, 2, 3]);
    expect(Array.from(t.values[1]!)).toEqual([10, 11, 12]);
  });

  it('names a missing column or a bad cell (InferError input)', () => {
    expect(() => readSeriesCsv('a\n1\n', ['a', 'b'])).toThrow(/no column b/);
    expect(() => readSeriesCsv('a,b\n1,x\n', ['a', 'b'])).toThrow(/row 2, column b/);
  });

  it('cuts [n, C, W] windows at stride and averages per step over covering windows', () => {
    expect(windowStarts(7, 3, 2)).toEqual([0, 2, 4]);
    const t = readSeriesCsv('a,b\n0,0\n1,10\n2,20\n3,30\n4,40\n5,50\n6,60\n', ['a', 'b']);
    const { starts, windows } = cutWindows(t, series);
    expect(starts).toEqual([0, 2, 4]);
    expect(Array.from(windows.subarray(6, 12))).toEqual([2, 3, 4, 20, 30, 40]);
    const avg = averageOverWindows([1, 1, 1, 3, 3, 3, 5, 5, 5], starts, 3, 8);
    expect(Array.from(avg.subarray(0, 7))).toEqual([1, 1, 2, 3, 4, 5, 5]);
    expect(avg[7]).toBeNaN();
    expect(() => cutWindows(readSeriesCsv('a,b\n1,2\n', ['a', 'b']), series)).toThrow(
      /fewer than one window/,
    );
  });
});
