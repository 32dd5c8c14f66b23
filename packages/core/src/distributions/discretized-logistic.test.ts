import { describe, expect, it } from 'vitest';
import { DiscretizedLogistic } from './discretized-logistic';
import { NotReparameterizedError } from './errors';
import { Bench, column, expectClose, expectGradMatchesFd, moments } from './test-helpers';

const f = Math.fround;
const H = 0.5 / 255;
const sig = (t: number) => (t >= 0 ? 1 / (1 + Math.exp(-t)) : Math.exp(t) / (1 + Math.exp(t)));
const logSig = (t: number) => (t >= 0 ? -Math.log1p(Math.exp(-t)) : t - Math.log1p(Math.exp(t)));

/** Float64 reference: log of a difference of logistic CDFs, taken on the side where it does not cancel. */
function refLogMass(x: number, m: number, s: number): number {
  const a = (x + H - m) / s;
  const b = (x - H - m) / s;
  if (x < H) return logSig(a);
  if (x > 1 - H) return logSig(-b);
  return Math.log(b > 0 ? sig(-b) - sig(-a) : sig(a) - sig(b));
}

/** Float64 probabilities of all 256 bins. */
const refProbs = (m: number, s: number) =>
  Array.from({ length: 256 }, (_, k) => Math.exp(refLogMass(f(k / 255), m, s)));

// [loc, scale, bin]: interior and edge bins, loc outside [0, 1], tiny and huge scales, and scales
// either side of the log1mExp switch (bin width / scale = 1/2 at scale 1/127.5 = 0.00784).
const cases: [number, number, number][] = [
  [0.5, 0.1, 128],
  [0.5, 0.1, 0],
  [0.5, 0.1, 255],
  [0.3, 0.02, 77],
  [0.3, 0.02, 100],
  [0.1, 1e-4, 26],
  [0.2, 1e-3, 128],
  [0.5, 1e3, 128],
  [0.5, 10, 0],
  [-0.5, 0.05, 0],
  [1.5, 0.05, 255],
  [1.5, 0.05, 254],
  [0.2, 0.0078, 51],
  [0.2, 0.0079, 51],
  [0.2, 0.0079, 60],
];

