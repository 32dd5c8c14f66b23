/**
 * Small models for the probability-graph checks (core's bundle test and the playground's e2e score
 * fixtures): an MLP VAE per likelihood and prior, and a tabular one. Test-only.
 */
import { mlpVAE, tabularVAE } from '../models/builders';
import type { LikelihoodSpec, PriorSpec } from '../models/spec';
import type { VAE } from '../models/vae';

export const mog: PriorSpec = { type: 'mog', components: 3 };
export const vamp: PriorSpec = { type: 'vamp', pseudoInputs: 4 };
export const std: PriorSpec = { type: 'standard-normal' };

/** 12-8-3 MLP VAE with `likelihood` and `prior`, conditional on `condition` classes when given. */
export const mlpCase = (likelihood: LikelihoodSpec, prior: PriorSpec, condition?: number): VAE =>
  mlpVAE({
    inputSize: 12,
    hidden: [8],
    latent: 3,
    likelihood,
    prior,
    ...(condition ? { condition: { size: condition } } : {}),
  });

/** A tabular VAE over a continuous, a binary and a 3-way categorical column, with `prior`. */
export const tabularCase = (prior: PriorSpec): VAE =>
  tabularVAE(
    [
      { name: 'age', type: 'continuous' },
      { name: 'smoker', type: 'binary' },
      { name: 'colour', type: 'categorical', categories: 3 },
    ],
    { latent: 2, hidden: [6], prior },
  );
