/**
 * Errors thrown by distributions. All extend {@link DistributionError}, so callers can catch the
 * family with one `instanceof`; each subclass says what was asked of which distribution.
 */
import { UserError } from '../errors/user-error';

/** Invalid arguments (shapes that do not broadcast, values outside a constraint) or an unsupported request. */
export class DistributionError extends UserError {
  override name = 'DistributionError';
  constructor(
    /** The distribution's kind, e.g. `'normal'`. */
    readonly distribution: string,
    detail: string,
  ) {
    super(`${distribution}: ${detail}`);
  }
}

/** `rsample` on a distribution that has no reparameterised sampler (e.g. Bernoulli). */
export class NotReparameterizedError extends DistributionError {
  override name = 'NotReparameterizedError';
  constructor(distribution: string) {
    super(distribution, 'has no reparameterised sampler (rsample); use sample, which is not differentiable');
  }
}

/** A property (entropy, mean, mode, variance) with no closed form or no definition for this distribution. */
export class NoClosedFormError extends DistributionError {
  override name = 'NoClosedFormError';
  constructor(
    distribution: string,
    readonly property: string,
  ) {
    super(distribution, `${property} has no closed form`);
  }
}

/** `kl(p, q)` for a pair with no registered closed form; the ELBO falls back to a Monte-Carlo estimate. */
export class KLNotImplemented extends DistributionError {
  override name = 'KLNotImplemented';
  constructor(
    readonly kindP: string,
    readonly kindQ: string,
    why = 'no closed form is registered',
  ) {
    super(kindP, `KL(${kindP} || ${kindQ}): ${why} (registerKL('${kindP}', '${kindQ}', fn) adds one)`);
  }
}
