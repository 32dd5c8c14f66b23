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
 * logsumexp over axis 0 minus log K, for log-weights [K, N]: the IWAE bound from weights whose K may
 * be symbolic (an exported score graph takes any K). A known K gives exactly {@link iwaeBound}; a
 * symbolic one counts the rows in the graph.
 */
export function logMeanExp(logw: Tensor): Tensor {
  const k = logw.shape[0];
  if (typeof k === 'number') return logw.logSumExp([0]).sub(Math.log(k));
  const logK = logw.equal(logw).cast('float32').sum([0]).log();
  return logw.logSumExp([0]).sub(logK);
}

export { combineLogWeightChunks } from '../bundle/log-weights';
