import type { HostTensor, PRNGKey, VAE } from '@vae/core';
import type { OrtBackend } from '../backend/ort-backend';
import type { TrainProgress } from '../checkpoint/checkpoint';
import { elboPass, mean, type SplitInputs } from '../eval/evaluate';

/** The validation figures of one epoch, means over the held-out examples (nats per example). */
export interface ValidationFigures {
  /** ELBO (higher is better). */
  readonly elbo: number;
  /** Reconstruction log-likelihood. */
  readonly recon: number;
  readonly kl: number;
}

/** The validation pass at an epoch's end, with fixed data and noise so epochs and runs compare. */
export async function validationPass(
  backend: OrtBackend,
  vae: VAE,
  params: Record<string, HostTensor>,
  inputs: SplitInputs,
  noiseKey: PRNGKey,
): Promise<ValidationFigures> {
  const pass = await elboPass(backend, vae, params, inputs, noiseKey);
  return { elbo: mean(pass.elbo), recon: mean(pass.recon), kl: mean(pass.kl) };
}

/** The best-so-far record a checkpoint's progress keeps for early stopping. */
export type BestSoFar = Pick<TrainProgress, 'bestValElbo' | 'bestEpoch' | 'badEpochs'>;

/**
 * The record after epoch `epoch` (1-based) scored `valElbo`: a better ELBO becomes the best and
 * resets the count of epochs without improvement; anything else adds one to it.
 */
export function trackBest(b: BestSoFar, valElbo: number, epoch: number): BestSoFar & { improved: boolean } {
  if (b.bestValElbo === null || valElbo > b.bestValElbo)
    return { bestValElbo: valElbo, bestEpoch: epoch, badEpochs: 0, improved: true };
  return { bestValElbo: b.bestValElbo, bestEpoch: b.bestEpoch, badEpochs: b.badEpochs + 1, improved: false };
}

/**
 * Early stopping: `patience` epochs in a row without a better validation ELBO end the run, unless
 * the epochs done (`epochsDone`) are all it was asked for anyway. No patience, no early stop.
 */
export const stopsEarly = (
  patience: number | undefined,
  badEpochs: number,
  epochsDone: number,
  epochs: number,
): boolean => patience !== undefined && badEpochs >= patience && epochsDone < epochs;
