import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Checkpoint, CheckpointSink, HostTensor } from '@vae/core';
import { saveCheckpoint, saveParams } from '../checkpoint/checkpoint';
import { makeDirs } from '../checkpoint/make-dirs';

/** Without `--checkpoint-every`, a checkpoint is saved at least this often during an epoch. */
export const CHECKPOINT_INTERVAL_MS = 30_000;

/**
 * When `train` saves and what: `checkpoint.safetensors` (weights, optimizer state, progress) at
 * each epoch end, during an epoch every `everySteps` steps (default: every 30 s), and when stopped
 * mid-epoch; `best.safetensors` (weights of the best validation ELBO, or the latest epoch's without
 * validation data). Without a run folder nothing is written, but the timing is kept all the same.
 */
export class CheckpointPolicy implements CheckpointSink {
  readonly #paths: { readonly ckpt: string; readonly best: string } | null;
  readonly #everySteps: number | undefined;
  /** Whether checkpoint.safetensors holds this run's state (saved here, or the one resumed from). */
  #saved: boolean;
  #lastSave = performance.now();
  #lastSaveStep: number;

  /** Creates `outDir` when given. `step` is where the run starts (0, or the resumed checkpoint's). */
  constructor(
    outDir: string | undefined,
    o: { readonly everySteps?: number; readonly resumed: boolean; readonly step: number },
  ) {
    this.#paths = outDir
      ? { ckpt: join(outDir, 'checkpoint.safetensors'), best: join(outDir, 'best.safetensors') }
      : null;
    if (outDir) makeDirs(outDir);
    this.#everySteps = o.everySteps;
    this.#saved = o.resumed;
    this.#lastSaveStep = o.step;
  }

  /** The checkpoint a failed run can resume from: on disk and this run's, else null. */
  lastGood(): string | null {
    const p = this.#paths;
    return p && this.#saved && existsSync(p.ckpt) ? p.ckpt : null;
  }

  /** After a call inside an epoch: saves when due (the epoch's end saves anyway, see {@link epochEnd}). */
  afterSteps(c: Checkpoint, stepsPerEpoch: number): void {
    const every = this.#everySteps;
    const due = every
      ? c.progress.step - this.#lastSaveStep >= every
      : performance.now() - this.#lastSave > CHECKPOINT_INTERVAL_MS;
    if (due && c.progress.stepInEpoch < stepsPerEpoch) this.#saveNow(c);
  }

  /** Stopped mid-epoch: keeps what was trained since the last checkpoint. */
  stopped(c: Checkpoint): void {
    if (c.progress.step > this.#lastSaveStep) this.#save(c);
  }

  /** At the end of an epoch, always. */
  epochEnd(c: Checkpoint): void {
    this.#saveNow(c);
  }

  /** best.safetensors: the weights to export, tagged with their 1-based epoch. */
  best(params: Record<string, HostTensor>, epoch: number): void {
    if (this.#paths) saveParams(this.#paths.best, params, { epoch: String(epoch) });
  }

  #saveNow(c: Checkpoint): void {
    this.#save(c);
    this.#lastSave = performance.now();
    this.#lastSaveStep = c.progress.step;
  }

  #save(c: Checkpoint): void {
    if (!this.#paths) return;
    saveCheckpoint(this.#paths.ckpt, c);
    this.#saved = true;
  }
}
