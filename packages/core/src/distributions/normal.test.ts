import { describe, expect, it } from 'vitest';
import { Normal } from './normal';
import { Bench, column, expectClose, expectCloseAll, expectGradMatchesFd, moments } from './test-helpers';

const f = Math.fround;
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
/** Float64 reference log-density from the float32-rounded inputs. */
const refLogProb = (m: number, s: number, x: number) =>
  -0.5 * ((f(x) - f(m)) / f(s)) ** 2 - Math.log(f(s)) - HALF_LOG_2PI;

// [loc, scale, x]: unit, off-centre, tiny and huge scales, far tails.
const cases: [number, number, number][] = [
  [0, 1, 0],
  [0, 1, 3],
  [1, 2, -1],
  [-3, 0.5, 40],
  [0, 1e-4, 1e-4],
  [5, 1e-4, 5.0002],
  [0, 1e-4, 0.5],
  [0, 1e4, 3e4],
  [-3, 1e4, 0],
  [2.5, 1e4, 2.5],
];

describe('Normal', () => {
  it('log-density, entropy, mean, variance match closed forms, scales 1e-4..1e4', () => {
    const b = new Bench();
    const [loc, scale, x] = b.columns(cases, ['loc', 'scale', 'x']);
    const d = new Normal(loc!, scale!);
    const [lp, h, mean, mode, v, sd] = b.run([
      d.logProb(x!),
      d.entropy(),
      d.mean,
      d.mode,
      d.variance,
      d.stddev,
    ]);
    expectCloseAll({
      logProb: [lp, cases.map(([m, s, xv]) => refLogProb(m, s, xv)), { rtol: 2e-6, atol: 2e-6 }],
      entropy: [h, cases.map(([, s]) => 0.5 + HALF_LOG_2PI + Math.log(f(s))), { rtol: 1e-6, atol: 1e-6 }],
      mean: [mean, cases.map((c) => f(c[0]))],
      mode: [mode, cases.map((c) => f(c[0]))],
      variance: [v, cases.map((c) => f(c[1]) ** 2), { rtol: 1e-6 }],
      stddev: [sd, cases.map((c) => f(c[1]))],
    });
    expect(d.batchShape).toEqual([cases.length]);
    expect(d.eventShape).toEqual([]);
  });

  it('fromLogVar keeps log-scale exact where exp(logVar/2) under/overflows float32', () => {
    const lvs = [0, -18.420681, 18.420681, -200, 150];
    const b = new Bench();
    const mu = b.input('mu', [0, 1, -1, 0, 0]);
    const lv = b.input('lv', lvs);
    const d = Normal.fromLogVar(mu, lv);
    const [h, lpAtMean] = b.run([d.entropy(), d.logProb(mu)]);
    const want = lvs.map((l) => 0.5 * f(l) + 0.5 + HALF_LOG_2PI);
    expectClose(h!, want, { rtol: 1e-6 }, 'entropy');
    expectClose(
      lpAtMean!,
      lvs.map((l) => -0.5 * f(l) - HALF_LOG_2PI),
      { rtol: 1e-6 },
      'logProb at mean',
    );
  });

  it('number parameters become constants and broadcast, also over a symbolic batch', () => {
    const b = new Bench();
    const mu = b.g.input('mu', ['N', 3]);
    b.feeds.mu = { dtype: 'float32', shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6]) };
    const s = b.input('s', [1, 2, 3]);
    const d1 = new Normal(mu, 2);
    const d2 = new Normal(0, s);
    const d3 = new Normal(b.g.scalar(0), s.unsqueeze([0])); // [] with [1, 3]
    expect(d1.batchShape).toEqual(['N', 3]);
    expect(d2.batchShape).toEqual([3]);
    expect(d3.batchShape).toEqual([1, 3]);
    const d4 = new Normal(s, mu.mul(0).add(1)); // loc [3] expanded to [N, 3] at run time
    expect(d4.batchShape).toEqual(['N', 3]);
    const [v1, m2, m4] = b.run([d1.variance, d2.mean, d4.mean]);
    expectClose(v1!, [4, 4, 4, 4, 4, 4]);
    expectClose(m2!, [0, 0, 0]);
    expectClose(m4!, [1, 2, 3, 1, 2, 3]);
  });

  it('rsample has the right mean and variance (1e5 draws per element, 5 standard errors)', () => {
    const S = 100_000;
    const b = new Bench();
    const locs = [1, -2, 1e3];
    const scales = [0.5, 3, 1e-3];
    const d = new Normal(b.input('loc', locs), b.input('scale', scales));
    const z = d.rsample(b.noise, [S]);
    expect(z.shape).toEqual([S, 3]);
    const draws = b.run1(z, 11);
    locs.forEach((m, i) => {
      const { mean, variance } = moments(column(draws, 3, i));
      const s2 = f(scales[i]!) ** 2;
      expect(Math.abs(mean - f(m))).toBeLessThan(5 * Math.sqrt(s2 / S));
      expect(Math.abs(variance - s2)).toBeLessThan(5 * s2 * Math.sqrt(2 / S) + 1e-7 * Math.abs(m));
    });
  });

  it('gradients of logProb, entropy and rsample match finite differences', () => {
    const loc = { name: 'loc', values: [0.3, -1, 2] };
    const scale = { name: 'scale', values: [0.8, 1.5, 3] };
    const x = { name: 'x', values: [1, -0.5, 7] };
    expectGradMatchesFd((_b, [m, s, xv]) => new Normal(m!, s!).logProb(xv!), [loc, scale, x]);
    expectGradMatchesFd((_b, [m, s]) => new Normal(m!, s!).entropy(), [loc, scale]);
    expectGradMatchesFd((b, [m, s]) => new Normal(m!, s!).rsample(b.noise, [4]), [loc, scale]);
    const lv = { name: 'lv', values: [-2, 0, 1.5] };
    expectGradMatchesFd((_b, [m, l, xv]) => Normal.fromLogVar(m!, l!).logProb(xv!), [loc, lv, x]);
  });
});
