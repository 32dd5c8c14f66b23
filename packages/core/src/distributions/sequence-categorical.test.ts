import { describe, expect, it } from 'vitest';
import { grad } from '../autodiff/grad';
import { interpret } from '../ir/interpret';
import { relError, runOrt } from '../testing/harness';
import { DistributionError, NoClosedFormError } from './errors';
import { SequenceCategorical } from './sequence-categorical';
import { Bench, expectClose } from './test-helpers';

const [N, L, V] = [2, 4, 3];
const f = Math.fround;
const logits = [
  [1, 2, 3],
  [0, 0, 0],
  [-80, 0, 80],
  [0.5, -1, 2],
  [1000, 0, -1000],
  [3, 3, 1],
  [-2, 0.25, 1],
  [7, -7, 0],
]
  .flat()
  .map(f);
const targets = [2, 0, 1, 2, 0, 1, -1, 5]; // example 1: steps 2 and 3 are padding, with out-of-range ids
const mask = [1, 1, 1, 1, 1, 1, 0, 0];

/** Float64 log-softmax of row `r` (N*L rows of V logits). */
function logSoftmax(r: number): number[] {
  const row = logits.slice(r * V, (r + 1) * V);
  const m = Math.max(...row);
  const lse = m + Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0));
  return row.map((v) => v - lse);
}

function bench() {
  const b = new Bench();
  const l = b.input('logits', logits, [N, L, V]);
  const m = b.input('mask', mask, [N, L]);
  return { b, l, m, d: new SequenceCategorical(l, m) };
}

describe('SequenceCategorical', () => {
  it('logProb is the float64 sum of log-softmax over the real steps only; entropy likewise', () => {
    const { b, d } = bench();
    expect(d.batchShape).toEqual([N]);
    expect(d.eventShape).toEqual([L]);
    const ids = b.ints('x', targets, [N, L]);
    const idsF = b.input('xf', targets, [N, L]);
    const [lp, lpF, h] = b.run([d.logProb(ids), d.logProb(idsF), d.entropy()]);
    const want = [0, 1].map((n) =>
      [0, 1, 2, 3].reduce(
        (s, t) => (mask[n * L + t] ? s + logSoftmax(n * L + t)[targets[n * L + t]!]! : s),
        0,
      ),
    );
    // float32 rounds logsumexp to ulp(max logit): 6e-5 at 1000
    expectClose(lp!, want, { rtol: 1e-6, atol: 1e-4 }, 'logProb int64');
    expectClose(lpF!, want, { rtol: 1e-6, atol: 1e-4 }, 'logProb float');
    const H = (r: number) => -logSoftmax(r).reduce((s, q) => s + Math.exp(q) * q, 0);
    const wantH = [0, 1].map((n) =>
      [0, 1, 2, 3].reduce((s, t) => (mask[n * L + t] ? s + H(n * L + t) : s), 0),
    );
    expectClose(h!, wantH, { rtol: 1e-5, atol: 1e-6 }, 'entropy');
  });

  it('gradient of logProb w.r.t. logits is mask * (onehot - softmax); same on onnxruntime-node', async () => {
    const { b, l, d } = bench();
    const ids = b.ints(
      'x',
      targets.map((t) => Math.max(0, Math.min(V - 1, t))),
      [N, L],
    );
    const lp = d.logProb(ids);
    const [dl] = grad(lp.sum(), [l]);
    const outs = [lp, dl!];
    const ours = interpret(b.g, outs, b.feeds);
    const got = Array.from(ours[1]!.data as Float32Array);
    const clamped = targets.map((t) => Math.max(0, Math.min(V - 1, t)));
    for (let r = 0; r < N * L; r++)
      for (let k = 0; k < V; k++) {
        const want = mask[r]! * ((clamped[r] === k ? 1 : 0) - Math.exp(logSoftmax(r)[k]!));
        expect(Math.abs(got[r * V + k]! - want), `row ${r} k ${k}`).toBeLessThan(1e-6);
      }
    const theirs = await runOrt(b.g, outs, b.feeds);
    ours.forEach((t, i) => expect(relError(theirs[i]!, t, 1e-2)).toBeLessThanOrEqual(1e-5));
  });

  it('without a mask every step counts; toEvent sums over the batch; typed errors', () => {
    const b = new Bench();
    const l = b.input('logits', logits, [N, L, V]);
    const d = new SequenceCategorical(l);
    const ids = b.ints(
      'x',
      targets.map((t) => Math.max(0, Math.min(V - 1, t))),
      [N, L],
    );
    const [lp, all] = b.run([d.logProb(ids), d.toEvent(1).logProb(ids)]);
    const want = [0, 1].map((n) =>
      [0, 1, 2, 3].reduce(
        (s, t) => s + logSoftmax(n * L + t)[Math.max(0, Math.min(V - 1, targets[n * L + t]!))]!,
        0,
      ),
    );
    expectClose(lp!, want, { rtol: 1e-6, atol: 1e-4 });
    expectClose(all!, [want[0]! + want[1]!], { rtol: 1e-6, atol: 1e-4 });
    expect(() => d.mean).toThrow(NoClosedFormError);
    expect(() => new SequenceCategorical(b.input('flat', [1, 2, 3], [3]))).toThrow(DistributionError);
    expect(() => new SequenceCategorical(l, b.input('m3', [1, 1, 1], [1, 3]))).toThrow(
      /mask must be float32 \[2, 4\]/,
    );
  });
});
