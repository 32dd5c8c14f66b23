/**
 * Probability distributions as graph code (torch.distributions / NumPyro semantics) and the KL
 * registry. Explicit named exports only.
 * @packageDocumentation
 */
export { DistributionBase } from './base';
export { Bernoulli, klBernoulliBernoulli } from './bernoulli';
export { Categorical, klCategoricalCategorical } from './categorical';
export { ContinuousBernoulli, cbLogNormalizer, klContinuousBernoulli } from './continuous-bernoulli';
export type { DiscretizedLogisticOptions } from './discretized-logistic';
export { DiscretizedLogistic } from './discretized-logistic';
export type { Distribution } from './distribution';
export { DistributionError, KLNotImplemented, NoClosedFormError, NotReparameterizedError } from './errors';
export { Independent, sumRightmost } from './independent';
export type { KLFn } from './kl';
export { hasKL, kl, registerKL } from './kl';
export { klLaplaceLaplace, Laplace } from './laplace';
export { LogisticNormal } from './logistic-normal';
export { MixtureSameFamily } from './mixture-same-family';
export { klNormalNormal, Normal } from './normal';
export { SequenceCategorical } from './sequence-categorical';
export type { DistributionOptions, Param } from './validate';
export { getValidateArgs, setValidateArgs } from './validate';
