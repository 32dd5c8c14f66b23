import { dataKey, fold, foldIn, key } from '@vae/random';
import type { HostTensor } from '../ir/dtype';
import type { VAE } from '../models/index';
import type { Optimizer } from '../optim/index';
import type { Checkpoint, TrainProgress } from './checkpoint';
import type { StepCall, StepPosition } from './step-loop';

// What a training run takes, reports while it runs, and returns: shared by `trainLoop` and the
// trainers built on it (`train` in @vae/train-node, the browser trainer).

/** The recipe of a run. Randomness comes from `seed` alone: same seed, same data, same weights. */
export interface TrainRecipe {
  readonly vae: VAE;
  readonly optimizer: Optimizer;
  readonly epochs: number;
  readonly batchSize: number;
  readonly seed: number;
  /** KL weight after warm-up (default 1) and warm-up length in epochs (linear from 0; default 0). */
  readonly beta?: number;
  readonly warmupEpochs?: number;
  readonly freeBits?: number;
  readonly particles?: number;
  readonly iwae?: number;
  readonly clip?: number;
  /** Optimisation steps per backend call (an ONNX Loop); default {@link defaultStepsPerRun}. */
  readonly stepsPerRun?: number;
  /** Stop after this many epochs without a better validation ELBO (default: never). */
  readonly patience?: number;
  /** Continue from this checkpoint (its weights, optimizer state and progress). */
  readonly resumeFrom?: Checkpoint;
  readonly onProgress?: (p: ProgressEvent) => void;
  /**
   * Stops training at the next step boundary once aborted (e.g. on Ctrl-C): the progress since the
   * last checkpoint is saved and training returns with `progress.finished` null.
   */
  readonly signal?: AbortSignal;
}

/** Progress of a run, sent after every backend call and once more at each epoch's end. */
export interface ProgressEvent {
  readonly epoch: number;
  readonly stepInEpoch: number;
  readonly stepsPerEpoch: number;
  readonly step: number;
  /** Mean training loss over the epoch so far (nats per example). */
  readonly runningLoss: number;
  readonly samplesPerSecond: number;
  /** Set at the end of an epoch. */
  readonly valElbo?: number;
  /** True on the one event of each epoch sent after its validation and checkpoint. */
  readonly epochEnd?: boolean;
}

/**
 * One backend call as a caller sees it (`TrainLoopOptions.onCall`): where it started, and what it
 * did (its per-step `loss`, `recon`, `kl` [steps], new weights and optimizer state, seconds).
 */
export type CallListener = (call: StepCall, at: StepPosition) => void;

/** What a run returns. */
export interface TrainResult {
  readonly params: Record<string, HostTensor>;
  readonly state: Record<string, HostTensor>;
  /** Best validation weights (the final ones without validation data). */
  readonly best: Record<string, HostTensor>;
  readonly progress: TrainProgress;
  readonly samplesPerSecond: number;
  readonly trainSeconds: number;
}

/**
 * Steps per backend call unless asked otherwise: as many as keep one call's data inputs within
 * 32 MiB, at most 64. Each call costs a fixed amount besides its steps (weights and optimizer
 * state copied in and out, feeds prepared): on the 784-400-20 MLP at batch 128, 64 steps per call
 * trained 3-6% faster than 16; 128 was no faster than 64 (bench/train and paired A/B runs).
 */
export function defaultStepsPerRun(batchSize: number, exampleSize: number): number {
  const bytesPerStep = batchSize * exampleSize * 4;
  return Math.max(1, Math.min(64, Math.floor((32 * 2 ** 20) / bytesPerStep)));
}

/**
 * Keys of the run's random streams, all derived from the seed. `valCorruption`, a denoising run's
 * fixed corruption of its validation split (`validationInputs`), is its own stream: never the
 * training steps' noise. (`shuffle` and `binarize` are data keys: `@vae/random`'s `dataKey` and
 * `foldIn`, which `@vae/datasets` re-exports.)
 */
export const runKeys = (seed: number) => ({
  init: fold(key(seed), 0),
  noise: fold(key(seed), 1),
  shuffle: foldIn(dataKey(seed), 2),
  binarize: foldIn(dataKey(seed), 3),
  valCorruption: fold(key(seed), 4),
});

/** Fixed keys for evaluation data and noise, so validation numbers compare across epochs and runs. */
export const EVAL_SEED = 1234;
