import type { HostTensor } from '../ir/dtype';
import type { DataRequest, DataSource } from './data-source';
import { NonFiniteLossError } from './errors';
import { NEXT_PREFIX, STATE_PREFIX } from './step-graph';

/**
 * Where training records its metrics, one JSON-serialisable object per line (`type`: 'epoch' |
 * 'summary' | 'error'); train-node's `MetricsLog` appends them to `metrics.jsonl`.
 */
export interface MetricsSink {
  write(line: Record<string, unknown>): void;
}

/** The compiled step graph, as the loop uses it: feeds in, outputs out. */
export interface StepRunner {
  run(feeds: Readonly<Record<string, HostTensor>>): Promise<Record<string, HostTensor>>;
}

/** Where training stands when a call starts (a {@link TrainProgress} has these). */
export interface StepPosition {
  readonly epoch: number;
  readonly stepInEpoch: number;
  /** Global step count (steps done before this call). */
  readonly step: number;
}

/** What one call of the step graph did: the new weights and optimizer state, per-step figures. */
export interface StepCall {
  readonly params: Record<string, HostTensor>;
  readonly state: Record<string, HostTensor>;
  /** Steps run (K, or fewer at the end of an epoch). */
  readonly steps: number;
  /** Per-step training loss, reconstruction log-likelihood and KL (nats per example). */
  readonly loss: Float32Array;
  readonly recon: Float32Array;
  readonly kl: Float32Array;
  /** Seconds of the call, data wait included, session creation not. */
  readonly seconds: number;
}

/** What a {@link StepLoop} runs: the step graph, its data, run sizes, KL weights, where NaNs are logged. */
export interface StepLoopOptions {
  /** The step graph's session (awaited before the first call: building it is not training time). */
  readonly graph: Promise<StepRunner>;
  readonly source: DataSource;
  readonly batchSize: number;
  /** K: steps per call. */
  readonly stepsPerRun: number;
  readonly stepsPerEpoch: number;
  readonly epochs: number;
  /** KL weight of a global step (warm-up). */
  readonly betaAt: (step: number) => number;
  /** Where a non-finite loss is recorded before training stops. */
  readonly log: MetricsSink | null;
  /** The checkpoint to name when a loss is not finite (null: none on disk). */
  readonly lastGood: () => string | null;
}

/**
 * Runs the step graph K steps per backend call: weights and optimizer state go in as feeds
 * with the call's data, noise and KL weights, and come back updated. With a worker data source the
 * next call's data are asked for before onnxruntime blocks this thread.
 */
export class StepLoop {
  readonly #o: StepLoopOptions;
  #ahead: { req: DataRequest; feeds: Promise<Record<string, HostTensor>> } | null = null;

  constructor(o: StepLoopOptions) {
    this.#o = o;
  }

  /** The call that starts at `at`: up to K steps, never past the epoch's end. */
  request(at: StepPosition): DataRequest {
    const { batchSize: B, stepsPerRun: K, stepsPerEpoch } = this.#o;
    return {
      epoch: at.epoch,
      start: at.stepInEpoch * B,
      steps: Math.min(K, stepsPerEpoch - at.stepInEpoch),
      batch: B,
      firstStep: at.step,
    };
  }

  /** The call after, across the epoch end (it may be dropped by early stopping); null after the last. */
  #after(at: StepPosition): DataRequest | null {
    if (at.stepInEpoch < this.#o.stepsPerEpoch) return this.request(at);
    return at.epoch + 1 < this.#o.epochs
      ? this.request({ epoch: at.epoch + 1, stepInEpoch: 0, step: at.step })
      : null;
  }

  /**
   * Runs one call from `at` on these weights and optimizer state.
   * @throws NonFiniteLossError at the first step whose loss is NaN or infinite (see {@link nanGuard}).
   */
  async run(
    at: StepPosition,
    params: Record<string, HostTensor>,
    state: Record<string, HostTensor>,
  ): Promise<StepCall> {
    const { source, betaAt } = this.#o;
    const req = this.request(at);
    const k = req.steps;
    // Building the session is setup, like constructing a model: it stays out of samples/s.
    const graph = await this.#o.graph;
    const r0 = performance.now();
    const ahead = this.#ahead;
    const data = ahead && sameRun(ahead.req, req) ? ahead.feeds : source.request(req);
    this.#ahead = null;
    const betas = Float32Array.from({ length: k }, (_, j) => betaAt(at.step + j));
    const feeds: Record<string, HostTensor> = {
      ...params,
      ...(await data),
      beta: { dtype: 'float32', shape: [k], data: betas },
    };
    for (const [n, t] of Object.entries(state)) feeds[STATE_PREFIX + n] = t;
    // Ask the worker for the next call's data before onnxruntime blocks this thread.
    if (source.kind === 'worker') {
      const next = this.#after({ epoch: at.epoch, stepInEpoch: at.stepInEpoch + k, step: at.step + k });
      if (next) this.#ahead = { req: next, feeds: source.request(next) };
    }
    const out = await graph.run(feeds);
    const loss = out.loss!.data as Float32Array;
    nanGuard(loss, at.step, this.#o.log, this.#o.lastGood);
    const seconds = (performance.now() - r0) / 1000;
    return {
      params: Object.fromEntries(Object.keys(params).map((n) => [n, out[NEXT_PREFIX + n]!])),
      state: Object.fromEntries(Object.keys(state).map((n) => [n, out[NEXT_PREFIX + STATE_PREFIX + n]!])),
      steps: k,
      loss,
      recon: out.recon!.data as Float32Array,
      kl: out.kl!.data as Float32Array,
      seconds,
    };
  }
}

/** Sums of an epoch's per-step figures, for its mean training loss, reconstruction and KL. */
export class EpochTotals {
  loss = 0;
  recon = 0;
  kl = 0;
  steps = 0;

  add(call: StepCall): void {
    for (let j = 0; j < call.steps; j++) {
      this.loss += call.loss[j]!;
      this.recon += call.recon[j]!;
      this.kl += call.kl[j]!;
    }
    this.steps += call.steps;
  }
}

const sameRun = (a: DataRequest, b: DataRequest) =>
  a.epoch === b.epoch && a.start === b.start && a.steps === b.steps && a.firstStep === b.firstStep;

/**
 * The NaN guard: at the first non-finite loss of a call that started after `step` steps, records
 * it in the metrics log and stops training, naming the step (1-based) and the last good checkpoint.
 * @throws NonFiniteLossError
 */
export function nanGuard(
  losses: Float32Array,
  step: number,
  log: MetricsSink | null,
  lastGood: () => string | null,
): void {
  const bad = losses.findIndex((v) => !Number.isFinite(v));
  if (bad < 0) return;
  log?.write({ type: 'error', step: step + bad + 1, loss: losses[bad] });
  throw new NonFiniteLossError(step + bad + 1, losses[bad]!, lastGood());
}
