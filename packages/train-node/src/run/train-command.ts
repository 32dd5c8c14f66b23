import { existsSync } from 'node:fs';
import type { Device } from '../backend/device';
import { requireDevice } from '../backend/ort-backend';
import { loadCheckpoint } from '../checkpoint/checkpoint';
import { resolveClasses } from '../data/select-classes';
import { progressReporter } from '../render/progress';
import { type TrainResult, train } from '../train/trainer';
import { interruptOnSignals, RunStoppedError } from './interrupt';
import { trackNewRun } from './new-run';
import { recipeOptimizer, refuseScheduleLengthChange } from './optim-flags';
import { prepareRun } from './prepare-run';
import { type RecipeFlags, recipeFrom } from './recipe-flags';
import { refuseRecipeChanges, resumeEpochs, withEpochs } from './resume-checks';
import { type RunConfig, RunError, readConfig, runPaths, writeConfig } from './run-dir';
import { acquireRunLock } from './run-lock';

/**
 * `vae train` settings (CLI flags after parsing). Recipe flags left undefined take their defaults
 * in a fresh run ({@link RECIPE_DEFAULTS}) and the saved values in a resumed one.
 */
export interface TrainCommandOptions extends RecipeFlags {
  readonly out: string;
  readonly resume?: boolean;
  readonly checkpointEvery?: number;
  readonly threads?: number;
  /** onnxruntime-node's execution provider (default cpu); checked before anything is created. */
  readonly device?: Device;
  /** Write onnxruntime's per-node profile of the run's sessions to `<profile>_<time>.json` files. */
  readonly profile?: string;
  /** Prepare the next run's batches in a worker thread (helps when cores outnumber ORT's threads). */
  readonly prefetch?: boolean;
  readonly quiet?: boolean;
  /**
   * Stops training cleanly when aborted (checkpoint saved, then a {@link RunStoppedError}). Without
   * it, `trainCommand` catches SIGINT/SIGTERM/SIGHUP while it runs and stops the same way.
   */
  readonly signal?: AbortSignal;
}

/**
 * `vae train`: trains and writes the run folder (config.json, checkpoint.safetensors,
 * best.safetensors, metrics.jsonl). An existing run is never overwritten: `--resume` continues it,
 * with the saved recipe (flags that contradict it are refused; `--epochs` may change the count).
 * The folder has one writer: `<out>/.lock` is held while training ({@link acquireRunLock}). A fresh
 * run that fails before its first checkpoint takes back what it created, so the folder does not
 * claim to hold a run. A stop signal (see {@link TrainCommandOptions.signal}) ends training at the
 * next step boundary with a checkpoint, then throws a {@link RunStoppedError}.
 */
export async function trainCommand(o: TrainCommandOptions): Promise<TrainResult & { dir: string }> {
  // A clear error, before anything is created, when there is no run to resume or no such device.
  if (o.resume) readConfig(o.out);
  await requireDevice(o.device);
  const fresh = o.resume ? null : trackNewRun(o.out); // creates the folder and missing parents
  const lock = acquireRunLock(o.out, o.resume ? 'vae train --resume' : 'vae train');
  const interrupt = o.signal ? null : interruptOnSignals();
  try {
    return await trainLocked(o, o.signal ?? interrupt!.signal);
  } catch (e) {
    if (fresh && !existsSync(runPaths(o.out).checkpoint)) fresh.undo(lock);
    throw e;
  } finally {
    interrupt?.dispose();
    lock.release();
  }
}

