import type { PRNGKey } from '@vae/random';
import type { Backend } from '../backend/backend';
import { CORRUPTED_INPUT, sliceRows } from '../eval/eval-graphs';
import { elboPass, mean, type SplitInputs } from '../eval/evaluate';
import type { HostTensor } from '../ir/dtype';
import type { VAE } from '../models/index';
import type { TrainProgress } from './checkpoint';
import { ImageCorrupter } from './corrupt-images';

/** The validation figures of one epoch, means over the held-out examples (nats per example). */
export interface ValidationFigures {
  /** ELBO (higher is better). */
  readonly elbo: number;
  /** Reconstruction log-likelihood. */
  readonly recon: number;
  readonly kl: number;
}

/**
 * The validation pass at an epoch's end, with fixed data and noise so epochs and runs compare
 * (with {@link validationInputs}' `corrupted`, a denoising VAE's ELBO of x given x~).
 */
export async function validationPass(
  backend: Backend,
  vae: VAE,
  params: Record<string, HostTensor>,
  inputs: SplitInputs,
  noiseKey: PRNGKey,
): Promise<ValidationFigures> {
  const pass = await elboPass(backend, vae, params, inputs, noiseKey);
  return { elbo: mean(pass.elbo), recon: mean(pass.recon), kl: mean(pass.kl) };
}

/**
 * The validation inputs of a run: `inputs` as they are for a plain model; for a denoising VAE
 * (`spec.denoise`) also `corrupted`, x~ = x corrupted once by `spec.denoise` with the fixed key
 * `key` (example i from `fold(key, i)`, as `vae denoise` corrupts), so that validation scores the
 * denoising ELBO that training optimises (clean x scored, x~ encoded) on the same x~ every epoch.
 */
export async function validationInputs(
  backend: Backend,
  vae: VAE,
  inputs: SplitInputs,
  key: PRNGKey,
  chunk = 1000,
): Promise<SplitInputs> {
  const d = vae.spec.denoise;
  if (!d) return inputs;
  const x = inputs.x!;
  const n = x.shape[0]!;
  const corrupter = new ImageCorrupter(d, vae.spec.dataShape);
  const data = new Float32Array((x.data as Float32Array).length);
  const row = data.length / Math.max(n, 1);
  for (let from = 0; from < n; from += chunk) {
    const noisy = await corrupter.run(backend, sliceRows(x, from, Math.min(n, from + chunk)), key, from);
    data.set(noisy, from * row);
  }
  return { ...inputs, [CORRUPTED_INPUT]: { dtype: 'float32', shape: x.shape, data } };
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
