import { fold, key } from '@vae/random';
import type { Backend } from '../backend/backend';
import type { SplitInputs } from '../eval/evaluate';
import type { HostTensor } from '../ir/dtype';
import type { Checkpoint, TrainProgress } from './checkpoint';
import type { DataSource, StepDataKeys } from './data-source';
import { TrainConfigError } from './errors';
import { buildStepGraph } from './step-graph';
import { EpochTotals, type MetricsSink, StepLoop } from './step-loop';
import {
  type CallListener,
  defaultStepsPerRun,
  EVAL_SEED,
  runKeys,
  type TrainRecipe,
  type TrainResult,
} from './train-types';
import { stopsEarly, trackBest, validationPass } from './validation';

// The trainer in parts: this file runs the epochs; step-loop.ts runs the step graph K steps per
// backend call (feeds, NaN guard); validation.ts scores each epoch, tracks the best weights and
// decides early stopping; the caller's CheckpointSink says when and where checkpoints are written;
// train-types.ts holds the types.

/** The training set as the loop needs it (a `@vae/datasets` Dataset has these). */
export interface TrainSetInfo {
  readonly name: string;
  readonly count: number;
  /** Values per example (for {@link defaultStepsPerRun}). */
  readonly exampleSize: number;
}

/**
 * Where a run's checkpoints go (train-node's `CheckpointPolicy` writes files; a browser may keep
 * them in memory or IndexedDB). The loop tells it every event; it decides what to store.
 */
export interface CheckpointSink {
  /** The checkpoint a failed run can resume from (its name or path), or null: named by the NaN guard. */
  lastGood(): string | null;
  /** After a call inside an epoch (`stepsPerEpoch` steps each): store when due. */
  afterSteps(c: Checkpoint, stepsPerEpoch: number): void | Promise<void>;
  /** Stopped mid-epoch (the signal aborted): keep what was trained since the last checkpoint. */
  stopped(c: Checkpoint): void | Promise<void>;
  /** At the end of every epoch. */
  epochEnd(c: Checkpoint): void | Promise<void>;
  /** New best weights (best validation ELBO; each epoch's without validation data), 1-based epoch. */
  best(params: Record<string, HostTensor>, epoch: number): void | Promise<void>;
}

/** What a data source factory is given: the run's keys and noise inputs, and whether data is needed. */
export interface StepDataInit extends StepDataKeys {
  /** True when the run has nothing left to train (resumed after it finished): no request will come. */
  readonly idle: boolean;
}

/** Everything {@link trainLoop} needs: the recipe, the backend, and where data and results come and go. */
export interface TrainLoopOptions extends TrainRecipe {
  readonly backend: Backend;
  readonly train: TrainSetInfo;
  /**
   * The training feeds, made once the step graph's noise inputs are known; e.g.
   * `(s) => inlineDataSource({ ...s, filler: new Feeder(data, feed), count: data.count })`.
   * Closed when training ends.
   */
  readonly source: (init: StepDataInit) => DataSource;
  readonly checkpoints: CheckpointSink;
  /** Epoch, summary and error lines (null: none). */
  readonly log: MetricsSink | null;
  /** Validation inputs (see `validationInputs`), scored at each epoch's end; null: no validation. */
  readonly valInputs: SplitInputs | null;
  /** Extra fields of each epoch line that has validation figures (e.g. train-node's `val_denoise`). */
  readonly valFields?: Readonly<Record<string, unknown>>;
  /** Called after each backend call with its per-step losses and new weights (e.g. a live plot). */
  readonly onCall?: CallListener;
}

/**
 * The training loop on any {@link Backend}: K steps per backend call (weights and optimizer state
 * stay in the runtime within a call), per-epoch validation, early stopping, checkpoints through
 * `checkpoints`, NaN guard, exact resume. Storage and data are the caller's.
 */
export async function trainLoop(o: TrainLoopOptions): Promise<TrainResult> {
  const { B, K, perEpoch } = runSizes(o);
  const keys = runKeys(o.seed);
  const { backend, checkpoints, log } = o;
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
  const stopped = () => o.signal?.aborted === true;
  const betaAt = (step: number) => {
    const warm = (o.warmupEpochs ?? 0) * perEpoch;
    return (o.beta ?? 1) * (warm > 0 ? Math.min(1, step / warm) : 1);
  };
  let trainSeconds = 0;
  let trainSamples = 0;
  // Draws have per-step shapes, the same for every k: one source serves all step graphs.
  const source = o.source({
    shuffleKey: keys.shuffle,
    draws: built.noise.draws,
    noiseKey: keys.noise,
    idle: !(progress.epoch < o.epochs && !progress.finished),
  });
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
        const at = progress;
        const call = await steps.run(progress, params, state);
        trainSeconds += call.seconds;
        ({ params, state } = call);
        totals.add(call);
        trainSamples += call.steps * B;
        const step = progress.step + call.steps;
        progress = { ...progress, step, stepInEpoch: progress.stepInEpoch + call.steps };
        o.onCall?.(call, at);
        o.onProgress?.({
          epoch,
          stepInEpoch: progress.stepInEpoch,
          stepsPerEpoch: perEpoch,
          step,
          runningLoss: totals.loss / totals.steps,
          samplesPerSecond: trainSamples / trainSeconds,
        });
        await checkpoints.afterSteps({ params, state, progress }, perEpoch);
      }
      if (progress.stepInEpoch < perEpoch) {
        // Stopped mid-epoch: keep what was trained since the last checkpoint.
        await checkpoints.stopped({ params, state, progress });
        break;
      }
      const seconds = (performance.now() - t0) / 1000;
      const end = await endEpoch(o, {
        params,
        state,
        progress,
        totals,
        seconds,
        beta: betaAt(progress.step),
        batchSize: B,
      });
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
  return { params, state, best, progress, samplesPerSecond, trainSeconds };
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
 * the best weights and the checkpoint. Returns the progress after the epoch, whether its weights
 * are now the best (always, without validation data) and its validation ELBO.
 */
async function endEpoch(
  o: TrainLoopOptions,
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
  if (o.valInputs) {
    const val = await validationPass(o.backend, o.vae, e.params, o.valInputs, fold(key(EVAL_SEED), 0));
    valElbo = val.elbo;
    Object.assign(line, { val_elbo: -val.elbo, val_recon: -val.recon, val_kl: val.kl }, o.valFields);
    const { improved, ...tracked } = trackBest(record, val.elbo, epoch);
    if (improved) await o.checkpoints.best(e.params, epoch);
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
  o.log?.write(line);
  // Without validation data the latest weights are the best there are.
  if (!o.valInputs) await o.checkpoints.best(e.params, epoch);
  await o.checkpoints.epochEnd({ params: e.params, state: e.state, progress });
  return { progress, best, ...(valElbo !== undefined ? { valElbo } : {}) };
}

/**
 * Batch size B, steps per call K and steps per epoch of a run, checked (what {@link trainLoop}
 * checks first; a caller may check before it prepares anything).
 * @throws TrainConfigError for a batch size, epoch count or K that cannot work, or too few examples
 */
export function runSizes(o: Pick<TrainLoopOptions, 'batchSize' | 'epochs' | 'stepsPerRun' | 'train'>): {
  B: number;
  K: number;
  perEpoch: number;
} {
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
function startingPoint(o: TrainRecipe, initKey: ReturnType<typeof runKeys>['init']): Checkpoint {
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
