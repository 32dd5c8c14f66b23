import { describe, expect, it } from 'vitest';
import { Categorical } from './categorical';
import { NoClosedFormError, NotReparameterizedError } from './errors';
import { Bench, expectClose, expectGradMatchesFd } from './test-helpers';

const f = Math.fround;
/** Float64 log-softmax of one row. */
function logSoftmax(row: readonly number[]): number[] {
  const m = Math.max(...row);
  const lse = m + Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0));
  return row.map((v) => v - lse);
}

const rows = [
  [0, 0, 0, 0],
  [1, 2, 3, 4],
  [-80, 0, 80, 1],
  [1000, 0, -1000, 999],
  [-1e-6, 1e-6, 0.5, -0.5],
].map((r) => r.map(f));

describe('Categorical', () => {
  it('log-mass of every index matches a float64 log-softmax, extreme logits included', () => {
    const b = new Bench();
    const d = new Categorical(b.input('l', rows.flat(), [5, 4]));
    expect(d.batchShape).toEqual([5]);
    expect(d.eventShape).toEqual([]);
    for (let k = 0; k < 4; k++) {
      const idx = b.ints(`i${k}`, [k, k, k, k, k]);
      const idxF = b.input(`f${k}`, [k, k, k, k, k]);
      const [li, lf] = b.run([d.logProb(idx), d.logProb(idxF)]);
      rows.forEach((r, i) => {
        // float32 rounds logsumexp to ulp(max logit): 6e-5 at 1000
        const tol = { rtol: 1e-6, atol: 1e-7 * Math.max(1, ...r.map(Math.abs)) };
        const want = [logSoftmax(r)[k]!];
        expectClose([li![i]!], want, tol, `logProb int64 row ${i} k=${k}`);
        expectClose([lf![i]!], want, tol, `logProb float row ${i} k=${k}`);
      });
    }
  });

  it('entropy and mode match float64; mean and variance are undefined', () => {
    const b = new Bench();
    const d = new Categorical(b.input('l', [...rows.flat(), 3, 3, 1, 3], [6, 4]));
    const [h, mode] = b.run([d.entropy(), d.mode]);
    const all = [...rows, [3, 3, 1, 3]];
    const H = (r: number[]) => -logSoftmax(r).reduce((s, lp) => s + Math.exp(lp) * lp, 0);
    all.forEach((r, i) => {
      const atol = 1e-7 * Math.max(1, ...r.map(Math.abs));
      expectClose([h![i]!], [H(r)], { rtol: 1e-6, atol }, `entropy row ${i}`);
    });
    // first index on ties: the uniform row gives 0, [3, 3, 1, 3] gives 0
    expectClose(mode!, [0, 3, 2, 0, 2, 0], {}, 'mode');
    expect(() => d.mean).toThrow(NoClosedFormError);
    expect(() => d.variance).toThrow(NoClosedFormError);
  });

  it('Gumbel-max sample frequencies match softmax(logits) (1e5 draws, 5 standard errors)', () => {
    const S = 100_000;
    const logits = [
      [0, 1, 2],
      [-1, -1, 3],
    ];
    const b = new Bench();
    const d = new Categorical(b.input('l', logits.flat(), [2, 3]));
    const s = d.sample(b.noise, [S]);
    expect(s.dtype).toBe('int64');
    expect(s.shape).toEqual([S, 2]);
    const draws = b.run1(s, 9);
    logits.forEach((row, i) => {
      const p = logSoftmax(row).map(Math.exp);
      const counts = [0, 0, 0];
      for (let j = i; j < draws.length; j += 2) counts[draws[j]!]! += 1;
      p.forEach((pk, k) => {
        expect(Math.abs(counts[k]! / S - pk)).toBeLessThan(5 * Math.sqrt((pk * (1 - pk)) / S));
      });
    });
    expect(() => d.rsample(b.noise)).toThrow(NotReparameterizedError);
  });

  it('gradients of logProb and entropy match finite differences', () => {
    const l = { name: 'l', values: [0.3, -1, 2, 0.5, 0.5, -0.2], shape: [2, 3] };
    expectGradMatchesFd(
      (b, [lv]) =>
        new Categorical(lv!).logProb(
          b.g.constant({ dtype: 'int64', shape: [2], data: BigInt64Array.of(2n, 0n) }),
        ),
      [l],
    );
    expectGradMatchesFd((_b, [lv]) => new Categorical(lv!).entropy(), [l]);
  });
});
