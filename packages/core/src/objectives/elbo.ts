import type { Distribution } from '../distributions/distribution';
import { KLNotImplemented, kl } from '../distributions/kl';
import type { Shape } from '../ir/shape';
import type { Tensor } from '../ir/tensor';
import type { NoiseSource } from '../random/noise';

export interface ElboInput {
  /** q(z|x): batch shape [N], event shape [D] (e.g. `Normal(mu, sigma).toEvent(1)`). */
  posterior: Distribution;
  /** p(z): batch shape [] or [N], event shape [D]. */
  prior: Distribution;
  /** p(x|z) for z of shape [k, N, D]: batch shape [k, N], event shape = data shape. */
  likelihood: (z: Tensor) => Distribution;
  /** Data, [N, ...eventShape]. */
  x: Tensor;
  noise: NoiseSource;
  /** Monte-Carlo samples of z per example (default 1). */
  particles?: number;
  /** Weight of the KL term in the training objective (beta-VAE, KL warm-up); default 1. */
  beta?: number | Tensor;
  /**
   * Free bits (Kingma et al. 2016): per-latent-dimension floor, in nats, on the batch-averaged
   * KL of each dimension in the training objective. Needs an analytic, per-dimension KL.
   */
  freeBits?: number;
  /** 'auto' (default): analytic KL when registered, else Monte Carlo; or force either. */
  klEstimator?: 'auto' | 'analytic' | 'mc';
}

export interface ElboTerms {
  /** Per-example ELBO in nats, [N]: recon - kl (beta = 1, no free bits): a bound on log p(x). */
  elbo: Tensor;
  /** Per-example E_q[log p(x|z)], [N]. */
  recon: Tensor;
  /** Per-example KL(q(z|x) || p(z)), [N] (analytic or Monte-Carlo). */
  kl: Tensor;
  /** Scalar to minimise: -(mean recon - beta * KL term), with free bits if asked. */
  loss: Tensor;
  /** The z samples used, [k, N, D]. */
  z: Tensor;
}

/** Per-dimension KL [N, D] when the posterior and prior factorise over dims and a base KL is registered. */
export function klPerDimension(posterior: Distribution, prior: Distribution): Tensor {
  const base = (d: Distribution) => (d as Distribution & { base?: Distribution }).base;
  const q = base(posterior);
  const p = base(prior);
  if (!q || !p) throw new KLNotImplemented(posterior.kind, prior.kind);
  return kl(q, p);
}

function analyticKL(posterior: Distribution, prior: Distribution): Tensor | null {
  try {
    return kl(posterior, prior);
  } catch (e) {
    if (e instanceof KLNotImplemented) return null;
    throw e;
  }
}

/**
 * The evidence lower bound and its training variants, per example in nats. Uses the analytic KL
 * when one is registered for (posterior, prior) and a Monte-Carlo estimate otherwise (as Pyro's
 * TraceMeanField_ELBO does).
 */
export function elbo(input: ElboInput): ElboTerms {
  const { posterior: q, prior: p, x, noise } = input;
  const k = input.particles ?? 1;
  const sampleShape: Shape = [k];
  const z = q.rsample(noise, sampleShape);
  const recon = input.likelihood(z).logProb(x).mean([0]);
  const mode = input.klEstimator ?? 'auto';
  let klTerm = mode === 'mc' ? null : analyticKL(q, p);
  if (!klTerm && mode === 'analytic') throw new KLNotImplemented(q.kind, p.kind);
  if (!klTerm) klTerm = q.logProb(z).sub(p.logProb(z)).mean([0]);
  const beta = input.beta ?? 1;
  let penalty: Tensor;
  if (input.freeBits !== undefined) {
    const perDim = klPerDimension(q, p).mean([0]);
    penalty = perDim.maximum(input.freeBits).sum();
  } else penalty = klTerm.mean();
  const weighted = typeof beta === 'number' && beta === 1 ? penalty : penalty.mul(beta);
  return { elbo: recon.sub(klTerm), recon, kl: klTerm, loss: weighted.sub(recon.mean()), z };
}
