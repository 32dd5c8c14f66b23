import {
  type Checkpoint,
  type CheckpointSink,
  decodeParams,
  EVAL_SEED,
  type HostTensor,
  inlineDataSource,
  key,
  normal,
  runKeys,
  type TrainResult,
  trainLoop,
  type VAE,
} from '@vae/core';
import { dataKey, Feeder } from '@vae/datasets/pure';
import { TrainerStateError } from '../errors';
import { OrtWebBackend } from '../ort-web-backend';
import type { RunStore } from '../store/run-store';
import { StoreCheckpoints } from './checkpoint-sink';
import type { RunData } from './data';
import { buildModel, buildOptimizer, feedSpecOf } from './model';
import type { FromWorker, ReadyMessage, WasmPaths } from './protocol';
import type { Recipe } from './recipe';
import { stepsPerRunFor } from './recipe';
import { RUN_FILES } from './run-files';
import { yieldTask } from './yield-task';

/** What a session is made from: a checked recipe, its data and store, where it resumes from. */
export interface SessionInit {
  readonly recipe: Recipe;
  readonly data: RunData;
  readonly store: RunStore;
  readonly resumeFrom: Checkpoint | null;
  readonly threads?: number;
  readonly executionProvider?: 'wasm' | 'webgpu';
  readonly wasmPaths?: WasmPaths;
  /** Sends a message to the page. */
  readonly post: (m: FromWorker) => void;
  /** Seconds between checkpoints inside an epoch (default 10). */
  readonly checkpointSeconds?: number;
}

/**
 * One run in the worker: `trainLoop` from `@vae/core` on an {@link OrtWebBackend}, checkpoints in
 * the run's store, pause / continue / stop at step-call boundaries, and the latest weights for
 * `samples` and `export`.
 */
export class TrainingSession {
  readonly vae: VAE;
  readonly backend: OrtWebBackend;
  readonly sink: StoreCheckpoints;
  /** The latest weights (after the last step call). */
  params: Record<string, HostTensor> | null = null;
  /** Epoch figures of the last epoch that ended, for the bundle's metrics. */
  lastEpoch: { epoch: number; trainLoss: number; valElbo?: number } | null = null;
  /** Settles when training ends (its result), or rejects with its failure. */
  running: Promise<TrainResult> | null = null;
  readonly #abort = new AbortController();
  #pauseAsked = false;
  #resume: (() => void) | null = null;

  constructor(readonly init: SessionInit) {
    this.vae = buildModel(init.recipe, init.data);
    this.backend = new OrtWebBackend({
      ...(init.threads !== undefined ? { threads: init.threads } : {}),
      ...(init.executionProvider ? { executionProvider: init.executionProvider } : {}),
      ...(init.wasmPaths !== undefined ? { wasmPaths: init.wasmPaths } : {}),
    });
    this.sink = new StoreCheckpoints(
      init.store,
      (step) => init.post({ type: 'checkpoint', step }),
      init.checkpointSeconds,
      init.resumeFrom !== null,
    );
    this.params = init.resumeFrom?.params ?? null;
  }

  /** Starts the backend (self-check included) and says which it is. */
  async ready(id?: number): Promise<ReadyMessage> {
    await this.backend.init();
    const best = await this.init.store.read(RUN_FILES.best);
    if (best) this.sink.bestParams = decodeParams(best, `${this.init.store.runId}/${RUN_FILES.best}`);
    return {
      type: 'ready',
      ...(id !== undefined ? { id } : {}),
      backend: this.backend.executionProvider,
      threads: this.backend.threads,
      ...(this.backend.fallback ? { fallback: this.backend.fallback } : {}),
    };
  }

