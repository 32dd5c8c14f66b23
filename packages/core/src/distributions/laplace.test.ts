import { describe, expect, it } from 'vitest';
import { Laplace } from './laplace';
import { Bench, column, expectClose, expectGradMatchesFd, moments } from './test-helpers';

const f = Math.fround;
const cases: [number, number, number][] = [
  [0, 1, 0],
  [0, 1, -2.5],
  [1, 0.3, 4],
  [0, 1e-4, 1e-4],
  [2, 1e-4, 1.999],
  [0, 1e4, 5e4],
  [-7, 1e4, -7],
  [3, 2, 1e3],
];

describe('Laplace', () => {
  it('log-density, entropy, mean, variance match closed forms, scales 1e-4..1e4', () => {
    const b = new Bench();
    const [m0, s0, x] = b.columns(cases, ['m', 's', 'x']);
    const d = new Laplace(m0!, s0!);
    const [lp, h, m, mode, v, sd] = b.run([d.logProb(x!), d.entropy(), d.mean, d.mode, d.variance, d.stddev]);
    const ref = ([mu, s, xv]: [number, number, number]) =>
      -Math.abs(f(xv) - f(mu)) / f(s) - Math.log(2 * f(s));
    expectClose(lp!, cases.map(ref), { rtol: 1e-6, atol: 1e-6 }, 'logProb');
    expectClose(
      h!,
      cases.map(([, s]) => 1 + Math.log(2 * f(s))),
      { rtol: 1e-6, atol: 1e-6 },
      'entropy',
    );
    expectClose(
      m!,
      cases.map(([mu]) => f(mu)),
      {},
      'mean',
    );
    expectClose(
      mode!,
      cases.map(([mu]) => f(mu)),
      {},
      'mode',
    );
    expectClose(
      v!,
      cases.map(([, s]) => 2 * f(s) ** 2),
      { rtol: 1e-6 },
      'variance',
    );
    expectClose(
      sd!,
      cases.map(([, s]) => Math.SQRT2 * f(s)),
      { rtol: 1e-6 },
      'stddev',
    );
  });

  it('rsample has the right mean, variance and mean absolute deviation (1e5 draws)', () => {
    const S = 100_000;
    const locs = [0, 5, -1];
    const scales = [1, 0.1, 4];
    const b = new Bench();
    const d = new Laplace(b.input('m', locs), b.input('s', scales));
    const draws = b.run1(d.rsample(b.noise, [S]), 4);
    expect(draws.every(Number.isFinite)).toBe(true);
    locs.forEach((mu, i) => {
      const col = column(draws, 3, i);
      const s = f(scales[i]!);
      const { mean, variance } = moments(col);
      const mad = col.reduce((acc, x) => acc + Math.abs(x - f(mu)), 0) / S;
      expect(Math.abs(mean - f(mu))).toBeLessThan(5 * Math.sqrt((2 * s * s) / S));
      // Var of the sample variance: (mu4 - sigma^4) / n, mu4 = 24 s^4 for the Laplace.
      expect(Math.abs(variance - 2 * s * s)).toBeLessThan(5 * Math.sqrt((24 - 4) / S) * s * s);
      expect(Math.abs(mad - s)).toBeLessThan(5 * s * Math.sqrt(1 / S)); // |x - mu| ~ Exp(1/s): sd s
    });
  });

  it('gradients of logProb, entropy and rsample match finite differences', () => {
    const m = { name: 'm', values: [0.3, -1, 2] };
    const s = { name: 's', values: [0.8, 1.5, 3] };
    const x = { name: 'x', values: [1, -0.5, -7] };
    expectGradMatchesFd((_b, [mv, sv, xv]) => new Laplace(mv!, sv!).logProb(xv!), [m, s, x]);
    expectGradMatchesFd((_b, [mv, sv]) => new Laplace(mv!, sv!).entropy(), [m, s]);
    expectGradMatchesFd((b, [mv, sv]) => new Laplace(mv!, sv!).rsample(b.noise, [4]), [m, s]);
  });
});
