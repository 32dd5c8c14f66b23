import { join } from 'node:path';
import { EVAL_SEED, runKeys, runSizes, trainLoop, validationInputs } from '@vae/core';
import { dataKey, Feeder, type FeedSpec } from '@vae/datasets';
import { OrtBackend } from '../backend/ort-backend';
import { showDenoise } from '../run/denoise-flag';
import { CheckpointPolicy } from './checkpoint-policy';
import { createDataSource } from './data-source';
import { MetricsLog } from './metrics-log';
import type { TrainOptions, TrainResult } from './train-options';

export type { ProgressEvent, TrainOptions, TrainResult } from './train-options';

// The Node trainer: core's trainLoop (epochs, K-step calls, validation, early stopping, NaN guard)
// on onnxruntime-node, with checkpoints written to the run folder (checkpoint-policy.ts), metrics
// to metrics.jsonl (metrics-log.ts) and the data prepared on this thread or a worker
// (data-source.ts).

/**
 * Trains a VAE: K steps per onnxruntime call (weights and optimizer state stay in the runtime),
 * per-epoch validation, early stopping, atomic checkpoints, NaN guard, exact resume.
 */
export async function train(o: TrainOptions): Promise<TrainResult> {
  runSizes(o);
  const keys = runKeys(o.seed);
  const backend = o.backend ?? new OrtBackend({ threads: o.threads, device: o.device, profile: o.profile });
  const feed: FeedSpec = { ...o.feed, key: keys.binarize };
  // Validates the model's data shape against the dataset before any worker starts.
  new Feeder(o.train, feed);
  // A denoising run's validation inputs also hold x~, corrupted once with a fixed key.
  const valInputs = o.val
    ? await validationInputs(
        backend,
        o.vae,
        new Feeder(o.val, { ...o.feed, key: keys.binarize }).all(0, o.val.count, dataKey(EVAL_SEED)),
        keys.valCorruption,
      )
    : null;
  const start = o.resumeFrom?.progress;
  const checkpoints = new CheckpointPolicy(o.outDir, {
    everySteps: o.checkpointEverySteps,
    resumed: o.resumeFrom !== undefined,
    step: start?.step ?? 0,
  });
  const log = o.outDir ? new MetricsLog(join(o.outDir, 'metrics.jsonl'), start?.epoch ?? 0) : null;
  const denoise = o.vae.spec.denoise;
  const result = await trainLoop({
    ...o,
    backend,
    checkpoints,
    log,
    valInputs,
    // What a denoising run's val_* measure: clean x scored, the encoder fed x~ corrupted by this.
    ...(denoise ? { valFields: { val_denoise: showDenoise(denoise) } } : {}),
    // With prefetch the worker starts in the background; feeds are made here until it is ready.
    // Nothing to prepare for a run that has finished.
    source: (s) =>
      createDataSource(
        { data: o.train, feed, shuffleKey: s.shuffleKey, draws: s.draws, noiseKey: s.noiseKey },
        { prefetch: (o.prefetch ?? false) && !s.idle },
      ),
  });
  if (!o.backend) await backend.dispose();
  return result;
}
