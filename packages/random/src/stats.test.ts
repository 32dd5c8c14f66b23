import { describe, expect, it } from 'vitest';
import { normal, permutation, uniform } from './draws';
import { fold, key } from './key';

// Tolerances are 5 standard errors of each statistic (two-sided p ~ 6e-7) and chi-square/KS critical
// values at alpha = 0.001. The keys are fixed, so these are deterministic regressions, not flaky tests.
const N = 1_000_000;
const Z = 5;

/** Sample mean and central moments m2..m4 (population form). */
function moments(xs: Float32Array) {
  let mean = 0;
  for (const x of xs) mean += x;
  mean /= xs.length;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (const x of xs) {
    const d = x - mean;
    const d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
  }
  return { mean, m2: m2 / xs.length, m3: m3 / xs.length, m4: m4 / xs.length };
}

/** Standard normal CDF via erf (Abramowitz & Stegun 7.1.26, abs error < 1.5e-7, far below KS's 2e-3). */
function normCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const poly =
    t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-z * z);
  return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

describe('uniform statistics (1e6 draws)', () => {
  const u = uniform(key(1), N);

  it('has mean 1/2 and variance 1/12 within 5 standard errors', () => {
    const { mean, m2 } = moments(u);
    expect(Math.abs(mean - 0.5)).toBeLessThan(Z * Math.sqrt(1 / 12 / N));
    // Var of the sample variance is (mu4 - sigma^4) / n with mu4 = 1/80 for U(0, 1).
    expect(Math.abs(m2 - 1 / 12)).toBeLessThan(Z * Math.sqrt((1 / 80 - 1 / 144) / N));
  });

  it('passes a chi-square test on 100 equal bins', () => {
    const counts = new Float64Array(100);
    for (const x of u) counts[Math.floor(x * 100)]! += 1;
    const expected = N / 100;
    const chi2 = counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
    expect(chi2).toBeLessThan(148.23); // chi2(df = 99) at alpha = 0.001
  });
});

describe('normal statistics (1e6 draws)', () => {
  const z = normal(key(2), N);

  it('matches N(0, 1) mean, variance, skewness and kurtosis within 5 standard errors', () => {
    const { mean, m2, m3, m4 } = moments(z);
    expect(Math.abs(mean)).toBeLessThan(Z * Math.sqrt(1 / N));
    expect(Math.abs(m2 - 1)).toBeLessThan(Z * Math.sqrt(2 / N));
    expect(Math.abs(m3 / m2 ** 1.5)).toBeLessThan(Z * Math.sqrt(6 / N));
    expect(Math.abs(m4 / m2 ** 2 - 3)).toBeLessThan(Z * Math.sqrt(24 / N));
  });

  it('passes a Kolmogorov-Smirnov test against the normal CDF', () => {
    const sorted = Float64Array.from(z).sort();
    let d = 0;
    sorted.forEach((x, i) => {
      const f = normCdf(x);
      d = Math.max(d, f - i / N, (i + 1) / N - f);
    });
    expect(d).toBeLessThan(1.9495 / Math.sqrt(N)); // K-S critical value at alpha = 0.001
  });
});

describe('permutation statistics', () => {
  const base = key(3);

  it('puts each element at each position equally often (n = 5)', () => {
    const n = 5;
    const trials = 20_000;
    const counts = new Float64Array(n * n);
    for (let t = 0; t < trials; t++) {
      permutation(fold(base, t), n).forEach((v, pos) => {
        counts[v * n + pos]! += 1;
      });
    }
    const expected = trials / n;
    const chi2 = counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
    expect(chi2).toBeLessThan(39.25); // chi2(df = (n-1)^2 = 16) at alpha = 0.001
  });

  it('draws all 24 permutations of 4 equally often', () => {
    const trials = 24_000;
    const counts = new Map<string, number>();
    for (let t = 0; t < trials; t++) {
      const id = permutation(fold(base, 100_000 + t), 4).join('');
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    expect(counts.size).toBe(24);
    const expected = trials / 24;
    const chi2 = [...counts.values()].reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
    expect(chi2).toBeLessThan(49.73); // chi2(df = 23) at alpha = 0.001
  });
});
