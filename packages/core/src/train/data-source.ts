import { dataPermutation, foldIn, type KeyLike, type PRNGKey } from '@vae/random';
import type { HostTensor } from '../ir/dtype';
import type { NoiseDraw } from '../random/noise';
import { stepNoiseFeeds } from './noise-feeds';

/** The inputs of one K-step training run (besides weights, state and betas). */
export interface DataRequest {
  /** The epoch the examples are drawn for (selects the shuffle and the binarisation). */
  readonly epoch: number;
  /** Offset into the epoch's shuffled order (stepInEpoch * batch). */
  readonly start: number;
  /** Steps in the run (K). */
  readonly steps: number;
  readonly batch: number;
  /** Global step of the run's first step (selects the noise draws). */
  readonly firstStep: number;
}

/** Prepares training feeds (x, c?, mask?, noise) for requested runs. */
export interface DataSource {
  /**
   * `worker` prepares feeds on another thread (or will, once started), so a request issued early
   * overlaps other work; `inline` prepares them when asked, reusing the x buffer.
   */
  readonly kind: 'inline' | 'worker';
  request(req: DataRequest): Promise<Record<string, HostTensor>>;
  /** Settles when the source knows where it runs: the worker started, or it fell back to inline. */
  readonly ready: Promise<'inline' | 'worker'>;
  /** Stops the worker, if any. Pending requests never settle. Safe to call more than once. */
  close(): Promise<void>;
}

/**
 * Fills a run's data inputs (x, and c / mask when the model takes them), shaped [steps, batch, ...],
 * for the examples `order[start .. start + steps * batch)` drawn for `epoch`. `@vae/datasets`'
 * `Feeder` is one.
 */
export interface BatchFiller {
  /** @param reuse - the filler may overwrite the buffers it returned from its previous `reuse` call */
  fill(
    order: Uint32Array,
    start: number,
    steps: number,
    batch: number,
    epoch: number,
    reuse: boolean,
  ): Record<string, HostTensor>;
}

/** The keys and noise inputs of a run's training feeds, as {@link trainLoop} derives them. */
export interface StepDataKeys {
  /** Key of the per-epoch shuffle: epoch e uses `dataPermutation(foldIn(shuffleKey, e), count)`. */
  readonly shuffleKey: KeyLike;
  /** The step graph's noise inputs (per-step shapes; the same for every K). */
  readonly draws: readonly NoiseDraw[];
  readonly noiseKey: PRNGKey;
}

/** What a {@link FeedMaker} needs: the filler of the training set, its example count, and the keys. */
export interface FeedMakerInit extends StepDataKeys {
  readonly filler: BatchFiller;
  /** Examples in the training set (the length of each epoch's shuffled order). */
  readonly count: number;
}

/**
 * Builds the feeds of a request; the same numbers on any thread (the draws depend only on the
 * keys, the epoch, the example index and the step).
 */
export class FeedMaker {
  #order: { epoch: number; order: Uint32Array } | null = null;

  /** @param reuse - write x into the previous request's buffer (only when one request is in flight) */
  constructor(
    readonly init: FeedMakerInit,
    readonly reuse: boolean,
  ) {}

  /** Epoch `epoch`'s shuffled order of the training examples. */
  order(epoch: number): Uint32Array {
    // @vae/random's data-key functions: the very ones @vae/datasets re-exports as foldIn / permutation.
    if (this.#order?.epoch !== epoch)
      this.#order = { epoch, order: dataPermutation(foldIn(this.init.shuffleKey, epoch), this.init.count) };
    return this.#order.order;
  }

  make(r: DataRequest): Record<string, HostTensor> {
    return {
      ...this.init.filler.fill(this.order(r.epoch), r.start, r.steps, r.batch, r.epoch, this.reuse),
      ...stepNoiseFeeds(this.init.draws, this.init.noiseKey, r.firstStep, r.steps),
    };
  }
}

/** Feeds built on the calling thread when asked for (x buffer reused). */
export function inlineDataSource(init: FeedMakerInit): DataSource {
  const maker = new FeedMaker(init, true);
  return {
    kind: 'inline',
    ready: Promise.resolve('inline'),
    request: async (req) => maker.make(req),
    close: async () => {},
  };
}
