/**
 * p(x|z) in JavaScript from decoder outputs, as the manifest describes it: log-likelihoods per
 * example (nats, normalising constants included) for `score`, and data-space values (mean or a
 * sample) for pictures and tables.
 */
import { type BundleData, type BundleLikelihood, normal, type PRNGKey, uniform } from '@vae/core';
import { InferError } from './errors';
import { cbLogNormalizer, cbMean, log1mExp, logSigmoid, normalLogPdf, sigmoid, softplus } from './math';

const prod = (xs: readonly number[]) => xs.reduce((p, d) => p * d, 1);

/** Values per example of the decoder output `params` for this likelihood. */
export function paramWidth(lik: BundleLikelihood, data: BundleData): number {
  if (lik.type === 'discretized-logistic') return 2 * prod(data.shape);
  if (lik.type === 'tabular')
    return lik.columns.reduce(
      (s, c) => s + (c.type === 'categorical' ? c.categories : c.type === 'continuous' ? 2 : 1),
      0,
    );
  return prod(data.shape);
}

/** log P(bin of x) of a logistic(loc, 1/inv) discretised on `bins` levels in [0, 1]. */
function dlLogMass(x: number, loc: number, logScale: number, bins: number): number {
  const h = 0.5 / (bins - 1);
  const inv = Math.exp(-logScale);
  const c = x - loc;
  if (x < h) return logSigmoid((c + h) * inv);
  if (x > 1 - h) return logSigmoid(-(c - h) * inv);
  return logSigmoid((c + h) * inv) + logSigmoid(-(c - h) * inv) + log1mExp(2 * h * inv);
}

/**
 * log p(x_i | params_r) for each decoded row r, in float64; row r is scored against data row
 * `xRow(r)` (and mask row, for tabular data: 1 observed, 0 missing).
 */
export function logLikelihood(
  lik: BundleLikelihood,
  data: BundleData,
  params: Float32Array,
  rows: number,
  x: Float32Array,
  xRow: (r: number) => number,
  mask?: Float32Array,
): Float64Array {
  const f = prod(data.shape);
  const p = paramWidth(lik, data);
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const po = r * p;
    const xo = xRow(r) * f;
    let s = 0;
    switch (lik.type) {
      case 'bernoulli':
      case 'continuous-bernoulli':
        for (let j = 0; j < f; j++) {
          const l = params[po + j]!;
          s += x[xo + j]! * l - softplus(l);
          if (lik.type === 'continuous-bernoulli') s += cbLogNormalizer(l);
        }
        break;
      case 'gaussian': {
        const ls = lik.logScale;
        for (let j = 0; j < f; j++)
          s += normalLogPdf(x[xo + j]!, params[po + j]!, Math.exp(typeof ls === 'number' ? ls : ls[j]!));
        break;
      }
      case 'discretized-logistic':
        for (let j = 0; j < f; j++)
          s += dlLogMass(x[xo + j]!, params[po + j]!, params[po + f + j]!, lik.bins);
        break;
      case 'tabular': {
        let xi = xo;
        let pi = po;
        const mo = xRow(r) * lik.columns.length;
        lik.columns.forEach((c, k) => {
          let lp: number;
          if (c.type === 'continuous') {
            lp = normalLogPdf(x[xi]!, params[pi]!, softplus(params[pi + 1]!) + lik.minScale);
          } else if (c.type === 'binary') {
            lp = x[xi]! * params[pi]! - softplus(params[pi]!);
          } else {
            const logits = params.subarray(pi, pi + c.categories);
            const max = Math.max(...logits);
            let z = 0;
            for (const l of logits) z += Math.exp(l - max);
            lp = 0;
            for (let q = 0; q < c.categories; q++) lp += x[xi + q]! * (logits[q]! - max - Math.log(z));
          }
          s += mask ? mask[mo + k]! * lp : lp;
          xi += c.type === 'categorical' ? c.categories : 1;
          pi += c.type === 'categorical' ? c.categories : c.type === 'continuous' ? 2 : 1;
        });
        break;
      }
    }
    out[r] = s;
  }
  return out;
}

