/**
 * Numerically careful building blocks the distributions share. ONNX has no log1p, expm1,
 * lgamma or erf, so functions that need them near a cancellation switch to a short Taylor series
 * with Where. Both branches of a Where are evaluated and both receive a (zero) cotangent, so each
 * branch is fed an input that is safe for it ("double where"): 0 * inf in a VJP would be NaN.
 */
import type { Graph } from '../ir/graph';
import type { Tensor } from '../ir/tensor';

/** `Where(cond, a, b)`; numbers become scalar constants. */
export function where(cond: Tensor, a: Tensor | number, b: Tensor | number): Tensor {
  const g = cond.graph;
  const t = (v: Tensor | number) => (typeof v === 'number' ? g.scalar(v) : v);
  return g.apply1('Where', [cond, t(a), t(b)]);
}

/** Evaluates `c0 + c1 x + c2 x^2 + ...` by Horner's rule. */
export function poly(x: Tensor, coeffs: readonly number[]): Tensor {
  const n = coeffs.length;
  if (n < 2) throw new RangeError('poly: give at least two coefficients');
  let acc = x.mul(coeffs[n - 1]!);
  for (let i = n - 2; i >= 1; i--) acc = acc.add(coeffs[i]!).mul(x);
  return coeffs[0] === 0 ? acc : acc.add(coeffs[0]!);
}

/** h when `t` is Exp(h), or Expand(Exp(h)) (then h expanded the same way); else undefined. Builds nothing otherwise. */
export function expArgument(t: Tensor): Tensor | undefined {
  const p = t.producer;
  if (p?.op === 'Exp') return p.inputs[0]!;
  const inner = p?.op === 'Expand' ? p.inputs[0]!.producer : undefined;
  if (inner?.op === 'Exp') return inner.inputs[0]!.expand(p!.inputs[1]!);
  return undefined;
}

/**
 * log(t) without a round trip through exp: when `t` was built as Exp(h) (as `fromLogVar` and
 * encoders that output a log-scale do), returns h itself, so tiny or huge scales keep full precision.
 */
export const logOfPositive = (t: Tensor): Tensor => expArgument(t) ?? t.log();

/**
 * softplus(x) = log(1 + exp(x)), stable in both tails; its gradient is sigmoid(x), exact at x = 0
 * (1/2), which matters for logits that are exactly 0, as after a zero-initialised output layer.
 */
export const softplus = (x: Tensor): Tensor => x.softplus();

/** log(sigmoid(x)) = -softplus(-x), exact in both tails. */
export const logSigmoid = (x: Tensor): Tensor => softplus(x.neg()).neg();

/**
 * Switches between a small-|x| series and a direct formula: `series` only ever sees |x| < cut
 * (else `seriesSafe`) and `direct` only sees |x| >= cut (else `directSafe`), so neither branch
 * makes a NaN gradient where it is not selected.
 */
export function smallBranch(
  x: Tensor,
  cut: number,
  series: (x: Tensor) => Tensor,
  direct: (x: Tensor) => Tensor,
  { seriesSafe = 0, directSafe = cut }: { seriesSafe?: number; directSafe?: number } = {},
): Tensor {
  const small = x.abs().less(cut);
  return where(small, series(where(small, x, seriesSafe)), direct(where(small, directSafe, x)));
}

/**
 * log(1 - exp(-d)) for d > 0 without cancellation: for d < 0.5 it is
 * log d - d/2 + d^2/24 - d^4/2880 + d^6/181440 (truncation < 1e-9), else direct.
 */
export const log1mExp = (d: Tensor): Tensor =>
  smallBranch(
    d,
    0.5,
    (s) =>
      s
        .log()
        .sub(s.mul(0.5))
        .add(poly(s.square(), [0, 1 / 24, -1 / 2880, 1 / 181440])),
    (s) => s.neg().exp().rsub(1).log(),
    { seriesSafe: 0.25 },
  );

/** Open unit interval: uniform noise from [0, 1) clipped to [2^-24, 1 - 2^-24] so logs stay finite. */
export const openUnit = (u: Tensor): Tensor => u.clip(2 ** -24, 1 - 2 ** -24);

/** Standard logistic draw logit(u) = log u - log(1 - u) from uniform noise. */
export const logisticFromUniform = (u: Tensor): Tensor => {
  const v = openUnit(u);
  return v.log().sub(v.rsub(1).log());
};

/** Standard Gumbel draw -log(-log u) from uniform noise. */
export const gumbelFromUniform = (u: Tensor): Tensor => openUnit(u).log().neg().log().neg();

/** float32 [0, 1, ..., n-1] as a constant. */
export function arange(g: Graph, n: number, dtype: 'float32' | 'int64' = 'float32'): Tensor {
  if (dtype === 'int64')
    return g.constant({ dtype, shape: [n], data: BigInt64Array.from({ length: n }, (_, i) => BigInt(i)) });
  return g.constant({ dtype, shape: [n], data: Float32Array.from({ length: n }, (_, i) => i) });
}

/**
 * Index of the largest entry along the last axis (the first one on ties), as float32. ONNX has
 * ArgMax but the IR does not: a mask Equal(x, ReduceMax(x)) picks the maxima and a second
 * ReduceMax over the negated masked indices picks the first of them, so ties never sum indices.
 */
export function argmaxLast(x: Tensor): Tensor {
  const k = x.shape[x.rank - 1] as number;
  const isMax = x.equal(x.max([-1], true));
  return where(isMax, arange(x.graph, k).neg(), -k).max([-1]).neg();
}

/** Boolean one-hot mask of `index` (float32 or int64 values 0..k-1) on a new last axis of size k. */
export function oneHotMask(index: Tensor, k: number): Tensor {
  const ar = arange(index.graph, k, index.dtype === 'int64' ? 'int64' : 'float32');
  return index.unsqueeze([-1]).equal(ar);
}
