import type { Distribution } from '../distributions/distribution';
import type { Tensor } from '../ir/tensor';
import type { NoiseSource } from '../random/noise';

export interface ImportanceInput {
  posterior: Distribution;
  prior: Distribution;
  likelihood: (z: Tensor) => Distribution;
  x: Tensor;
  noise: NoiseSource;
  /** Importance samples per example. */
  samples: number;
}

/** log w_k = log p(x|z_k) + log p(z_k) - log q(z_k|x) for z_k ~ q, shape [k, N]. */
export function logImportanceWeights(input: ImportanceInput): Tensor {
  const z = input.posterior.rsample(input.noise, [input.samples]);
  return input.likelihood(z).logProb(input.x).add(input.prior.logProb(z)).sub(input.posterior.logProb(z));
}

/**
 * The IWAE bound (Burda et al. 2016) per example in nats, [N]: logsumexp_k log w_k - log k.
 * With k = 1 it is the ELBO with a Monte-Carlo KL; it tightens as k grows, and with large k it is
 * the importance-sampled estimate of log p(x) used for test NLL.
 */
export function iwaeBound(input: ImportanceInput): Tensor {
  return logImportanceWeights(input).logSumExp([0]).sub(Math.log(input.samples));
}

/**
 * Combines chunks of log-weights (each [k_i, N], flattened row-major) computed in separate runs into
 * log p(x) ~ logsumexp over all K weights - log K, per example, in float64. This is how a backend
 * evaluates K = 1000+ importance samples with bounded memory.
 */
export function combineLogWeightChunks(
  chunks: readonly { k: number; data: ArrayLike<number> }[],
  n: number,
): Float64Array {
  const max = new Float64Array(n).fill(Number.NEGATIVE_INFINITY);
  for (const c of chunks) for (let i = 0; i < c.k * n; i++) max[i % n] = Math.max(max[i % n]!, c.data[i]!);
  const sum = new Float64Array(n);
  let total = 0;
  for (const c of chunks) {
    total += c.k;
    for (let i = 0; i < c.k * n; i++) sum[i % n]! += Math.exp(c.data[i]! - max[i % n]!);
  }
  return Float64Array.from(sum, (s, j) => max[j]! + Math.log(s) - Math.log(total));
}
