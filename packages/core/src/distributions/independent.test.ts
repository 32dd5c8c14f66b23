import { describe, expect, it } from 'vitest';
import { Bernoulli } from './bernoulli';
import { DistributionError, NotReparameterizedError } from './errors';
import { Independent } from './independent';
import { Normal } from './normal';
import { Bench, expectClose, expectGradMatchesFd } from './test-helpers';

describe('Independent (toEvent)', () => {
  it('moves batch dims into the event and sums logProb and entropy over them', () => {
    const b = new Bench();
    const loc = b.input('loc', [0, 1, 2, 3, 4, 5], [2, 3]);
    const scale = b.input('scale', [1, 2, 3, 0.5, 0.25, 4], [2, 3]);
    const base = new Normal(loc, scale);
    const d1 = base.toEvent(1);
    const d2 = base.toEvent(2);
    const d0 = base.toEvent(0);
    expect(d1).toBeInstanceOf(Independent);
    expect([d1.batchShape, d1.eventShape]).toEqual([[2], [3]]);
    expect([d2.batchShape, d2.eventShape]).toEqual([[], [2, 3]]);
    expect([d0.batchShape, d0.eventShape]).toEqual([[2, 3], []]);
    expect(d1.toEvent(1).eventShape).toEqual([2, 3]);
    const x = b.input('x', [0.5, -1, 2, 3, 4.1, 0], [2, 3]);
    const [lpBase, lp1, lp2, lp0, hBase, h1, h2, m1, v1] = b.run([
      base.logProb(x),
      d1.logProb(x),
      d2.logProb(x),
      d0.logProb(x),
      base.entropy(),
      d1.entropy(),
      d2.entropy(),
      d1.mean,
      d1.variance,
    ]);
    const rowSums = (v: number[]) => [v[0]! + v[1]! + v[2]!, v[3]! + v[4]! + v[5]!];
    expectClose(lp1!, rowSums(lpBase!), { rtol: 1e-6 }, 'logProb toEvent(1)');
    expectClose(lp2!, [lpBase!.reduce((s, v) => s + v, 0)], { rtol: 1e-6 }, 'logProb toEvent(2)');
    expectClose(lp0!, lpBase!, {}, 'logProb toEvent(0)');
    expectClose(h1!, rowSums(hBase!), { rtol: 1e-6 }, 'entropy toEvent(1)');
    expectClose(h2!, [hBase!.reduce((s, v) => s + v, 0)], { rtol: 1e-6 }, 'entropy toEvent(2)');
    expectClose(m1!, [0, 1, 2, 3, 4, 5], {}, 'mean');
    expectClose(v1!, [1, 4, 9, 0.25, 0.0625, 16], {}, 'variance');
  });

  it('samples like its base, keeps hasRsample, and rejects impossible reinterpretations', () => {
    const b = new Bench();
    const base = new Normal(b.input('loc', [0, 0, 0]), 1);
    const d = base.toEvent(1);
    expect(d.hasRsample).toBe(true);
    expect(d.rsample(b.noise, [5]).shape).toEqual([5, 3]);
    const bern = new Bernoulli(b.input('l', [0, 1])).toEvent(1);
    expect(bern.hasRsample).toBe(false);
    expect(() => bern.rsample(b.noise)).toThrow(NotReparameterizedError);
    expect(bern.sample(b.noise, [4]).shape).toEqual([4, 2]);
    expect(() => base.toEvent(2)).toThrow(DistributionError);
    expect(() => d.toEvent(1)).toThrow(/cannot reinterpret 2 dims of normal with batch rank 1/);
    expect(() => d.toEvent(-1)).toThrow(DistributionError);
  });

  it('gradients flow through the sums', () => {
    const loc = { name: 'loc', values: [0.1, -0.3, 0.5, 1], shape: [2, 2] };
    const scale = { name: 'scale', values: [1, 0.7, 1.3, 2], shape: [2, 2] };
    expectGradMatchesFd(
      (b, [m, s]) => new Normal(m!, s!).toEvent(1).logProb(b.constant([1, 0, -1, 2], [2, 2])),
      [loc, scale],
    );
  });
});
