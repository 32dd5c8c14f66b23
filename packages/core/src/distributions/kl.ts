/**
 * Closed-form KL divergences, looked up by the (kind, kind) pair of the two distributions
 * (torch's `register_kl`). The ELBO uses `kl` when `hasKL` says a pair is known and falls back
 * to a Monte-Carlo estimate otherwise. The built-in pairs are registered here, importing each
 * distribution's closed form, so no distribution module imports this one (no cycles).
 */
import { formatShape } from '../ir/shape';
import type { Tensor } from '../ir/tensor';
import { type Bernoulli, klBernoulliBernoulli } from './bernoulli';
import { type Categorical, klCategoricalCategorical } from './categorical';
import { type ContinuousBernoulli, klContinuousBernoulli } from './continuous-bernoulli';
import type { Distribution } from './distribution';
import { DistributionError, KLNotImplemented } from './errors';
import { type Independent, sumRightmost } from './independent';
import { klLaplaceLaplace, type Laplace } from './laplace';
import type { LogisticNormal } from './logistic-normal';
import { klNormalNormal, type Normal } from './normal';

/** A closed-form KL(p || q), shape: the broadcast of the two batch shapes. */
export type KLFn<P extends Distribution = Distribution, Q extends Distribution = Distribution> = (
  p: P,
  q: Q,
) => Tensor;

export { KLNotImplemented };

const registry = new Map<string, KLFn>();
const pairKey = (kindP: string, kindQ: string): string => `${kindP}\u0000${kindQ}`;

/**
 * Registers (or replaces) the closed form of KL(p || q) for distributions of kinds `kindP` and
 * `kindQ`; `fn` receives instances of those kinds.
 */
export function registerKL<P extends Distribution, Q extends Distribution>(
  kindP: P['kind'],
  kindQ: Q['kind'],
  fn: KLFn<P, Q>,
): void {
  registry.set(pairKey(kindP, kindQ), fn as KLFn);
}

/** True when `kl(p, q)` has a registered closed form for this pair of kinds. */
export function hasKL(p: Distribution, q: Distribution): boolean {
  if (p.kind === 'independent' && q.kind === 'independent') {
    const [ip, iq] = [p as Independent, q as Independent];
    return ip.reinterpreted === iq.reinterpreted && hasKL(ip.base, iq.base);
  }
  return registry.has(pairKey(p.kind, q.kind));
}

/**
 * KL(p || q) in nats, shape `batchShape` (broadcast), from the registry.
 * @throws KLNotImplemented when no closed form is registered for (p.kind, q.kind).
 * @throws DistributionError when the event shapes differ.
 */
export function kl(p: Distribution, q: Distribution): Tensor {
  const fn = registry.get(pairKey(p.kind, q.kind));
  if (!fn) throw new KLNotImplemented(p.kind, q.kind);
  const [ep, eq] = [p.eventShape, q.eventShape];
  if (ep.length !== eq.length || ep.some((d, i) => d !== eq[i])) {
    throw new DistributionError(
      p.kind,
      `KL(${p.kind} || ${q.kind}) needs equal event shapes, got ${formatShape(ep)} and ${formatShape(eq)}`,
    );
  }
  return fn(p, q);
}

registerKL<Normal, Normal>('normal', 'normal', klNormalNormal);
registerKL<Bernoulli, Bernoulli>('bernoulli', 'bernoulli', klBernoulliBernoulli);
registerKL<ContinuousBernoulli, ContinuousBernoulli>(
  'continuous_bernoulli',
  'continuous_bernoulli',
  klContinuousBernoulli,
);
registerKL<Categorical, Categorical>('categorical', 'categorical', klCategoricalCategorical);
registerKL<Laplace, Laplace>('laplace', 'laplace', klLaplaceLaplace);
// KL is invariant under a shared bijection: the stick-breaking map drops out.
registerKL<LogisticNormal, LogisticNormal>('logistic_normal', 'logistic_normal', (p, q) =>
  sumRightmost(klNormalNormal(p.base, q.base), 1),
);
// Independent || Independent: the base KL summed over the reinterpreted dims (torch requires equal counts).
registerKL<Independent, Independent>('independent', 'independent', (p, q) => {
  if (p.reinterpreted !== q.reinterpreted) {
    throw new KLNotImplemented(
      'independent',
      'independent',
      `reinterpreted dims differ (${p.reinterpreted} vs ${q.reinterpreted})`,
    );
  }
  return sumRightmost(kl(p.base, q.base), p.reinterpreted);
});
