import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fold, type HostTensor, key, type Optimizer, type VAE } from '@vae/core';
import { type Dataset, dataKey, foldIn } from '@vae/datasets';
import { OrtBackend } from '../backend/ort-backend';
import { type Checkpoint, saveCheckpoint, saveParams, type TrainProgress } from '../checkpoint/checkpoint';
import { elboPass, mean } from '../eval/evaluate';
import { createDataSource, type DataRequest } from './data-source';
import { NonFiniteLossError, TrainConfigError } from './errors';
import { Feeder, type FeedSpec } from './feeder';
import { MetricsLog } from './metrics-log';
import { buildStepGraph, NEXT_PREFIX, STATE_PREFIX } from './step-graph';

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
  /** Optimisation steps per onnxruntime call (an ONNX Loop); default {@link defaultStepsPerRun}. */
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

/** Keys of the run's random streams, all derived from the seed. */
export const runKeys = (seed: number) => ({
  init: fold(key(seed), 0),
  noise: fold(key(seed), 1),
  shuffle: foldIn(dataKey(seed), 2),
  binarize: foldIn(dataKey(seed), 3),
});

/** Fixed keys for evaluation data and noise, so validation numbers compare across epochs and runs. */
export const EVAL_SEED = 1234;

/**
 * Trains a VAE: K steps per onnxruntime call (weights and optimizer state stay in the runtime),
 * per-epoch validation, early stopping, atomic checkpoints, NaN guard, exact resume.
 */