describe('DiscretizedLogistic (256 bins on [0, 1])', () => {
  it('log-mass of a bin matches float64 references, edge bins take the tails', () => {
    const b = new Bench();
    const [m, s] = b.columns(cases, ['m', 's']);
    const d = new DiscretizedLogistic(m!, s!);
    const lp = b.run1(
      d.logProb(
        b.input(
          'x',
          cases.map((c) => c[2] / 255),
        ),
      ),
    );
    const want = cases.map(([m, s, k]) => refLogMass(f(k / 255), f(m), f(s)));
    expectClose(lp, want, { rtol: 2e-6, atol: 2e-6 }, 'logProb');
  });

  it('stays finite and exact deep in the tail (no log(0) from subtracting CDFs)', () => {
    const b = new Bench();
    const d = new DiscretizedLogistic(b.input('m', [0.2, 0.8]), b.input('s', [1e-4, 1e-3]));
    const lp = b.run1(d.logProb(b.input('x', [0.8, 0.2])));
    // far right of loc: mass ~ e^-b (1 - e^-(a-b)) with b the standardised lower edge
    const asym = (x: number, m: number, s: number) =>
      -Math.abs(x - m) / s + H / s + Math.log(-Math.expm1(-(2 * H) / s));
    expectClose(lp, [asym(f(0.8), f(0.2), f(1e-4)), asym(f(0.2), f(0.8), f(1e-3))], { rtol: 1e-5 }, 'tail');
  });

  it('masses over the 256 bins sum to 1 and give the exact mean, variance, mode and entropy', () => {
    const params: [number, number][] = [
      [0.5, 0.1],
      [0.02, 0.01],
      [0.9, 1e-3],
      [0.5, 100],
      [-1, 0.2],
      [0.6, 1e-5],
    ];
    const b = new Bench();
    const n = params.length;
    const [m, s] = b.columns(params, ['m', 's'], [n, 1]);
    const d = new DiscretizedLogistic(m!, s!);
    const grid = b.input(
      'x',
      Array.from({ length: 256 }, (_, k) => k / 255),
    );
    const [m2, s2] = b.columns(params, ['m2', 's2']);
    const flat = new DiscretizedLogistic(m2!, s2!);
    const [lp, mean, v, mode, h] = b.run([
      d.logProb(grid),
      flat.mean,
      flat.variance,
      flat.mode,
      flat.entropy(),
    ]);
    params.forEach(([m, s], i) => {
      const total = lp!.slice(256 * i, 256 * i + 256).reduce((acc, l) => acc + Math.exp(l), 0);
      expect(Math.abs(total - 1), `sum of masses for loc ${m}, scale ${s}`).toBeLessThan(1e-5);
    });
    const ps = params.map(([m, s]) => refProbs(f(m), f(s)));
    const xs = Array.from({ length: 256 }, (_, k) => f(k / 255));
    const mu = ps.map((p) => p.reduce((acc, pk, k) => acc + pk * xs[k]!, 0));
    expectClose(mean!, mu, { rtol: 1e-6, atol: 1e-7 }, 'mean');
    expectClose(
      v!,
      ps.map((p, i) => p.reduce((acc, pk, k) => acc + pk * (xs[k]! - mu[i]!) ** 2, 0)),
      { rtol: 1e-6, atol: 1e-12 },
      'variance',
    );
    expectClose(
      mode!,
      ps.map((p) => xs[p.indexOf(Math.max(...p))]!),
      {},
      'mode',
    );
    expectClose(
      h!,
      ps.map((p) => -p.reduce((acc, pk) => acc + (pk > 0 ? pk * Math.log(pk) : 0), 0)),
      { rtol: 1e-6, atol: 1e-7 },
      'entropy',
    );
  });

  it('samples land on the grid with the right mean and variance; rsample throws', () => {
    const S = 50_000;
    const params: [number, number][] = [
      [0.4, 0.05],
      [0.98, 0.1],
    ];
    const b = new Bench();
    const [m, s] = b.columns(params, ['m', 's']);
    const d = new DiscretizedLogistic(m!, s!);
    const [draws, mean, v] = b.run([d.sample(b.noise, [S]), d.mean, d.variance], 17);
    expect(
      draws!.every(
        (x) => Number.isInteger(Math.round(x * 255)) && Math.abs(x * 255 - Math.round(x * 255)) < 1e-4,
      ),
    ).toBe(true);
    params.forEach((_, i) => {
      const col = moments(column(draws!, 2, i));
      expect(Math.abs(col.mean - mean![i]!)).toBeLessThan(5 * Math.sqrt(v![i]! / S));
      expect(Math.abs(col.variance - v![i]!) / v![i]!).toBeLessThan(0.05);
    });
    expect(() => d.rsample(b.noise)).toThrow(NotReparameterizedError);
  });

  it('gradients of logProb match finite differences (interior and edge bins, log-scale form)', () => {
    const m = { name: 'm', values: [0.5, 0.3, 0.05, 0.9] };
    const s = { name: 's', values: [0.1, 0.05, 0.08, 0.2] };
    const x = [128 / 255, 0.3, 0, 1];
    expectGradMatchesFd((b, [mv, sv]) => new DiscretizedLogistic(mv!, sv!).logProb(b.constant(x)), [m, s], {
      eps: 1e-4,
    });
    const ls = { name: 'ls', values: [-2, -3, -2.5, -1.5] };
    expectGradMatchesFd(
      (b, [mv, lv]) => DiscretizedLogistic.fromLogScale(mv!, lv!).logProb(b.constant(x)),
      [m, ls],
      { eps: 1e-4 },
    );
  });
});
