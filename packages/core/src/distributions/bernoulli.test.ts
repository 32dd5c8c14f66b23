import { describe, expect, it } from 'vitest';
import { grad } from '../autodiff/grad';
import { runOrt } from '../testing/harness';
import { Bernoulli } from './bernoulli';
import { NotReparameterizedError } from './errors';
import {
  Bench,
  column,
  expectClose,
  expectCloseAll,
  expectGradMatchesFd,
  meanAndError,
} from './test-helpers';

const f = Math.fround;
/** Float64 log sigmoid, exact in both tails. */
const logSig = (l: number) => (l >= 0 ? -Math.log1p(Math.exp(-l)) : l - Math.log1p(Math.exp(l)));
const sig = (l: number) => Math.exp(logSig(l));

const logits = [-80, -20, -3, -0.5, 0, 1e-6, 0.7, 4, 20, 80];

describe('Bernoulli', () => {
  it('log-mass at x = 0 and 1 matches log sigmoid(+-l), logits up to +-80', () => {
    const b = new Bench();
    const l = b.input('l', [...logits, ...logits]);
    const x = b.input('x', [...logits.map(() => 1), ...logits.map(() => 0)]);
    const lp = b.run1(new Bernoulli(l).logProb(x));
    const want = [...logits.map((v) => logSig(f(v))), ...logits.map((v) => logSig(-f(v)))];
    // softplus is log(1 + exp(-|l|)) in float32: absolute error below 6e-8, never log(0) or NaN.
    expectClose(lp, want, { rtol: 1e-6, atol: 1e-7 }, 'logProb');
    expect(lp.every(Number.isFinite)).toBe(true);
  });

  it('toEvent(1).logProb sums x l - softplus(l) per row, on the interpreter and on onnxruntime', async () => {
    // 3 rows of 784 logits in [-30, 30]; onnxruntime runs the fused softplus sum (chunk products).
    const b = new Bench();
    const lv = Array.from({ length: 3 * 784 }, (_, i) => (((i * 53) % 601) - 300) / 10);
    const xv = lv.map((_, i) => ((i * 7) % 3 === 0 ? 1 : (i % 5) / 4));
    const l = b.input('l', lv, [3, 784]);
    const x = b.input('x', xv, [3, 784]);
    const lp = new Bernoulli(l).toEvent(1).logProb(x);
    const want = [0, 1, 2].map((r) => {
      let acc = 0;
      for (let j = 0; j < 784; j++) {
        const [lj, xj] = [f(lv[r * 784 + j]!), f(xv[r * 784 + j]!)];
        acc += xj * lj + logSig(-lj); // x l - softplus(l), as softplus(l) = -log sigmoid(-l)
      }
      return acc;
    });
    expectClose(b.run1(lp), want, { rtol: 1e-6, atol: 1e-4 }, 'interpreter');
    const [ort] = await runOrt(b.g, [lp], b.feeds);
    expectClose(Array.from(ort!.data as Float32Array), want, { rtol: 2e-7, atol: 1e-4 }, 'onnxruntime'); // float32 sums of 784 terms
  });

  it('entropy, mean, variance, mode match float64 closed forms', () => {
    const b = new Bench();
    const d = new Bernoulli(b.input('l', logits));
    const [h, m, v, mode, p] = b.run([d.entropy(), d.mean, d.variance, d.mode, d.probs]);
    const H = (l: number) => -(sig(l) * logSig(l) + sig(-l) * logSig(-l));
    expectCloseAll({
      entropy: [h, logits.map((l) => H(f(l))), { rtol: 1e-5, atol: 1e-7 }],
      mean: [m, logits.map((l) => sig(f(l))), { rtol: 1e-6, atol: 1e-30 }],
      probs: [p, logits.map((l) => sig(f(l))), { rtol: 1e-6, atol: 1e-30 }],
      variance: [v, logits.map((l) => sig(f(l)) * sig(-f(l))), { rtol: 1e-5, atol: 1e-30 }],
      mode: [mode, logits.map((l) => (l > 0 ? 1 : 0))],
    });
  });

  it('fractional targets give the cross-entropy; fromProbs round-trips', () => {
    const b = new Bench();
    const d = Bernoulli.fromProbs(b.input('p', [0.1, 0.5, 0.9, 0, 1]));
    const lp = b.run1(d.logProb(b.input('x', [0.3, 0.5, 1, 0, 1])));
    const ce = (p: number, x: number) => x * Math.log(p) + (1 - x) * Math.log1p(-p);
    expectClose(lp.slice(0, 3), [ce(f(0.1), f(0.3)), ce(0.5, 0.5), ce(f(0.9), 1)], { rtol: 1e-5 });
    // probabilities 0 and 1 are clamped to 2^-23 from the ends (torch's clamp_probs)
    expectClose(lp.slice(3), [Math.log1p(-(2 ** -23)), Math.log1p(-(2 ** -23))], { rtol: 1e-3, atol: 1e-6 });
  });

  it('sample frequencies match sigmoid(logits); rsample throws', () => {
    const S = 100_000;
    const ls = [-2, 0, 3];
    const b = new Bench();
    const d = new Bernoulli(b.input('l', ls));
    const draws = b.run1(d.sample(b.noise, [S]), 5);
    expect(draws.every((v) => v === 0 || v === 1)).toBe(true);
    ls.forEach((l, i) => {
      const { mean, se } = meanAndError(column(draws, 3, i));
      expect(Math.abs(mean - sig(l))).toBeLessThan(5 * se);
    });
    expect(d.hasRsample).toBe(false);
    expect(() => d.rsample(b.noise)).toThrow(NotReparameterizedError);
  });

  it('the logProb gradient is x - sigmoid(l), also at logits exactly 0', () => {
    const b = new Bench();
    const l = b.input('l', [0, 0, -1, 3]);
    const x = b.constant([1, 0, 1, 0]);
    const [g] = grad(new Bernoulli(l).logProb(x).sum(), [l]);
    expectClose(b.run1(g!), [0.5, -0.5, 1 - sig(-1), -sig(3)], { rtol: 1e-6 });
  });

  it('gradients of logProb and entropy match finite differences', () => {
    const l = { name: 'l', values: [-3, -0.4, 0.2, 2.5] };
    const x = { name: 'x', values: [1, 0, 0.3, 1] };
    expectGradMatchesFd((_b, [lv, xv]) => new Bernoulli(lv!).logProb(xv!), [l, x]);
    expectGradMatchesFd((_b, [lv]) => new Bernoulli(lv!).entropy(), [l]);
    expectGradMatchesFd(
      (_b, [p]) => Bernoulli.fromProbs(p!).logProb(_b.constant([1, 0, 1, 0])),
      [{ name: 'p', values: [0.2, 0.5, 0.7, 0.9] }],
    );
  });
});