export async function train(o: TrainOptions): Promise<TrainResult> {
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
  const keys = runKeys(o.seed);
  const backend = o.backend ?? new OrtBackend({ threads: o.threads });
  const feed: FeedSpec = { ...o.feed, key: keys.binarize };
  // Validates the model's data shape against the dataset before any worker starts.
  new Feeder(o.train, feed);
  const valInputs = o.val
    ? new Feeder(o.val, { ...o.feed, key: keys.binarize }).all(0, o.val.count, dataKey(EVAL_SEED))
    : null;
  let params = o.resumeFrom?.params ?? o.vae.init(keys.init);
  let state = o.resumeFrom?.state ?? o.optimizer.initState(params);
  let progress: TrainProgress = o.resumeFrom?.progress ?? {
    step: 0,
    epoch: 0,
    stepInEpoch: 0,
    bestValElbo: null,
    bestEpoch: null,
    badEpochs: 0,
    finished: null,
  };
  // A run that finished its epochs continues when asked for more.
  if (progress.finished === 'epochs' && progress.epoch < o.epochs) progress = { ...progress, finished: null };
  let best = params;
  const stateShapes = Object.fromEntries(Object.entries(state).map(([n, t]) => [n, t.shape]));
  // One graph for every run length (the step count is symbolic): a full run and an epoch's
  // shorter last run share one session.
  const settings = { batchSize: B, stateShapes, clip: o.clip, iwae: o.iwae, maxSteps: K };
  const loss = { particles: o.particles, freeBits: o.freeBits };
  const built = buildStepGraph({ vae: o.vae, optimizer: o.optimizer, ...settings, loss });
  const id = JSON.stringify({ spec: o.vae.spec, opt: o.optimizer.kind, settings, loss });
  const stepRun = backend.compile(`train:${id}`, () => built);
  const paths = o.outDir
    ? { ckpt: join(o.outDir, 'checkpoint.safetensors'), best: join(o.outDir, 'best.safetensors') }
    : null;
  if (o.outDir) mkdirSync(o.outDir, { recursive: true });
  const log = o.outDir ? new MetricsLog(join(o.outDir, 'metrics.jsonl'), progress.epoch) : null;
  // Whether checkpoint.safetensors holds this run's state (saved here, or the one resumed from).
  let saved = o.resumeFrom !== undefined;
  const save = () => {
    if (!paths) return;
    saveCheckpoint(paths.ckpt, { params, state, progress });
    saved = true;
  };
  const stopped = () => o.signal?.aborted === true;
  const betaAt = (step: number) => {
    const warm = (o.warmupEpochs ?? 0) * perEpoch;
    return (o.beta ?? 1) * (warm > 0 ? Math.min(1, step / warm) : 1);
  };
  let trainSeconds = 0;
  let trainSamples = 0;
  let lastSave = performance.now();
  let lastSaveStep = progress.step;
  // Draws have per-step shapes, the same for every k: one source serves all step graphs. With
  // prefetch the worker starts in the background; feeds are made here until it is ready.
  const source = createDataSource(
    {
      data: o.train,
      feed,
      shuffleKey: keys.shuffle,
      draws: built.noise.draws,
      noiseKey: keys.noise,
    },
    // Nothing to prepare for a run that has finished.
    { prefetch: (o.prefetch ?? false) && progress.epoch < o.epochs && !progress.finished },
  );
  try {
    // The run that starts at (epoch, stepInEpoch), global step `step`.
    const runAt = (epoch: number, stepInEpoch: number, step: number): DataRequest => ({
      epoch,
      start: stepInEpoch * B,
      steps: Math.min(K, perEpoch - stepInEpoch),
      batch: B,
      firstStep: step,
    });
    // The run after, across the epoch end (it may be dropped by early stopping).
    const runAfter = (epoch: number, stepInEpoch: number, step: number): DataRequest | null => {
      if (stepInEpoch < perEpoch) return runAt(epoch, stepInEpoch, step);
      return epoch + 1 < o.epochs ? runAt(epoch + 1, 0, step) : null;
    };
    const sameRun = (a: DataRequest, b: DataRequest) =>
      a.epoch === b.epoch && a.start === b.start && a.steps === b.steps && a.firstStep === b.firstStep;
    let ahead: { req: DataRequest; feeds: Promise<Record<string, HostTensor>> } | null = null;
    while (progress.epoch < o.epochs && !progress.finished && !stopped()) {
      const epoch = progress.epoch;
      const t0 = performance.now();
      let lossSum = 0;
      let reconSum = 0;
      let klSum = 0;
      let counted = 0;
      while (progress.stepInEpoch < perEpoch && !stopped()) {
        const req = runAt(epoch, progress.stepInEpoch, progress.step);
        const k = req.steps;
        // Building the session is setup, like constructing a model: it stays out of samples/s.
        const run = await stepRun;
        const r0 = performance.now();
        const data = ahead && sameRun(ahead.req, req) ? ahead.feeds : source.request(req);
        ahead = null;
        const betas = Float32Array.from({ length: k }, (_, j) => betaAt(progress.step + j));
        const feeds: Record<string, HostTensor> = {
          ...params,
          ...(await data),
          beta: { dtype: 'float32', shape: [k], data: betas },
        };
        for (const [n, t] of Object.entries(state)) feeds[STATE_PREFIX + n] = t;
        // Ask the worker for the next run's data before onnxruntime blocks this thread.
        if (source.kind === 'worker') {
          const next = runAfter(epoch, progress.stepInEpoch + k, progress.step + k);
          if (next) ahead = { req: next, feeds: source.request(next) };
        }
        const out = await run.run(feeds);
        const losses = out.loss!.data as Float32Array;
        const bad = losses.findIndex((v) => !Number.isFinite(v));
        if (bad >= 0) {
          log?.write({ type: 'error', step: progress.step + bad + 1, loss: losses[bad] });
          throw new NonFiniteLossError(
            progress.step + bad + 1,
            losses[bad]!,
            paths && saved && existsSync(paths.ckpt) ? paths.ckpt : null,
          );
        }
        trainSeconds += (performance.now() - r0) / 1000;
        params = Object.fromEntries(Object.keys(params).map((n) => [n, out[NEXT_PREFIX + n]!]));
        state = Object.fromEntries(Object.keys(state).map((n) => [n, out[NEXT_PREFIX + STATE_PREFIX + n]!]));
        for (let j = 0; j < k; j++) {
          lossSum += losses[j]!;
          reconSum += (out.recon!.data as Float32Array)[j]!;
          klSum += (out.kl!.data as Float32Array)[j]!;
        }
        counted += k;
        trainSamples += k * B;
        progress = { ...progress, step: progress.step + k, stepInEpoch: progress.stepInEpoch + k };
        o.onProgress?.({
          epoch,
          stepInEpoch: progress.stepInEpoch,
          stepsPerEpoch: perEpoch,
          step: progress.step,
          runningLoss: lossSum / counted,
          samplesPerSecond: trainSamples / trainSeconds,
        });
        const every = o.checkpointEverySteps;
        const due = every ? progress.step - lastSaveStep >= every : performance.now() - lastSave > 30_000;
        if (due && progress.stepInEpoch < perEpoch) {
          save();
          lastSave = performance.now();
          lastSaveStep = progress.step;
        }
      }
      if (progress.stepInEpoch < perEpoch) {
        // Stopped mid-epoch: keep what was trained since the last checkpoint.
        if (progress.step > lastSaveStep) save();
        break;
      }
      const seconds = (performance.now() - t0) / 1000;
      let valElbo: number | undefined;
      const line: Record<string, unknown> = {
        type: 'epoch',
        epoch: epoch + 1,
        step: progress.step,
        train_loss: lossSum / Math.max(counted, 1),
        train_recon: -reconSum / Math.max(counted, 1),
        train_kl: klSum / Math.max(counted, 1),
        beta: betaAt(progress.step),
      };
      let { bestValElbo, bestEpoch, badEpochs } = progress;
      if (valInputs) {
        const pass = await elboPass(backend, o.vae, params, valInputs, fold(key(EVAL_SEED), 0));
        valElbo = mean(pass.elbo);
        Object.assign(line, { val_elbo: -valElbo, val_recon: -mean(pass.recon), val_kl: mean(pass.kl) });
        if (bestValElbo === null || valElbo > bestValElbo) {
          bestValElbo = valElbo;
          bestEpoch = epoch + 1;
          badEpochs = 0;
          best = params;
          if (paths) saveParams(paths.best, params, { epoch: String(epoch + 1) });
        } else badEpochs++;
      } else best = params;
      const stop = o.patience !== undefined && badEpochs >= o.patience && epoch + 1 < o.epochs;
      progress = {
        step: progress.step,
        epoch: epoch + 1,
        stepInEpoch: 0,
        bestValElbo,
        bestEpoch,
        badEpochs,
        finished: stop ? 'early-stopping' : epoch + 1 >= o.epochs ? 'epochs' : null,
      };
      Object.assign(line, { samples_per_s: (counted * B) / seconds, seconds });
      log?.write(line);
      if (!valInputs && paths) saveParams(paths.best, params, { epoch: String(epoch + 1) });
      save();
      lastSave = performance.now();
      lastSaveStep = progress.step;
      o.onProgress?.({
        epoch,
        stepInEpoch: perEpoch,
        stepsPerEpoch: perEpoch,
        step: progress.step,
        runningLoss: lossSum / Math.max(counted, 1),
        samplesPerSecond: trainSamples / Math.max(trainSeconds, 1e-9),
        ...(valElbo !== undefined ? { valElbo: -valElbo } : {}),
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
