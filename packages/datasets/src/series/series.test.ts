import { describe, expect, it } from 'vitest';
import { DatasetArgumentError, SchemaError } from '../errors';
import { parseCsv } from '../tabular/csv';
import { seriesColumns } from './series-columns';
import { seriesWindows, windowStarts } from './series-windows';
import { stepScores } from './step-scores';

/** A CSV with a date column and two numeric columns, t and 10t + 1, for t = 0..n-1. */
function ramp(n: number): string {
  const lines = ['date,a,b'];
  for (let t = 0; t < n; t++) lines.push(`2020-01-${t + 1},${t},${10 * t + 1}`);
  return lines.join('\n');
}

describe('seriesColumns', () => {
  it('reads the chosen columns row-major in time order', () => {
    const s = seriesColumns(parseCsv(ramp(4)), ['b', 'a']);
    expect(s.steps).toBe(4);
    expect([...s.values]).toEqual([1, 0, 11, 1, 21, 2, 31, 3]);
    expect(s.filled).toEqual([0, 0]);
  });

  it('names the column and line of a missing cell, and interpolates when asked', () => {
    const t = parseCsv('a\n1\nNA\n4');
    expect(() => seriesColumns(t, ['a'])).toThrow(SchemaError);
    expect(() => seriesColumns(t, ['a'])).toThrow(/column "a" is missing a value at line 3/);
    const s = seriesColumns(parseCsv('a\n1\nNA\nNA\n4\nNA'), ['a'], 'interpolate');
    expect([...s.values]).toEqual([1, 2, 3, 4, 4]);
    expect(s.filled).toEqual([3]);
    const lead = seriesColumns(parseCsv('a\nNA\n2\n6'), ['a'], 'interpolate');
    expect([...lead.values]).toEqual([2, 2, 6]);
  });

  it('refuses unknown and non-numeric columns with one line naming them', () => {
    const t = parseCsv(ramp(3));
    expect(() => seriesColumns(t, ['c'])).toThrow(/no column "c"; the columns are date, a, b/);
    expect(() => seriesColumns(t, ['date'])).toThrow(
      /column "date" has the non-number "2020-01-1" at line 2/,
    );
    expect(() => seriesColumns(t, [])).toThrow(SchemaError);
    expect(() => seriesColumns(parseCsv('a,b\nNA,1\nNA,2'), ['a'], 'interpolate')).toThrow(/no values/);
  });
});

describe('seriesWindows', () => {
  const series = seriesColumns(parseCsv(ramp(100)), ['a', 'b']);

  it('splits in time order with no window crossing a period boundary', () => {
    const w = seriesWindows(series, { window: 8, stride: 4, testFraction: 0.2, valFraction: 0.1 });
    expect([w.train.start, w.train.end, w.val!.start, w.val!.end, w.test!.start, w.test!.end]).toEqual([
      0, 70, 70, 80, 80, 100,
    ]);
    for (const p of [w.train, w.val!, w.test!]) {
      for (const s of p.starts) {
        expect(s).toBeGreaterThanOrEqual(p.start);
        expect(s + 8).toBeLessThanOrEqual(p.end);
      }
      // Every step of the period is covered, the last window ending at the period's end.
      expect(p.starts[p.starts.length - 1]! + 8).toBe(p.end);
    }
    expect([...w.val!.starts]).toEqual([70, 72]);
  });

  it('standardises with the training period only, and lays windows out as [C, W]', () => {
    const w = seriesWindows(series, { window: 5, testFraction: 0.2, valFraction: 0.1 });
    // a over t = 0..69: mean 34.5, population std sqrt((70^2 - 1) / 12).
    const sd = Math.sqrt((70 * 70 - 1) / 12);
    expect(w.mean[0]).toBeCloseTo(34.5, 12);
    expect(w.std[0]).toBeCloseTo(sd, 12);
    expect(w.mean[1]).toBeCloseTo(345 + 1, 12);
    expect(w.std[1]).toBeCloseTo(10 * sd, 10);
    // Test window starting at step 80: channel 0 is (80..84 - 34.5) / sd, channel 1 the same.
    const first = w.test!.windows.get(0).x;
    expect(w.test!.starts[0]).toBe(80);
    expect(w.test!.windows.exampleShape).toEqual([2, 5]);
    for (let u = 0; u < 5; u++) {
      expect(first[u]).toBeCloseTo((80 + u - 34.5) / sd, 5);
      expect(first[5 + u]).toBeCloseTo((80 + u - 34.5) / sd, 5);
    }
  });

  it('gives a constant column unit scale instead of dividing by zero', () => {
    const flat = seriesColumns(parseCsv(`a\n${'3\n'.repeat(30)}`), ['a']);
    const w = seriesWindows(flat, { window: 4, testFraction: 0, valFraction: 0 });
    expect(w.std).toEqual([1]);
    expect(w.val).toBeUndefined();
    expect(w.test).toBeUndefined();
    expect([...w.train.windows.data].every((v) => v === 0)).toBe(true);
  });

  it('refuses windows that do not fit a period, and bad settings, in one line', () => {
    expect(() => seriesWindows(series, { window: 11, testFraction: 0.2, valFraction: 0.1 })).toThrow(
      /validation period has 10 of the 100 steps, fewer than one window of 11/,
    );
    expect(() => seriesWindows(series, { window: 1 })).toThrow(DatasetArgumentError);
    expect(() => seriesWindows(series, { window: 4, stride: 0 })).toThrow(/stride/);
    expect(() => seriesWindows(series, { window: 4, testFraction: 1 })).toThrow(/test fraction/);
  });
});

describe('windowStarts and stepScores', () => {
  it('adds a final window so the last steps are covered', () => {
    expect([...windowStarts(0, 10, 4, 3)]).toEqual([0, 3, 6]);
    expect([...windowStarts(0, 11, 4, 3)]).toEqual([0, 3, 6, 7]);
    expect([...windowStarts(5, 8, 4, 1)]).toEqual([]);
  });

  it('averages the windows that cover each step', () => {
    // Windows of 3 at 0, 2: step 2 is covered by both.
    const perWindow = stepScores([0, 2], 3, [1, 4], 6);
    expect([...perWindow].slice(0, 5)).toEqual([1, 1, 2.5, 4, 4]);
    expect(Number.isNaN(perWindow[5]!)).toBe(true);
    const perStep = stepScores([0, 2], 3, [1, 2, 3, 10, 20, 30], 5);
    expect([...perStep]).toEqual([1, 2, 6.5, 20, 30]);
    expect(() => stepScores([0, 4], 3, [1, 2], 6)).toThrow(/outside 0..5/);
    expect(() => stepScores([0], 3, [1, 2], 6)).toThrow(/2 scores for 1 windows/);
  });
});
