import type { HostTensor, Optimizer, VAE } from '@vae/core';
import type { Dataset } from '@vae/datasets';
import type { OrtBackend } from '../backend/ort-backend';
import type { Checkpoint, TrainProgress } from '../checkpoint/checkpoint';
import type { FeedSpec } from './feeder';

// What `train` takes, reports while it runs, and returns.

/** Everything `train` needs. Randomness comes from `seed` alone: same seed, same data, same weights. */
export interface TrainOptions {
  readonly vae: VAE;
  readonly optimizer: Optimizer;
  readonly train: Dataset;
  /** Held-out data for the per-epoch validation ELBO and early stopping. */
  readonly val?: Dataset;
  readonly epochs: number;
  readonly batchSize: number;
  readonly seed: number;
  /** How stored values become model inputs (binarisation, scale, condition, mask). */
  readonly feed: Omit<FeedSpec, 'key'>;
  /** KL weight after warm-up (default 1) and warm-up length in epochs (linear from 0; default 0). */
  readonly beta?: number;
  readonly warmupEpochs?: number;
  readonly freeBits?: number;
  readonly particles?: number;
  readonly iwae?: number;
  readonly clip?: number;
  /** Optimisation steps per onnxruntime call (an ONNX Loop); default `defaultStepsPerRun` (trainer.ts). */
  readonly stepsPerRun?: number;
  /** Stop after this many epochs without a better validation ELBO (default: never). */
  readonly patience?: number;
  /** Run folder: checkpoint.safetensors, best.safetensors, metrics.jsonl. Without it nothing is written. */
  readonly outDir?: string;
  /** Save a checkpoint at least every this many steps (default: each epoch end and every 30 s). */
  readonly checkpointEverySteps?: number;
  /** Continue from this checkpoint (its weights, optimizer state and progress). */
  readonly resumeFrom?: Checkpoint;
  readonly backend?: OrtBackend;
  /** onnxruntime intra-op threads when no backend is given (default: all cores). */
  readonly threads?: number;
  /**
   * Prepare the next run's data (binarisation, noise) in a worker thread while onnxruntime runs
   * the current one. Falls back to the calling thread when no worker can start. Results are
   * identical either way. Default false: on 2 cores with onnxruntime using both, the worker slows
   * the runs by about what it saves (measured: no net gain, +0.4 s worker start, +115 MiB RSS).
   */
  readonly prefetch?: boolean;
  readonly onProgress?: (p: ProgressEvent) => void;
  /**
   * Stops training at the next step boundary once aborted (e.g. on Ctrl-C): the progress since the
   * last checkpoint is saved and `train` returns with `progress.finished` null.
   */
  readonly signal?: AbortSignal;
}

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

export interface TrainResult {
  readonly params: Record<string, HostTensor>;
  readonly state: Record<string, HostTensor>;
  /** Best validation weights (the final ones without validation data). */
  readonly best: Record<string, HostTensor>;
  readonly progress: TrainProgress;
  readonly samplesPerSecond: number;
  readonly trainSeconds: number;
}
