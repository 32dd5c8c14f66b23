import { join } from 'node:path';
import { fold, key } from '@vae/core';
import { dataKey, foldIn } from '@vae/datasets';
import { OrtBackend } from '../backend/ort-backend';
import type { Checkpoint, TrainProgress } from '../checkpoint/checkpoint';
import type { SplitInputs } from '../eval/evaluate';
import { showDenoise } from '../run/denoise-flag';
import { CheckpointPolicy } from './checkpoint-policy';
import { createDataSource } from './data-source';
import { TrainConfigError } from './errors';
import { Feeder, type FeedSpec } from './feeder';
import { MetricsLog } from './metrics-log';
import { buildStepGraph } from './step-graph';
import { EpochTotals, StepLoop } from './step-loop';
import type { TrainOptions, TrainResult } from './train-options';
import { stopsEarly, trackBest, validationInputs, validationPass } from './validation';

export type { ProgressEvent, TrainOptions, TrainResult } from './train-options';

// The trainer in parts: this file runs the epochs; step-loop.ts runs the step graph K steps per
// onnxruntime call (feeds, NaN guard); validation.ts scores each epoch, tracks the best weights and
// decides early stopping; checkpoint-policy.ts says when checkpoint.safetensors and
// best.safetensors are written; train-options.ts holds the types.

/**
 * Steps per onnxruntime call unless asked otherwise: as many as keep one call's data inputs within
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
 * training steps' noise.
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

/**
 * Trains a VAE: K steps per onnxruntime call (weights and optimizer state stay in the runtime),
 * per-epoch validation, early stopping, atomic checkpoints, NaN guard, exact resume.
 */
export async function train(o: TrainOptions): Promise<TrainResult> {
  const { B, K, perEpoch } = runSizes(o);
  const keys = runKeys(o.seed);
  const backend = o.backend ?? new OrtBackend({ threads: o.threads });
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
  let { params, state, progress } = startingPoint(o, keys.init);
  let best = params;
  const stateShapes = Object.fromEntries(Object.entries(state).map(([n, t]) => [n, t.shape]));
  // One graph for every run length (the step count is symbolic): a full run and an epoch's
  // shorter last run share one session.
  const settings = { batchSize: B, stateShapes, clip: o.clip, iwae: o.iwae, maxSteps: K };
  const loss = { particles: o.particles, freeBits: o.freeBits };
  const built = buildStepGraph({ vae: o.vae, optimizer: o.optimizer, ...settings, loss });
  const id = JSON.stringify({ spec: o.vae.spec, opt: o.optimizer.kind, settings, loss });
  const stepRun = backend.compile(`train:${id}`, () => built);
  const checkpoints = new CheckpointPolicy(o.outDir, {
    everySteps: o.checkpointEverySteps,
    resumed: o.resumeFrom !== undefined,
    step: progress.step,
  });
  const log = o.outDir ? new MetricsLog(join(o.outDir, 'metrics.jsonl'), progress.epoch) : null;
  const stopped = () => o.signal?.aborted === true;
  const betaAt = (step: number) => {
    const warm = (o.warmupEpochs ?? 0) * perEpoch;
    return (o.beta ?? 1) * (warm > 0 ? Math.min(1, step / warm) : 1);
  };
  let trainSeconds = 0;
  let trainSamples = 0;
  // Draws have per-step shapes, the same for every k: one source serves all step graphs. With
  // prefetch the worker starts in the background; feeds are made here until it is ready.
  const source = createDataSource(
    { data: o.train, feed, shuffleKey: keys.shuffle, draws: built.noise.draws, noiseKey: keys.noise },
    // Nothing to prepare for a run that has finished.
    { prefetch: (o.prefetch ?? false) && progress.epoch < o.epochs && !progress.finished },
  );
  const steps = new StepLoop({
    graph: stepRun,
    source,
    batchSize: B,
    stepsPerRun: K,
    stepsPerEpoch: perEpoch,
    epochs: o.epochs,
    betaAt,
    log,
    lastGood: () => checkpoints.lastGood(),
  });
  try {
    while (progress.epoch < o.epochs && !progress.finished && !stopped()) {
      const epoch = progress.epoch;
      const t0 = performance.now();
      const totals = new EpochTotals();
      while (progress.stepInEpoch < perEpoch && !stopped()) {
        const call = await steps.run(progress, params, state);
        trainSeconds += call.seconds;
        ({ params, state } = call);
        totals.add(call);
        trainSamples += call.steps * B;
        const step = progress.step + call.steps;
        progress = { ...progress, step, stepInEpoch: progress.stepInEpoch + call.steps };
        o.onProgress?.({
          epoch,
          stepInEpoch: progress.stepInEpoch,
          stepsPerEpoch: perEpoch,
          step,
          runningLoss: totals.loss / totals.steps,
          samplesPerSecond: trainSamples / trainSeconds,
        });
        checkpoints.afterSteps({ params, state, progress }, perEpoch);
      }
      if (progress.stepInEpoch < perEpoch) {
        // Stopped mid-epoch: keep what was trained since the last checkpoint.
        checkpoints.stopped({ params, state, progress });
        break;
      }
      const seconds = (performance.now() - t0) / 1000;
      const end = await endEpoch(
        o,
        { backend, valInputs, log, checkpoints },
        {
          params,
          state,
          progress,
          totals,
          seconds,
          beta: betaAt(progress.step),
          batchSize: B,
        },
      );
      progress = end.progress;
      if (end.best) best = params;
      o.onProgress?.({
        epoch,
        stepInEpoch: perEpoch,
        stepsPerEpoch: perEpoch,
        step: progress.step,
        runningLoss: totals.loss / Math.max(totals.steps, 1),
        samplesPerSecond: trainSamples / Math.max(trainSeconds, 1e-9),
        ...(end.valElbo !== undefined ? { valElbo: -end.valElbo } : {}),
        epochEnd: true,
      });
    }
  } finally {
    await source.close();
  }
  const samplesPerSecond = trainSamples / Math.max(trainSeconds, 1e-9);
  log?.write({
    type: 'summary',
    samples_per_s: samplesPerSecond,
    train_seconds: trainSeconds,
    steps: progress.step,
    epochs: progress.epoch,
    finished: progress.finished,
    best_val_elbo: progress.bestValElbo === null ? null : -progress.bestValElbo,
    best_epoch: progress.bestEpoch,
  });
  if (!o.backend) await backend.dispose();
  return { params, state, best, progress, samplesPerSecond, trainSeconds };
}

