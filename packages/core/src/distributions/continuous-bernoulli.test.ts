import { describe, expect, it } from 'vitest';
import { ContinuousBernoulli } from './continuous-bernoulli';
import { Bench, column, expectClose, expectCloseAll, expectGradMatchesFd, moments } from './test-helpers';

const f = Math.fround;
const softplus = (l: number) => Math.max(l, 0) + Math.log1p(Math.exp(-Math.abs(l)));
/**
 * Independent float64 references. log C(l) from the integral of the unnormalised density:
 * integral_0^1 e^(x l) dx = expm1(l) / l, so log C = softplus(l) - log(expm1(l) / l).
 */
const refLogC = (l: number) => (l === 0 ? Math.log(2) : softplus(l) - Math.log(Math.expm1(l) / l));

/** Mean, variance and entropy by composite Simpson quadrature of p(x) proportional to e^(x l). */
function quad(l: number, n = 20_000): { mean: number; variance: number; entropy: number } {
  const shift = Math.max(l, 0); // e^(x l - shift) <= 1
  const w = (i: number) => (i === 0 || i === n ? 1 : i % 2 ? 4 : 2) / (3 * n);
  let z = 0;
  let m1 = 0;
  let m2 = 0;
  let xl = 0;
  for (let i = 0; i <= n; i++) {
    const x = i / n;
    const p = Math.exp(x * l - shift) * w(i);
    z += p;
    m1 += x * p;
    m2 += x * x * p;
    xl += x * l * p;
  }
  const mean = m1 / z;
  // log p(x) = x l - shift - log z
  return { mean, variance: m2 / z - mean * mean, entropy: -(xl / z - shift - Math.log(z)) };
}

const logits = [
  -50, -5, -1.5, -1, -0.3, -0.1, -1e-3, -1e-6, 0, 1e-6, 1e-3, 0.05, 0.0999, 0.1, 0.2, 0.5, 0.9999, 1, 2, 5,
  50,
].map(f);
const xs = [0, 0.25, 0.5, 0.99, 1];

describe('ContinuousBernoulli', () => {
  it('log-density with its normaliser matches float64 references, logits 1e-6..50', () => {
    const b = new Bench();
    const grid = logits.flatMap((l) => xs.map((x) => [l, x] as const));
    const [l, x] = b.columns(grid, ['l', 'x']);
    const [lp] = b.run([new ContinuousBernoulli(l!).logProb(x!)]);
    const want = grid.map(([l, x]) => f(x) * l - softplus(l) + refLogC(l));
    expectClose(lp!, want, { rtol: 1e-6, atol: 2e-6 }, 'logProb');
    const b2 = new Bench();
    const logC = b2.run1(new ContinuousBernoulli(b2.input('l', logits)).logNormalizer);
    expectClose(logC, logits.map(refLogC), { rtol: 3e-7, atol: 0 }, 'log C');
  });

  it('mean, variance and entropy match quadrature (Taylor branches near 0, tails at +-50)', () => {
    const b = new Bench();
    const d = new ContinuousBernoulli(b.input('l', logits));
    const [m, v, h, mode] = b.run([d.mean, d.variance, d.entropy(), d.mode]);
    const q = logits.map((l) => quad(l));
    expectCloseAll({
      mean: [m, q.map((r) => r.mean), { rtol: 0, atol: 1e-7 }],
      variance: [v, q.map((r) => r.variance), { rtol: 1e-6, atol: 0 }],
      entropy: [h, q.map((r) => r.entropy), { rtol: 0, atol: 5e-7 }],
      mode: [mode, logits.map((l) => (l > 0 ? 1 : 0))],
    });
  });

  it('rsample is the inverse CDF of the fed uniforms, and its moments match', () => {
    const S = 50_000;
    const ls = [-30, -3, -0.15, 0, 1e-3, 0.15, 2, 30].map(f);
    const b = new Bench();
    const d = new ContinuousBernoulli(b.input('l', ls));
    const draws = b.run1(d.rsample(b.noise, [S]), 3);
    const u = b.allFeeds(3).noise_0_uniform!.data as Float32Array;
    const clip = (v: number) => Math.min(Math.max(v, 2 ** -24), 1 - 2 ** -24);
    const icdf = (v: number, l: number) => (l === 0 ? v : Math.log1p(v * Math.expm1(l)) / l);
    const want = Array.from(u.subarray(0, 8 * 2000), (v, i) => icdf(f(clip(v)), ls[i % 8]!));
    expectClose(draws.slice(0, 8 * 2000), want, { rtol: 0, atol: 2e-7 }, 'icdf');
    expect(draws.every((x) => x >= 0 && x <= 1)).toBe(true);
    ls.forEach((l, i) => {
      const col = column(draws, ls.length, i);
      const { mean, variance } = moments(col);
      const r = quad(l);
      let m4 = 0;
      for (const x of col) m4 += (x - mean) ** 4 / S;
      expect(Math.abs(mean - r.mean)).toBeLessThan(5 * Math.sqrt(r.variance / S));
      expect(Math.abs(variance - r.variance)).toBeLessThan(5 * Math.sqrt((m4 - variance ** 2) / S));
    });
  });

  it('gradients match finite differences, in the series branches and outside them', () => {
    const l = { name: 'l', values: [-3, -0.5, -0.05, 0, 0.05, 0.3, 2] };
    const x = { name: 'x', values: [0.1, 0.9, 0.5, 0.3, 0.7, 0.2, 0.6] };
    expectGradMatchesFd((_b, [lv, xv]) => new ContinuousBernoulli(lv!).logProb(xv!), [l, x]);
    expectGradMatchesFd((_b, [lv]) => new ContinuousBernoulli(lv!).entropy(), [l]);
    expectGradMatchesFd((_b, [lv]) => new ContinuousBernoulli(lv!).mean, [l]);
    expectGradMatchesFd((_b, [lv]) => new ContinuousBernoulli(lv!).variance, [l]);
    expectGradMatchesFd((b, [lv]) => new ContinuousBernoulli(lv!).rsample(b.noise, [3]), [l]);
  });
});
