import { describe, expect, it } from 'vitest';
import { Bernoulli } from './bernoulli';
import { Categorical } from './categorical';
import { ContinuousBernoulli } from './continuous-bernoulli';
import type { Distribution } from './distribution';
import { DistributionError, KLNotImplemented } from './errors';
import { Independent } from './independent';
import { hasKL, kl, registerKL } from './kl';
import { Laplace } from './laplace';
import { LogisticNormal } from './logistic-normal';
import { MixtureSameFamily } from './mixture-same-family';
import { Normal } from './normal';
import { Bench, column, expectClose, expectGradMatchesFd, meanAndError } from './test-helpers';

const f = Math.fround;
const S = 100_000;

/** Asserts the closed-form KL of each batch element is within 4 standard errors of mean(log p - log q) over S draws from p. */
function expectMatchesMonteCarlo(make: (b: Bench) => [Distribution, Distribution], seed: number): void {
  const b = new Bench();
  const [p, q] = make(b);
  const x = p.sample(b.noise, [S]);
  const [closed, diff] = b.run([kl(p, q), p.logProb(x).sub(q.logProb(x))], seed);
  const n = closed!.length;
  for (let i = 0; i < n; i++) {
    const { mean, se } = meanAndError(column(diff!, n, i));
    expect(
      Math.abs(closed![i]! - mean),
      `${p.kind}[${i}]: closed ${closed![i]} vs MC ${mean} +- ${se}`,
    ).toBeLessThanOrEqual(4 * se + 1e-5 * (1 + Math.abs(mean)));
  }
}