/** Exact mean of the discretised logistic: 1 - (1/m) sum_k F(edge_k), m = bins - 1. */
function dlMean(loc: number, logScale: number, bins: number): number {
  const m = bins - 1;
  const inv = Math.exp(-logScale);
  let s = 0;
  for (let k = 0; k < m; k++) s += sigmoid(((k + 0.5) / m - loc) * inv);
  return 1 - s / m;
}

/**
 * Data-space values of `rows` decoded examples: the likelihood's mean (`mean`: Bernoulli
 * probabilities, Gaussian means, category probabilities) or one draw from it (`sample`, needs `key`).
 */
export function likelihoodValues(
  lik: BundleLikelihood,
  data: BundleData,
  params: Float32Array,
  opts: { mode?: 'mean' | 'sample'; key?: PRNGKey } = {},
): Float32Array {
  const f = prod(data.shape);
  const p = paramWidth(lik, data);
  if (params.length % p !== 0)
    throw new InferError(
      'input',
      `decoder output has ${params.length} values, not a multiple of ${p} per example`,
    );
  const rows = params.length / p;
  const sample = opts.mode === 'sample';
  if (sample && !opts.key) throw new InferError('input', "mode 'sample' needs a key");
  const u = sample ? uniform(opts.key!, rows * f, { low: 1e-7, high: 1 - 1e-7 }) : undefined;
  const eps =
    sample && (lik.type === 'gaussian' || lik.type === 'tabular') ? normal(opts.key!, rows * f) : undefined;
  const out = new Float32Array(rows * f);
  for (let r = 0; r < rows; r++) {
    const po = r * p;
    const o = r * f;
    if (lik.type === 'tabular') {
      tabularRow(lik, params, po, out, o, u, eps);
      continue;
    }
    for (let j = 0; j < f; j++) {
      const a = params[po + j]!;
      const uu = u?.[o + j] ?? 0.5;
      let v: number;
      if (lik.type === 'bernoulli') v = sample ? (uu < sigmoid(a) ? 1 : 0) : sigmoid(a);
      else if (lik.type === 'continuous-bernoulli')
        v = !sample ? cbMean(a) : Math.abs(a) < 1e-6 ? uu : Math.log1p(uu * Math.expm1(a)) / a;
      else if (lik.type === 'gaussian') {
        const ls = typeof lik.logScale === 'number' ? lik.logScale : lik.logScale[j]!;
        v = sample ? a + Math.exp(ls) * eps![o + j]! : a;
      } else {
        const ls = params[po + f + j]!;
        const m = lik.bins - 1;
        v = !sample
          ? dlMean(a, ls, lik.bins)
          : Math.min(m, Math.max(0, Math.floor((a + Math.exp(ls) * Math.log(uu / (1 - uu))) * m + 0.5))) / m;
      }
      out[o + j] = v;
    }
  }
  return out;
}

function tabularRow(
  lik: Extract<BundleLikelihood, { type: 'tabular' }>,
  params: Float32Array,
  po: number,
  out: Float32Array,
  o: number,
  u: Float32Array | undefined,
  eps: Float32Array | undefined,
): void {
  let pi = po;
  let xi = o;
  for (const c of lik.columns) {
    if (c.type === 'continuous') {
      const scale = softplus(params[pi + 1]!) + lik.minScale;
      out[xi] = params[pi]! + (eps ? scale * eps[xi]! : 0);
      pi += 2;
      xi += 1;
    } else if (c.type === 'binary') {
      const q = sigmoid(params[pi]!);
      out[xi] = u ? (u[xi]! < q ? 1 : 0) : q;
      pi += 1;
      xi += 1;
    } else {
      const logits = params.subarray(pi, pi + c.categories);
      const max = Math.max(...logits);
      const e = Array.from(logits, (l) => Math.exp(l - max));
      const z = e.reduce((a, b) => a + b, 0);
      let acc = 0;
      let pick = c.categories - 1;
      if (u)
        for (let q = 0; q < c.categories; q++)
          if (u[xi]! < (acc += e[q]! / z)) {
            pick = q;
            break;
          }
      for (let q = 0; q < c.categories; q++) out[xi + q] = u ? (q === pick ? 1 : 0) : e[q]! / z;
      pi += c.categories;
      xi += c.categories;
    }
  }
}
