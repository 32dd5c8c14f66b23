import {
  type Checkpoint,
  type CheckpointSink,
  encodeCheckpoint,
  encodeParams,
  type HostTensor,
} from '@vae/core';
import type { RunStore } from '../store/run-store';
import { RUN_FILES } from './run-files';

/** Seconds between checkpoints inside an epoch (Node's default is 30 s; a tab may close any time). */
export const CHECKPOINT_SECONDS = 10;

/**
 * Checkpoints into the run's store, in train-node's format: `checkpoint.safetensors` at each
 * epoch's end, every {@link CHECKPOINT_SECONDS} s inside one, and when stopped; `best.safetensors`
 * with the best weights. Each write is atomic (see {@link RunStore.write}).
 */
export class StoreCheckpoints implements CheckpointSink {
  #last = performance.now();
  #saved = false;
  /** The best weights so far (what `export` ships), or null before the first epoch ends. */
  bestParams: Record<string, HostTensor> | null = null;

  constructor(
    readonly store: RunStore,
    /** Told the global step of every checkpoint written. */
    readonly onSaved: (step: number) => void,
    readonly everySeconds = CHECKPOINT_SECONDS,
    resumed = false,
  ) {
    this.#saved = resumed;
  }

  lastGood(): string | null {
    return this.#saved ? `${this.store.runId}/${RUN_FILES.checkpoint}` : null;
  }

  async #save(c: Checkpoint): Promise<void> {
    await this.store.write(RUN_FILES.checkpoint, encodeCheckpoint(c));
    this.#saved = true;
    this.#last = performance.now();
    this.onSaved(c.progress.step);
  }

  async afterSteps(c: Checkpoint): Promise<void> {
    if (performance.now() - this.#last >= this.everySeconds * 1000) await this.#save(c);
  }

  stopped(c: Checkpoint): Promise<void> {
    return this.#save(c);
  }

  epochEnd(c: Checkpoint): Promise<void> {
    return this.#save(c);
  }

  async best(params: Record<string, HostTensor>, epoch: number): Promise<void> {
    this.bestParams = params;
    await this.store.write(RUN_FILES.best, encodeParams(params, { epoch: String(epoch) }));
  }
}
