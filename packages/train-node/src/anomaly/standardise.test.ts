import { describe, expect, it } from 'vitest';
import { StandardiseError, standardisedSum, validationScale } from './standardise';

describe('validationScale', () => {
  it('is the mean and the n - 1 standard deviation, as worked by hand', () => {
    // [2, 4, 4, 4, 5, 5, 7, 9]: mean 5, squared deviations sum to 32, 32 / 7.
    const s = validationScale([2, 4, 4, 4, 5, 5, 7, 9]);
    expect(s.mean).toBe(5);
    expect(s.std).toBeCloseTo(Math.sqrt(32 / 7), 14);
  });

  it('refuses what cannot set a scale, by name', () => {
    expect(() => validationScale([1], 'elbo')).toThrow(/elbo: need at least 2/);
    expect(() => validationScale([3, 3, 3])).toThrow(StandardiseError);
    expect(() => validationScale([1, Number.NaN, 2], 'regret')).toThrow(/regret: validation score 1 is NaN/);
  });
});

describe('standardisedSum', () => {
  it('sums each score standardised on its own validation values', () => {
    // a: val [1, 3] -> mean 2, std sqrt(2); b: val [10, 20, 30] -> mean 20, std 10.
    const out = standardisedSum(
      [
        [2, 5],
        [20, 50],
      ],
      [
        [1, 3],
        [10, 20, 30],
      ],
    );
    expect(out[0]).toBeCloseTo(0, 14);
    expect(out[1]).toBeCloseTo(3 / Math.SQRT2 + 3, 14);
  });

  it('does not change when a part is rescaled and shifted (test and validation alike)', () => {
    const a = [0.3, 1.7, -0.2, 4.1, 2.2];
    const b = [10, 12, 9, 30, 11];
    const va = [0.1, 0.5, -0.4, 0.9];
    const vb = [10, 11, 9.5, 12, 10.5];
    const ref = standardisedSum([a, b], [va, vb]);
    const f = (v: number) => 1000 * v - 77; // nats -> another unit and offset
    const moved = standardisedSum([a, b.map(f)], [va, vb.map(f)]);
    for (let i = 0; i < a.length; i++) expect(moved[i]).toBeCloseTo(ref[i]!, 9);
  });

  it('with one score ranks exactly as that score', () => {
    const s = [5, 1, 3, 9, 7];
    const out = standardisedSum([s], [[1, 2, 3]]);
    const order = (v: ArrayLike<number>) =>
      Array.from({ length: v.length }, (_, i) => i).sort((i, j) => v[i]! - v[j]!);
    expect(order(out)).toEqual(order(Float64Array.from(s)));
  });

  it('refuses mismatched inputs', () => {
    expect(() => standardisedSum([[1, 2]], [])).toThrow(/one validation set per score/);
    expect(() =>
      standardisedSum(
        [[1, 2], [1]],
        [
          [1, 2],
          [1, 2],
        ],
      ),
    ).toThrow(/score 1 has 1 values/);
  });
});
