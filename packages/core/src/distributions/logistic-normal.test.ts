import { describe, expect, it } from 'vitest';
import { NoClosedFormError } from './errors';
import { LogisticNormal } from './logistic-normal';
import { Bench, expectClose, expectGradMatchesFd, moments } from './test-helpers';

const f = Math.fround;
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
const normalLogPdf = (y: number, m: number, s: number) =>
  -0.5 * ((y - m) / s) ** 2 - Math.log(s) - HALF_LOG_2PI;
const logSigmoid = (t: number) => (t >= 0 ? -Math.log1p(Math.exp(-t)) : t - Math.log1p(Math.exp(t)));

/**
 * Float64 transcription of torch's StickBreakingTransform inverse and log_abs_det_jacobian
 * (1 - cumsum form), written independently of the graph code.
 */
function torchLogProb(x: readonly number[], loc: readonly number[], scale: readonly number[]): number {
  const d = loc.length;
  let cum = 0;
  let lp = 0;
  let det = 0;
  for (let i = 0; i < d; i++) {
    cum += x[i]!;
    const sf = 1 - cum;
    const offset = d - i;
    const y = Math.log(x[i]!) - Math.log(sf) + Math.log(offset);
    lp += normalLogPdf(y, loc[i]!, scale[i]!);
    const t = y - Math.log(offset);
    det += -t + logSigmoid(t) + Math.log(x[i]!);
  }
  return lp - det;
}

/** torch's inverse: y_i = log x_i - log(1 - sum_{j<=i} x_j) + log(D - i). */
const inverse = (x: readonly number[], d: number) => {
  let cum = 0;
  return Array.from({ length: d }, (_, i) => {
    cum += x[i]!;
    return Math.log(x[i]!) - Math.log(1 - cum) + Math.log(d - i);
  });
};

describe('LogisticNormal (stick-breaking, as torch)', () => {
  it('with D = 1 it is the logit-normal density on (p, 1 - p), near 0 and 1 too', () => {
    const cases: [number, number, number][] = [
      [0, 1, 0.5],
      [0.5, 0.3, 0.7],
      [-2, 2, 1e-6],
      [3, 0.5, 0.999],
      [0, 1e-3, 0.5005],
    ];
    const b = new Bench();
    const [m, s] = b.columns(cases, ['m', 's'], [5, 1]);
    const d = new LogisticNormal(m!, s!);
    expect(d.batchShape).toEqual([5]);
    expect(d.eventShape).toEqual([2]);
    const xs = cases.map(([, , p]) => [f(p), f(1 - p)]);
    const lp = b.run1(d.logProb(b.input('x', xs.flat(), [5, 2])));
    const want = cases.map(([m, s], i) => {
      const [p, q] = xs[i]!;
      const y = Math.log(p!) - Math.log(q!);
      return normalLogPdf(y, f(m), f(s)) - (Math.log(p!) + Math.log(q!) - Math.log(p! + q!));
    });
    expectClose(lp, want, { rtol: 2e-6, atol: 2e-6 }, 'logProb');
  });

  it('matches a float64 transcription of torch for D = 3', () => {
    const loc = [0.2, -0.5, 1].map(f);
    const scale = [0.7, 1.3, 0.4].map(f);
    const points = [
      [0.25, 0.25, 0.25, 0.25],
      [0.7, 0.1, 0.1, 0.1],
      [0.01, 0.01, 0.97, 0.01],
      [1e-4, 0.5, 0.2999, 0.2],
    ].map((r) => r.map(f));
    const b = new Bench();
    const d = new LogisticNormal(b.input('m', loc), b.input('s', scale));
    const lp = b.run1(d.logProb(b.input('x', points.flat(), [4, 4])));
    expectClose(
      lp,
      points.map((x) => torchLogProb(x, loc, scale)),
      { rtol: 1e-5, atol: 1e-5 },
      'logProb',
    );
  });

  it('integrates to 1 over the 2-simplex (quadrature of the graph density)', () => {
    const n = 300;
    const us: number[] = [];
    const weights: number[] = [];
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        const u = (i + 0.5) / n;
        const v = (j + 0.5) / n;
        us.push(u, (1 - u) * v, (1 - u) * (1 - v)); // x0, x1, x2: the square mapped onto the simplex
        weights.push((1 - u) / (n * n)); // |d(x0, x1) / d(u, v)| = 1 - u
      }
    const b = new Bench();
    const d = new LogisticNormal(b.input('m', [0.3, -0.2]), b.input('s', [0.7, 0.5]));
    const lp = b.run1(d.logProb(b.input('x', us, [n * n, 3])));
    const total = lp.reduce((s, l, k) => s + Math.exp(l) * weights[k]!, 0);
    expect(Math.abs(total - 1)).toBeLessThan(2e-3);
  });

  it('rsample lies on the simplex and maps back to Normal(loc, scale) draws', () => {
    const S = 50_000;
    const loc = [0.5, -1, 0];
    const scale = [1, 0.3, 2];
    const b = new Bench();
    const d = new LogisticNormal(b.input('m', loc), b.input('s', scale));
    const x = d.rsample(b.noise, [S]);
    expect(x.shape).toEqual([S, 4]);
    const [draws, lp] = b.run([x, d.logProb(x)], 8);
    expect(lp!.every(Number.isFinite)).toBe(true);
    const ys: number[][] = [[], [], []];
    for (let s = 0; s < S; s++) {
      const row = draws!.slice(4 * s, 4 * s + 4);
      expect(Math.abs(row.reduce((a, v) => a + v, 0) - 1)).toBeLessThan(1e-5);
      if (s < 5000) expect(row.every((v) => v >= 0)).toBe(true);
      if (row.every((v) => v > 1e-6)) inverse(row, 3).forEach((y, i) => ys[i]!.push(y));
    }
    ys.forEach((col, i) => {
      const { mean, variance } = moments(col);
      const s2 = f(scale[i]!) ** 2;
      expect(Math.abs(mean - loc[i]!)).toBeLessThan(5 * Math.sqrt(s2 / col.length) + 1e-3);
      expect(Math.abs(variance - s2)).toBeLessThan(5 * s2 * Math.sqrt(2 / col.length) + 1e-3);
    });
  });

  it('a scalar loc gives event shape [2]; moments and entropy have no closed form', () => {
    const b = new Bench();
    const d = new LogisticNormal(b.g.scalar(0), 1);
    expect(d.batchShape).toEqual([]);
    expect(d.eventShape).toEqual([2]);
    expect(() => d.mean).toThrow(NoClosedFormError);
    expect(() => d.entropy()).toThrow(NoClosedFormError);
  });

  it('gradients of logProb and rsample match finite differences', () => {
    const m = { name: 'm', values: [0.2, -0.4, 0.1, 0.6], shape: [2, 2] };
    const s = { name: 's', values: [0.9, 1.2, 0.6, 1.1], shape: [2, 2] };
    const x = [0.2, 0.5, 0.3, 0.6, 0.1, 0.3];
    expectGradMatchesFd((b, [mv, sv]) => new LogisticNormal(mv!, sv!).logProb(b.constant(x, [2, 3])), [m, s]);
    expectGradMatchesFd((b, [mv, sv]) => new LogisticNormal(mv!, sv!).rsample(b.noise, [2]), [m, s]);
  });
});
