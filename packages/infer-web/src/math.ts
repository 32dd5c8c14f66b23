/** Scalar float64 helpers for log-densities, written to stay finite for large |x|. */

export const LOG_2PI = Math.log(2 * Math.PI);

/** log(1 + e^x). */
export const softplus = (x: number): number => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));

/** log sigmoid(x) = -softplus(-x). */
export const logSigmoid = (x: number): number => -softplus(-x);

export const sigmoid = (x: number): number =>
  x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));

/** log(1 - e^-a) for a > 0 (Maechler's switch at log 2). */
export const log1mExp = (a: number): number =>
  a < Math.LN2 ? Math.log(-Math.expm1(-a)) : Math.log1p(-Math.exp(-a));

/** log N(x; loc, scale). */
export const normalLogPdf = (x: number, loc: number, scale: number): number => {
  const u = (x - loc) / scale;
  return -0.5 * u * u - Math.log(scale) - 0.5 * LOG_2PI;
};

/** log C(l) of the continuous Bernoulli in logits: log(l / tanh(l / 2)), a series near 0. */
export const cbLogNormalizer = (l: number): number => {
  const a = Math.abs(l);
  if (a < 0.1) return Math.LN2 + (a * a) / 12 - (7 * a ** 4) / 1440;
  return Math.log(a / Math.tanh(a / 2));
};

/** Mean of the continuous Bernoulli in logits: (1/tanh(l/2) - 2/l) / 2 + 1/2, a series near 0. */
export const cbMean = (l: number): number => {
  if (Math.abs(l) < 1e-3) return 0.5 + l / 12;
  return 0.5 * (1 / Math.tanh(l / 2) - 2 / l) + 0.5;
};

/** log sum exp of `xs[offset + i * stride]`, i < n. */
export function logSumExp(xs: ArrayLike<number>, n: number, offset = 0, stride = 1): number {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) max = Math.max(max, xs[offset + i * stride]!);
  if (!Number.isFinite(max)) return max;
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.exp(xs[offset + i * stride]! - max);
  return max + Math.log(s);
}
