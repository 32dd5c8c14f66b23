import type { TrainRecipe } from '@vae/core';
import type { Dataset, FeedSpec } from '@vae/datasets';
import type { Device } from '../backend/device';
import type { OrtBackend } from '../backend/ort-backend';

// What `train` takes; what it reports while it runs and returns are core's (ProgressEvent,
// TrainResult), as is the recipe (TrainRecipe: model, optimizer, epochs, batch size, seed, ...).

export type { ProgressEvent, TrainResult } from '@vae/core';

/** Everything `train` needs. Randomness comes from `seed` alone: same seed, same data, same weights. */
export interface TrainOptions extends TrainRecipe {
  readonly train: Dataset;
  /** Held-out data for the per-epoch validation ELBO and early stopping. */
  readonly val?: Dataset;
  /** How stored values become model inputs (binarisation, scale, condition, mask). */
  readonly feed: Omit<FeedSpec, 'key'>;
  /** Run folder: checkpoint.safetensors, best.safetensors, metrics.jsonl. Without it nothing is written. */
  readonly outDir?: string;
  /** Save a checkpoint at least every this many steps (default: each epoch end and every 30 s). */
  readonly checkpointEverySteps?: number;
  readonly backend?: OrtBackend;
  /** onnxruntime intra-op threads when no backend is given (default: all cores). */
  readonly threads?: number;
  /** onnxruntime-node's execution provider when no backend is given (default cpu). */
  readonly device?: Device;
  /** Record onnxruntime's profile of each session when no backend is given (see OrtBackendOptions.profile). */
  readonly profile?: string;
  /**
   * Prepare the next run's data (binarisation, noise) in a worker thread while onnxruntime runs
   * the current one. Falls back to the calling thread when no worker can start. Results are
   * identical either way. Default false: on 2 cores with onnxruntime using both, the worker slows
   * the runs by about what it saves (measured: no net gain, +0.4 s worker start, +115 MiB RSS).
   */
  readonly prefetch?: boolean;
}