describe('kl registry', () => {
  it('Normal || Normal matches Monte Carlo', () =>
    expectMatchesMonteCarlo(
      (b) => [
        new Normal(b.input('m1', [0, 0.5, 2]), b.input('s1', [1, 0.3, 0.01])),
        new Normal(b.input('m2', [1, -1, 2]), b.input('s2', [2, 0.8, 1])),
      ],
      1,
    ));

  it('Bernoulli || Bernoulli matches Monte Carlo', () =>
    expectMatchesMonteCarlo(
      (b) => [new Bernoulli(b.input('l1', [-2, 0.5, 3])), new Bernoulli(b.input('l2', [1, 0.5, -4]))],
      2,
    ));

  it('Categorical || Categorical matches Monte Carlo', () =>
    expectMatchesMonteCarlo(
      (b) => [
        new Categorical(b.input('l1', [0, 1, 2, -1, -1, 3], [2, 3])),
        new Categorical(b.input('l2', [2, 0, 0, 0, 0, 0], [2, 3])),
      ],
      3,
    ));

  it('Laplace || Laplace matches Monte Carlo', () =>
    expectMatchesMonteCarlo(
      (b) => [
        new Laplace(b.input('m1', [0, 0.5, 0]), b.input('s1', [1, 0.3, 2])),
        new Laplace(b.input('m2', [1, -1, 0]), b.input('s2', [2, 0.8, 1])),
      ],
      4,
    ));

  it('ContinuousBernoulli || ContinuousBernoulli matches Monte Carlo', () =>
    expectMatchesMonteCarlo(
      (b) => [
        new ContinuousBernoulli(b.input('l1', [-3, 0.05, 0])),
        new ContinuousBernoulli(b.input('l2', [1, 2, -0.5])),
      ],
      5,
    ));

  it('LogisticNormal || LogisticNormal (KL of the base Normals) matches Monte Carlo', () =>
    expectMatchesMonteCarlo(
      (b) => [
        new LogisticNormal(b.input('m1', [0, 1, -1, 0.5], [2, 2]), b.input('s1', [1, 0.5, 0.7, 2], [2, 2])),
        new LogisticNormal(b.input('m2', [0.5, 0, 0, 0], [2, 2]), 1),
      ],
      7,
    ));

  it('Independent || Independent sums the base KL over the event dims, and matches Monte Carlo', () => {
    expectMatchesMonteCarlo((b) => {
      const p = new Normal(
        b.input('m1', [0, 1, 2, 0, 0, 0], [2, 3]),
        b.input('s1', [1, 0.5, 2, 1, 1, 1], [2, 3]),
      );
      const q = new Normal(b.input('m2', [0.5, 1, 0, 0, 1, -1], [2, 3]), 1);
      return [p.toEvent(1), q.toEvent(1)];
    }, 6);
    const b = new Bench();
    const p = new Normal(b.input('m', [0, 1, 2, 3], [2, 2]), 1);
    const q = new Normal(0, b.input('s', [1, 2, 3, 4], [2, 2]));
    const [base, ind] = b.run([kl(p, q), kl(p.toEvent(2), q.toEvent(2))]);
    expectClose(ind!, [base!.reduce((s, v) => s + v, 0)], { rtol: 1e-6 });
  });

  it('closed forms stay exact at extreme parameters (float64 references)', () => {
    const b = new Bench();
    // Normal with scales 1e-4 and 1e4 both ways
    const [s1, s2, m1, m2] = [
      [1e-4, 1e4, 1, 1e-4],
      [1e4, 1e-4, 1, 1],
      [0, 0, 3, 0],
      [1, 0, -3, 1e-4],
    ];
    const nKL = b.run1(
      kl(
        new Normal(b.input('m1', m1!), b.input('s1', s1!)),
        new Normal(b.input('m2', m2!), b.input('s2', s2!)),
      ),
    );
    const refN = s1!.map((_, i) => {
      const [a, c, ma, mc] = [f(s1![i]!), f(s2![i]!), f(m1![i]!), f(m2![i]!)];
      return Math.log(c / a) + (a * a + (ma - mc) ** 2) / (2 * c * c) - 0.5;
    });
    expectClose(nKL, refN, { rtol: 2e-6, atol: 1e-6 }, 'normal');
    // Bernoulli with logits +-80, by enumeration in log space
    const lp = [80, -80, 80, 0];
    const lq = [-80, 80, 79, 80];
    const bKL = b.run1(kl(new Bernoulli(b.input('lp', lp)), new Bernoulli(b.input('lq', lq))));
    const ls = (l: number) => (l >= 0 ? -Math.log1p(Math.exp(-l)) : l - Math.log1p(Math.exp(l)));
    const refB = lp.map((p, i) => {
      const q = lq[i]!;
      return Math.exp(ls(p)) * (ls(p) - ls(q)) + Math.exp(ls(-p)) * (ls(-p) - ls(-q));
    });
    expectClose(bKL, refB, { rtol: 2e-6, atol: 1e-6 }, 'bernoulli');
    // Laplace with scales 1e-4 and 1e4
    const lKL = b.run1(
      kl(
        new Laplace(b.input('a1', [0, 1]), b.input('b1', [1e-4, 1e4])),
        new Laplace(b.input('a2', [0, 0]), b.input('b2', [1e4, 1e-4])),
      ),
    );
    const refL = [
      [0, 1e-4, 0, 1e4],
      [1, 1e4, 0, 1e-4],
    ].map(([mp, bp, mq, bq]) => {
      const [p, q] = [f(bp!), f(bq!)];
      const d = Math.abs(mp! - mq!);
      return Math.log(q / p) + d / q + (p / q) * Math.exp(-d / p) - 1;
    });
    expectClose(lKL, refL, { rtol: 2e-6 }, 'laplace');
  });

  it('gradients of every registered KL match finite differences', () => {
    const a = { name: 'a', values: [0.2, -0.5, 1] };
    const c = { name: 'c', values: [0.8, 1.2, 0.5] };
    const a2 = { name: 'a2', values: [1, 0, -0.3] };
    const c2 = { name: 'c2', values: [1.5, 0.6, 0.9] };
    expectGradMatchesFd((_b, [m, s, m2, s2]) => kl(new Normal(m!, s!), new Normal(m2!, s2!)), [a, c, a2, c2]);
    expectGradMatchesFd(
      (_b, [m, s, m2, s2]) => kl(new Laplace(m!, s!), new Laplace(m2!, s2!)),
      [a, c, a2, c2],
    );
    expectGradMatchesFd((_b, [l, l2]) => kl(new Bernoulli(l!), new Bernoulli(l2!)), [a, a2]);
    expectGradMatchesFd(
      (_b, [l, l2]) => kl(new ContinuousBernoulli(l!), new ContinuousBernoulli(l2!)),
      [a, a2],
    );
    expectGradMatchesFd((_b, [l, l2]) => kl(new Categorical(l!), new Categorical(l2!)), [a, a2]);
    expectGradMatchesFd(
      (_b, [m, s, m2]) => kl(new LogisticNormal(m!, s!), new LogisticNormal(m2!, 1)),
      [a, c, a2],
    );
    expectGradMatchesFd(
      (_b, [m, s, m2]) => kl(new Normal(m!, s!).toEvent(1), new Normal(m2!, 1).toEvent(1)),
      [a, c, a2],
    );
  });

  it('unknown pairs throw KLNotImplemented naming both kinds; registerKL adds pairs', () => {
    const b = new Bench();
    const n = new Normal(b.input('m', [0, 1]), 1);
    const l = new Laplace(b.input('a', [0, 1]), 1);
    expect(hasKL(n, l)).toBe(false);
    expect(() => kl(n, l)).toThrow(KLNotImplemented);
    expect(() => kl(n, l)).toThrow(/KL\(normal \|\| laplace\)/);
    const mix = new MixtureSameFamily(b.input('w', [0, 0]), n);
    expect(() => kl(mix, n)).toThrow(/mixture_same_family \|\| normal/);
    const nested = new Independent(n.toEvent(1), 0); // event [2] too, but 0 reinterpreted dims outside
    expect(hasKL(n.toEvent(1), nested)).toBe(false);
    expect(() => kl(n.toEvent(1), nested)).toThrow(/reinterpreted dims differ \(1 vs 0\)/);
    expect(hasKL(n.toEvent(1), n.toEvent(1))).toBe(true);
    expect(() => kl(n.toEvent(1), new Normal(b.input('m4', [0, 1, 2]), 1).toEvent(1))).toThrow(
      DistributionError,
    );
    registerKL<Normal, Laplace>('normal', 'laplace', (p) => p.loc.mul(0).add(42));
    expect(hasKL(n, l)).toBe(true);
    expect(b.run1(kl(n, l))).toEqual([42, 42]);
  });
});
