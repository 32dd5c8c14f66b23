import { describe, expect, it } from 'vitest';
import { Categorical } from './categorical';
import { DistributionError, NoClosedFormError, NotReparameterizedError } from './errors';
import { MixtureSameFamily } from './mixture-same-family';
import { Normal } from './normal';
import { Bench, column, expectClose, expectGradMatchesFd, moments } from './test-helpers';

const f = Math.fround;
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
const lse = (v: number[]) => {
  const m = Math.max(...v);
  return m + Math.log(v.reduce((s, x) => s + Math.exp(x - m), 0));
};

// A 3-component mixture of diagonal Gaussians in 2-D (a mixture-of-Gaussians prior).
const logits = [0.2, -0.5, 1.0].map(f);
const locs = [
  [-4, 0],
  [0, 4],
  [4, -1],
].map((r) => r.map(f));
const scales = [
  [0.5, 1],
  [1, 0.3],
  [0.8, 0.8],
].map((r) => r.map(f));
const logPi = logits.map((l) => l - lse(logits));
const pi = logPi.map(Math.exp);

function mog(b: Bench) {
  const comp = new Normal(
    b.input('loc', locs.flat(), [3, 2]),
    b.input('scale', scales.flat(), [3, 2]),
  ).toEvent(1);
  return new MixtureSameFamily(b.input('logits', logits), comp);
}

function refLogProb(z: readonly number[]): number {
  return lse(
    locs.map(
      (mu, k) =>
        logPi[k]! +
        mu.reduce(
          (s, m, d) =>
            s - 0.5 * ((z[d]! - m) / scales[k]![d]!) ** 2 - Math.log(scales[k]![d]!) - HALF_LOG_2PI,
          0,
        ),
    ),
  );
}

describe('MixtureSameFamily', () => {
  it('log-density is a logsumexp over components, stable far from every component', () => {
    const zs = [
      [0, 0],
      [-4, 0.1],
      [4, -1],
      [1.5, 2],
      [40, -40],
      [-300, 300],
    ].map((r) => r.map(f));
    const b = new Bench();
    const d = mog(b);
    expect([d.batchShape, d.eventShape]).toEqual([[], [2]]);
    const lp = b.run1(d.logProb(b.input('z', zs.flat(), [6, 2])));
    expect(lp.every(Number.isFinite)).toBe(true);
    expectClose(lp, zs.map(refLogProb), { rtol: 2e-6, atol: 2e-6 }, 'logProb');
  });

  it('mean and variance follow the laws of total expectation and variance', () => {
    const b = new Bench();
    const d = mog(b);
    const [m, v] = b.run([d.mean, d.variance]);
    const mean = [0, 1].map((j) => pi.reduce((s, p, k) => s + p * locs[k]![j]!, 0));
    const variance = [0, 1].map((j) =>
      pi.reduce((s, p, k) => s + p * (scales[k]![j]! ** 2 + (locs[k]![j]! - mean[j]!) ** 2), 0),
    );
    expectClose(m!, mean, { rtol: 1e-6, atol: 1e-6 }, 'mean');
    expectClose(v!, variance, { rtol: 1e-6 }, 'variance');
  });

  it('samples pick components with the mixture weights (Gumbel-max) and have its moments', () => {
    const S = 60_000;
    const b = new Bench();
    const d = mog(b);
    const z = d.sample(b.noise, [S]);
    expect(z.shape).toEqual([S, 2]);
    const draws = b.run1(z, 21);
    const counts = [0, 0, 0];
    for (let s = 0; s < S; s++) {
      const [x, y] = [draws[2 * s]!, draws[2 * s + 1]!];
      // the components are far apart: the nearest centre (in scaled distance) is the one drawn
      const dist = locs.map(
        (mu, k) => ((x - mu[0]!) / scales[k]![0]!) ** 2 + ((y - mu[1]!) / scales[k]![1]!) ** 2,
      );
      counts[dist.indexOf(Math.min(...dist))]! += 1;
    }
    pi.forEach((p, k) => expect(Math.abs(counts[k]! / S - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / S)));
    const [m, v] = b.run([d.mean, d.variance]);
    [0, 1].forEach((j) => {
      const col = moments(column(draws, 2, j));
      expect(Math.abs(col.mean - m![j]!)).toBeLessThan(5 * Math.sqrt(v![j]! / S));
      expect(Math.abs(col.variance - v![j]!) / v![j]!).toBeLessThan(0.03);
    });
    expect(d.hasRsample).toBe(false);
    expect(() => d.rsample(b.noise)).toThrow(NotReparameterizedError);
    expect(() => d.entropy()).toThrow(NoClosedFormError);
  });

  it('scalar components and batched mixtures broadcast; a Categorical works as the mixture', () => {
    const b = new Bench();
    const comp = new Normal(b.input('loc', [-1, 1, -2, 2], [2, 2]), 0.5); // batch [2], K = 2
    const d = new MixtureSameFamily(new Categorical(b.input('w', [0, 0])), comp);
    expect([d.batchShape, d.eventShape]).toEqual([[2], []]);
    const x = b.input('x', [0, 2, 1, 1], [2, 2]); // sampleShape [2]
    const lp = b.run1(d.logProb(x));
    const ref = (xv: number, a: number, c: number) =>
      lse([a, c].map((m) => Math.log(0.5) - 0.5 * ((xv - m) / 0.5) ** 2 - Math.log(0.5) - HALF_LOG_2PI));
    expectClose(lp, [ref(0, -1, 1), ref(2, -2, 2), ref(1, -1, 1), ref(1, -2, 2)], { rtol: 1e-6 }, 'logProb');
    expect(d.sample(b.noise, [3]).shape).toEqual([3, 2]);
  });

  it('rejects component counts and batch shapes that do not line up', () => {
    const b = new Bench();
    const comp = new Normal(b.input('loc', [0, 0, 0, 0, 0, 0], [2, 3]), 1).toEvent(1); // batch [2], event [3]
    expect(() => new MixtureSameFamily(b.input('w3', [0, 0, 0]), comp)).toThrow(
      /mixture has 3 categories but .* has 2 components/,
    );
    const scalarComp = new Normal(b.g.scalar(0), 1);
    expect(() => new MixtureSameFamily(b.input('w1', [0]), scalarComp)).toThrow(DistributionError);
    const comp2 = new Normal(b.input('loc2', [0, 0, 0, 0, 0, 0], [3, 2]), 1); // batch [3], K = 2
    expect(() => new MixtureSameFamily(b.input('w42', [0, 0, 0, 0, 0, 0, 0, 0], [4, 2]), comp2)).toThrow(
      /does not broadcast/,
    );
  });

  it('gradients of logProb match finite differences in logits, locs and scales', () => {
    expectGradMatchesFd(
      (b, [w, m, s]) =>
        new MixtureSameFamily(w!, new Normal(m!, s!).toEvent(1)).logProb(b.constant([0.5, -1, 2, 1], [2, 2])),
      [
        { name: 'w', values: [0.3, -0.2, 0.1] },
        { name: 'm', values: [0, 1, 1, -1, 2, 0.5], shape: [3, 2] },
        { name: 's', values: [1, 0.8, 1.2, 0.9, 1.5, 1], shape: [3, 2] },
      ],
    );
  });
});