/** {@link trainCommand} once it holds the run folder's lock. */
async function trainLocked(
  o: TrainCommandOptions,
  signal: AbortSignal,
): Promise<TrainResult & { dir: string }> {
  const paths = runPaths(o.out);
  let saved: RunConfig | null = null;
  let resumeFrom: ReturnType<typeof loadCheckpoint> | undefined;
  if (o.resume) {
    saved = readConfig(o.out);
    if (existsSync(paths.checkpoint)) resumeFrom = loadCheckpoint(paths.checkpoint);
    // `--classes` names compare as the ids the recipe saved.
    const classes = o.classes && resolveClasses(o.classes, saved.data.classNames, 256).map(String);
    refuseRecipeChanges(saved.recipe, { ...o, classes });
  } else if (existsSync(paths.config) || existsSync(paths.checkpoint))
    throw new RunError(`${o.out} already holds a run: pass --resume to continue it, or choose another --out`);
  // A resumed run keeps its recipe; only the epoch count may change (recorded once training starts).
  const epochs = saved ? resumeEpochs(o.out, saved.recipe, resumeFrom?.progress ?? null, o.epochs) : 0;
  if (saved) refuseScheduleLengthChange(saved.recipe, epochs);
  const asked = saved ? { ...saved.recipe, epochs } : recipeFrom(o);
  const { recipe, data, vae, info, extra } = await prepareRun(
    asked,
    saved,
    o.val,
    saved ? undefined : o.classes,
  );
  let started =
    saved && epochs !== saved.recipe.epochs
      ? () => writeConfig(o.out, withEpochs(saved, epochs, `vae train --resume --epochs ${epochs}`))
      : null;
  if (!saved)
    writeConfig(o.out, {
      format: 'vae-run',
      version: 1,
      createdAt: new Date().toISOString(),
      model: vae.spec,
      recipe,
      data: info,
      ...(extra ? { extra } : {}),
    });
  if (resumeFrom) resumeFrom = { ...resumeFrom, progress: { ...resumeFrom.progress, finished: null } };
  if (signal.aborted)
    throw new RunStoppedError(
      `stopped by ${String(signal.reason)} before training started`,
      String(signal.reason),
    );
  const progress = o.quiet ? null : progressReporter(recipe.epochs);
  try {
    const result = await train({
      vae,
      // Schedules count in steps of the trainer's epochs: floor(examples / batch) each.
      optimizer: recipeOptimizer(recipe, Math.max(1, Math.floor(data.train.count / recipe.batchSize))),
      train: data.train,
      val: recipe.valCount > 0 ? data.val : undefined,
      epochs: recipe.epochs,
      batchSize: recipe.batchSize,
      seed: recipe.seed,
      feed: {
        shape: info.shape,
        binarize: info.binarize,
        dequantize: info.dequantize ?? false,
        scale: info.scale,
        conditionSize: vae.spec.condition?.size ?? 0,
        maskColumns: info.maskColumns,
      },
      beta: recipe.beta,
      warmupEpochs: recipe.warmupEpochs,
      freeBits: recipe.freeBits ?? undefined,
      iwae: recipe.iwae ?? undefined,
      clip: recipe.clip ?? undefined,
      stepsPerRun: recipe.stepsPerRun ?? undefined,
      patience: recipe.patience ?? undefined,
      outDir: o.out,
      checkpointEverySteps: o.checkpointEvery,
      resumeFrom,
      threads: o.threads,
      ...(o.device ? { device: o.device } : {}),
      ...(o.profile !== undefined ? { profile: o.profile } : {}),
      prefetch: o.prefetch,
      signal,
      onProgress: (p) => {
        started?.();
        started = null;
        progress?.onProgress(p);
      },
    });
    if (signal.aborted && !result.progress.finished) {
      const p = result.progress;
      const kept = existsSync(paths.checkpoint)
        ? `the checkpoint is saved: continue with \`vae train --out ${o.out} --resume\``
        : 'nothing was saved';
      throw new RunStoppedError(
        `stopped by ${String(signal.reason)} at step ${p.step} (epoch ${p.epoch + 1} of ${recipe.epochs}); ${kept}`,
        String(signal.reason),
      );
    }
    return { ...result, dir: o.out };
  } finally {
    progress?.stop();
  }
}
