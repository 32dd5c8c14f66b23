import { key, normal } from '@vae/random';
import { describe, expect, it } from 'vitest';
import { scorePercentile, summarizeTestScores } from './test-scores';

const how = { k: 64, seed: 7 };

describe('summarizeTestScores', () => {
  it('gives the percentiles of 0..100 exactly, and a histogram that counts every score once', () => {
    const xs = Array.from({ length: 101 }, (_, i) => 100 - i); // unsorted on purpose
    const t = summarizeTestScores(xs, { ...how, bins: 4 });
    expect(t.quantiles).toEqual(Array.from({ length: 101 }, (_, i) => i));
    expect(t.histogram.edges).toEqual([0, 25, 50, 75, 100]);
    // [0, 25) [25, 50) [50, 75) [75, 100]: the highest score is in the last bin
    expect(t.histogram.counts).toEqual([25, 25, 25, 26]);
    expect(t).toMatchObject({ measure: 'iwae', k: 64, seed: 7, n: 101, split: 'test' });
  });

  it('interpolates between order statistics (numpy percentile, linear)', () => {
    // numpy.percentile([1, 2, 4, 8], [0, 10, 50, 90, 100]) = [1, 1.3, 3, 6.8, 8]
    const q = summarizeTestScores([8, 1, 4, 2], how).quantiles;
    expect([q[0], q[10], q[50], q[90], q[100]].map((v) => Number(v!.toFixed(12)))).toEqual([
      1, 1.3, 3, 6.8, 8,
    ]);
  });

  it('keeps increasing edges when every score is the same, and refuses no scores or NaN', () => {
    const t = summarizeTestScores([5, 5, 5], how);
    expect(t.histogram).toEqual({ edges: [4.5, 5.5], counts: [3] });
    expect(() => summarizeTestScores([], how)).toThrow(RangeError);
    expect(() => summarizeTestScores([1, Number.NaN], how)).toThrow(/not finite/);
  });
});

describe('scorePercentile', () => {
  const uniform = { quantiles: Array.from({ length: 101 }, (_, i) => 10 + 2 * i) };

  it('inverts the stored percentiles: 0 below the lowest, 100 above the highest, linear between', () => {
    expect(scorePercentile(uniform, 0)).toBe(0);
    expect(scorePercentile(uniform, 10)).toBe(0);
    expect(scorePercentile(uniform, 11)).toBeCloseTo(0.5, 12);
    expect(scorePercentile(uniform, 110)).toBeCloseTo(50, 12);
    expect(scorePercentile(uniform, 209)).toBeCloseTo(99.5, 12);
    expect(scorePercentile(uniform, 210)).toBe(100);
    expect(scorePercentile(uniform, 1e9)).toBe(100);
    expect(scorePercentile(uniform, Number.NaN)).toBeNaN();
  });

  it('gives the middle of a run of tied percentiles', () => {
    const q = Array.from({ length: 101 }, (_, i) => (i < 20 ? i : i <= 40 ? 20 : i));
    expect(scorePercentile({ quantiles: q }, 20)).toBeCloseTo(30, 12);
  });

  it('matches the share of the scores below it (the empirical CDF) to within the 1-point resolution of 101 percentiles', () => {
    const scores = Float64Array.from(normal(key(3), 5000), (v) => 100 + 15 * v + (v > 1 ? 10 * v * v : 0));
    const t = summarizeTestScores(scores, how);
    let worst = 0;
    for (const x of [60, 85, 99.5, 100, 120, 150, 200]) {
      const below = (100 * scores.filter((s) => s < x).length) / scores.length;
      worst = Math.max(worst, Math.abs(scorePercentile(t, x) - below));
    }
    // Both are monotone and agree at every stored percentile, so between two they differ by < 1 point.
    expect(worst).toBeLessThan(1);
    expect(worst).toBeGreaterThan(0);
  });
});
