import { fillStream, key } from '@vae/random';
import { describe, expect, it } from 'vitest';
import { stepNoiseFeeds } from './noise-feeds';

/** Standard normal CDF via erf (Abramowitz & Stegun 7.1.26, |error| < 1.5e-7). */
function phi(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const poly =
    t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-z * z);
  return 0.5 * (1 + Math.sign(x) * erf);
}

describe('training noise streams', () => {
  const n = 200_000;

  it('normals pass a Kolmogorov-Smirnov test against N(0, 1) and have mean 0, variance 1', () => {
    const z = new Float32Array(n);
    fillStream(key(7), 'normal', z, 0, n);
    const sorted = Float64Array.from(z).sort();
    let d = 0;
    sorted.forEach((v, i) => {
      const f = phi(v);
      d = Math.max(d, Math.abs(f - i / n), Math.abs(f - (i + 1) / n));
    });
    // 1.63 / sqrt(n) is the 1% critical value.
    expect(d).toBeLessThan(1.63 / Math.sqrt(n));
    const mean = z.reduce((s, v) => s + v, 0) / n;
    const variance = z.reduce((s, v) => s + (v - mean) ** 2, 0) / n;
    expect(Math.abs(mean)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(variance - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
  });

  it('uniforms lie in [0, 1) with mean 1/2 and variance 1/12', () => {
    const u = new Float32Array(n);
    fillStream(key(8), 'uniform', u, 0, n);
    expect(u.reduce((a, v) => Math.min(a, v), 1)).toBeGreaterThanOrEqual(0);
    expect(u.reduce((a, v) => Math.max(a, v), 0)).toBeLessThan(1);
    const mean = u.reduce((s, v) => s + v, 0) / n;
    const variance = u.reduce((s, v) => s + (v - mean) ** 2, 0) / n;
    expect(Math.abs(mean - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(0.002);
  });

  it('a step draws the same numbers whichever run it falls in; draws and steps differ', () => {
    const draws = [
      { name: 'eps', kind: 'normal' as const, shape: [4, 5] },
      { name: 'u', kind: 'uniform' as const, shape: [3] },
    ];
    const long = stepNoiseFeeds(draws, key(1), 0, 10);
    const short = stepNoiseFeeds(draws, key(1), 5, 3);
    expect(short.eps!.shape).toEqual([3, 4, 5]);
    expect(Array.from(short.eps!.data as Float32Array)).toEqual(
      Array.from((long.eps!.data as Float32Array).subarray(5 * 20, 8 * 20)),
    );
    expect(Array.from(short.u!.data as Float32Array)).toEqual(
      Array.from((long.u!.data as Float32Array).subarray(15, 24)),
    );
    const eps = long.eps!.data as Float32Array;
    expect(Array.from(eps.subarray(0, 20))).not.toEqual(Array.from(eps.subarray(20, 40)));
    const other = stepNoiseFeeds(draws, key(2), 0, 1).eps!.data as Float32Array;
    expect(Array.from(other)).not.toEqual(Array.from(eps.subarray(0, 20)));
  });
});