/** What stays the same from one epoch end to the next. */
interface EpochEndContext {
  readonly backend: OrtBackend;
  readonly valInputs: SplitInputs | null;
  readonly log: MetricsLog | null;
  readonly checkpoints: CheckpointPolicy;
}

/** An epoch just trained: its last weights and state, progress at its last step, its totals. */
interface EpochDone extends Checkpoint {
  readonly totals: EpochTotals;
  /** Seconds the epoch took, validation excluded. */
  readonly seconds: number;
  /** KL weight at the epoch's end. */
  readonly beta: number;
  readonly batchSize: number;
}

/**
 * The end of an epoch: the validation pass, best weights and early stopping, the metrics line,
 * best.safetensors and the checkpoint. Returns the progress after the epoch, whether its weights
 * are now the best (always, without validation data) and its validation ELBO.
 */
async function endEpoch(
  o: TrainOptions,
  c: EpochEndContext,
  e: EpochDone,
): Promise<{ progress: TrainProgress; best: boolean; valElbo?: number }> {
  const epoch = e.progress.epoch + 1; // 1-based: the epoch that just ended
  const counted = Math.max(e.totals.steps, 1);
  const line: Record<string, unknown> = {
    type: 'epoch',
    epoch,
    step: e.progress.step,
    train_loss: e.totals.loss / counted,
    train_recon: -e.totals.recon / counted,
    train_kl: e.totals.kl / counted,
    beta: e.beta,
  };
  let record = {
    bestValElbo: e.progress.bestValElbo,
    bestEpoch: e.progress.bestEpoch,
    badEpochs: e.progress.badEpochs,
  };
  let best = true;
  let valElbo: number | undefined;
  if (c.valInputs) {
    const val = await validationPass(c.backend, o.vae, e.params, c.valInputs, fold(key(EVAL_SEED), 0));
    valElbo = val.elbo;
    Object.assign(line, { val_elbo: -val.elbo, val_recon: -val.recon, val_kl: val.kl });
    // What a denoising run's val_* measure: clean x scored, the encoder fed x~ corrupted by this.
    if (o.vae.spec.denoise) line.val_denoise = showDenoise(o.vae.spec.denoise);
    const { improved, ...tracked } = trackBest(record, val.elbo, epoch);
    if (improved) c.checkpoints.best(e.params, epoch);
    best = improved;
    record = tracked;
  }
  const stop = stopsEarly(o.patience, record.badEpochs, epoch, o.epochs);
  const progress: TrainProgress = {
    step: e.progress.step,
    epoch,
    stepInEpoch: 0,
    ...record,
    finished: stop ? 'early-stopping' : epoch >= o.epochs ? 'epochs' : null,
  };
  Object.assign(line, { samples_per_s: (e.totals.steps * e.batchSize) / e.seconds, seconds: e.seconds });
  c.log?.write(line);
  // Without validation data the latest weights are the best there are.
  if (!c.valInputs) c.checkpoints.best(e.params, epoch);
  c.checkpoints.epochEnd({ params: e.params, state: e.state, progress });
  return { progress, best, ...(valElbo !== undefined ? { valElbo } : {}) };
}

/** Batch size B, steps per call K and steps per epoch, checked. */
function runSizes(o: TrainOptions): { B: number; K: number; perEpoch: number } {
  const B = o.batchSize;
  const K = o.stepsPerRun ?? defaultStepsPerRun(B, o.train.exampleSize);
  const perEpoch = Math.floor(o.train.count / B);
  if (!Number.isInteger(B) || B < 1)
    throw new TrainConfigError(`batch size must be a positive integer, got ${B}`);
  if (perEpoch < 1)
    throw new TrainConfigError(`${o.train.name} has ${o.train.count} examples: fewer than one batch of ${B}`);
  if (!Number.isInteger(o.epochs) || o.epochs < 1)
    throw new TrainConfigError(`epochs must be >= 1, got ${o.epochs}`);
  if (!Number.isInteger(K) || K < 1) throw new TrainConfigError(`steps per run must be >= 1, got ${K}`);
  return { B, K, perEpoch };
}

/** Weights, optimizer state and progress to start from: fresh ones, or the resumed checkpoint's. */
function startingPoint(o: TrainOptions, initKey: ReturnType<typeof runKeys>['init']): Checkpoint {
  const params = o.resumeFrom?.params ?? o.vae.init(initKey);
  const state = o.resumeFrom?.state ?? o.optimizer.initState(params);
  const progress: TrainProgress = o.resumeFrom?.progress ?? {
    step: 0,
    epoch: 0,
    stepInEpoch: 0,
    bestValElbo: null,
    bestEpoch: null,
    badEpochs: 0,
    finished: null,
  };
  // A run that finished its epochs continues when asked for more.
  if (progress.finished === 'epochs' && progress.epoch < o.epochs)
    return { params, state, progress: { ...progress, finished: null } };
  return { params, state, progress };
}
