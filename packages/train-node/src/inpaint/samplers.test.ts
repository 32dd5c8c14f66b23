import { describe, expect, it } from 'vitest';
import { effectiveSampleSize } from './samplers';

describe('effectiveSampleSize', () => {
  it('is k for equal weights, 1 for one dominant weight, (sum w)^2 / sum w^2 between (summed over examples)', () => {
    // [k = 4, n = 3], row j = draw j: example 0 equal weights, example 1 one weight e^50 times the
    // rest, example 2 weights 1, 1, 2, 0.
    const logw = [
      [0, 50, 0],
      [0, 0, 0],
      [0, 0, Math.log(2)],
      [0, 0, Number.NEGATIVE_INFINITY],
    ].flat();
    const want = 4 + (1 + 3 * Math.exp(-50)) ** 2 / (1 + 3 * Math.exp(-100)) + 16 / 6;
    expect(effectiveSampleSize(logw, 4, 3)).toBeCloseTo(want, 10);
  });
});