  /** Runs the training to its end, a stop, or a failure (reported by the caller). */
  train(): Promise<TrainResult> {
    if (this.running) throw new TrainerStateError('this run is already training');
    const { recipe, data, post } = this.init;
    const keys = runKeys(recipe.seed);
    const feed = { ...feedSpecOf(this.vae, data), key: keys.binarize };
    const valInputs =
      data.val.count > 0
        ? (new Feeder(data.val, feed).all(0, data.val.count, dataKey(EVAL_SEED)) as Record<
            string,
            HostTensor
          >)
        : null;
    let stepLosses: number[] = [];
    const sink = this.sink;
    const checkpoints: CheckpointSink = {
      lastGood: () => sink.lastGood(),
      afterSteps: async (c) => {
        await sink.afterSteps(c);
        await this.#gate(c);
      },
      stopped: (c) => sink.stopped(c),
      epochEnd: (c) => sink.epochEnd(c),
      best: (p, e) => sink.best(p, e),
    };
    this.running = trainLoop({
      vae: this.vae,
      optimizer: buildOptimizer(recipe),
      epochs: recipe.epochs,
      batchSize: recipe.batchSize,
      seed: recipe.seed,
      stepsPerRun: stepsPerRunFor(recipe, data.train.exampleSize),
      ...(this.init.resumeFrom ? { resumeFrom: this.init.resumeFrom } : {}),
      signal: this.#abort.signal,
      backend: this.backend,
      train: { name: data.train.name, count: data.train.count, exampleSize: data.train.exampleSize },
      source: (s) =>
        inlineDataSource({ ...s, filler: new Feeder(data.train, feed), count: data.train.count }),
      checkpoints,
      log: null,
      valInputs,
      onCall: (call) => {
        this.params = call.params;
        stepLosses = Array.from(call.loss);
      },
      onProgress: (p) => {
        if (p.epochEnd) {
          this.lastEpoch = {
            epoch: p.epoch + 1,
            trainLoss: p.runningLoss,
            ...(p.valElbo !== undefined ? { valElbo: p.valElbo } : {}),
          };
          post({ type: 'epoch', ...this.lastEpoch });
          return;
        }
        post({
          type: 'progress',
          epoch: p.epoch,
          stepInEpoch: p.stepInEpoch,
          stepsPerEpoch: p.stepsPerEpoch,
          step: p.step,
          loss: p.runningLoss,
          samplesPerSecond: p.samplesPerSecond,
          stepLosses,
        });
      },
    });
    return this.running;
  }

  /**
   * At a step-call boundary: let queued messages in (see {@link yieldTask}); when a pause was asked
   * for, checkpoint, say so, and wait.
   */
  async #gate(c: Checkpoint): Promise<void> {
    await yieldTask();
    if (!this.#pauseAsked || this.#abort.signal.aborted) return;
    await this.sink.stopped(c); // a paused tab may be closed: keep what was trained
    await new Promise<void>((resolve) => {
      this.#resume = resolve;
      this.init.post({ type: 'paused' });
    });
  }

  /** Pauses at the next step-call boundary. */
  pause(): void {
    this.#pauseAsked = true;
  }

  /** Continues after a pause. */
  continue(): void {
    this.#pauseAsked = false;
    this.#resume?.();
    this.#resume = null;
  }

  /** Stops at the next step-call boundary (with a checkpoint); also ends a pause. */
  stop(): void {
    this.#abort.abort('stop');
    this.continue();
  }

  /** Decoder means of `n` draws from the prior (key `seed`) with the latest weights. */
  async samples(n: number, seed: number): Promise<{ n: number; shape: number[]; means: Float32Array }> {
    if (!(Number.isInteger(n) && n >= 1 && n <= 4096))
      throw new TrainerStateError(`samples: n must be an integer in [1, 4096], got ${n}`);
    const params = this.params ?? this.vae.init(runKeys(this.init.recipe.seed).init);
    const L = this.vae.spec.latent;
    const z: HostTensor = { dtype: 'float32', shape: [n, L], data: normal(key(seed), n * L) };
    const g = await this.backend.compile(`decode-mean:${JSON.stringify(this.vae.spec)}`, () =>
      this.vae.roleGraph('decode-mean'),
    );
    const { mean } = await g.run({ ...params, z });
    return { n, shape: [...this.vae.spec.dataShape], means: mean!.data as Float32Array };
  }

  /** Stops training (if it runs) and releases the backend. */
  async dispose(): Promise<void> {
    this.stop();
    await this.running?.catch(() => {});
    await this.backend.dispose();
  }
}
