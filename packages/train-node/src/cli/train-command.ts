import { existsSync, mkdirSync } from 'node:fs';
import { adam, type VAE } from '@vae/core';
import { loadCheckpoint } from '../checkpoint/checkpoint';
import { loadImageData, type RunData } from '../data/load-data';
import {
  isTabularDataset,
  loadTabularData,
  maskColumnsOf,
  modelColumns,
  prepareTabular,
  type TabularData,
} from '../data/tabular-data';
import { interruptOnSignals, RunStoppedError } from '../run/interrupt';
import { trackNewRun } from '../run/new-run';
import {
  type RecipeFlags,
  refuseRecipeChanges,
  resumeEpochs,
  withEpochs,
  withRecipeDefaults,
} from '../run/recipe-flags';
import {
  type DataInfo,
  type Recipe,
  type RunConfig,
  RunError,
  readConfig,
  runPaths,
  writeConfig,
} from '../run/run-dir';
import { acquireRunLock } from '../run/run-lock';
import { TrainConfigError } from '../train/errors';
import { type TrainResult, train } from '../train/trainer';
import { buildImageModel, buildTabularModel } from './build-model';
import { progressReporter } from './progress';

/**
 * `vae train` settings (CLI flags after parsing). Recipe flags left undefined take their defaults
 * in a fresh run ({@link RECIPE_DEFAULTS}) and the saved values in a resumed one.
 */
export interface TrainCommandOptions extends RecipeFlags {
  readonly out: string;
  readonly resume?: boolean;
  readonly checkpointEvery?: number;
  readonly threads?: number;
  /** Prepare the next run's batches in a worker thread (helps when cores outnumber ORT's threads). */
  readonly prefetch?: boolean;
  readonly quiet?: boolean;
  /**
   * Stops training cleanly when aborted (checkpoint saved, then a {@link RunStoppedError}). Without
   * it, `trainCommand` catches SIGINT/SIGTERM/SIGHUP while it runs and stops the same way.
   */
  readonly signal?: AbortSignal;
}

const positiveInt = (flag: string, v: number) => {
  if (!Number.isInteger(v) || v < 1)
    throw new TrainConfigError(`--${flag} must be a positive integer, got ${v}`);
};
const positive = (flag: string, v: number | undefined, zeroOk = false) => {
  if (v !== undefined && !(Number.isFinite(v) && (zeroOk ? v >= 0 : v > 0)))
    throw new TrainConfigError(
      `--${flag} must be a ${zeroOk ? 'non-negative' : 'positive'} number, got ${v}`,
    );
};

/** The recipe for fresh flags (validated). */
export function recipeFrom(flags: TrainCommandOptions): Recipe {
  const o = withRecipeDefaults(flags);
  positiveInt('latent', o.latent);
  positiveInt('epochs', o.epochs);
  positiveInt('batch', o.batch);
  for (const h of o.hidden) positiveInt('hidden', h);
  positive('lr', o.lr);
  positive('beta', o.beta, true);
  positive('warmup-epochs', o.warmupEpochs, true);
  positive('free-bits', o.freeBits, true);
  positive('clip', o.clip);
  if (o.iwae !== undefined) positiveInt('iwae', o.iwae);
  if (o.stepsPerRun !== undefined) positiveInt('steps-per-run', o.stepsPerRun);
  if (o.patience !== undefined) positiveInt('patience', o.patience);
  if (o.val !== undefined && !(Number.isSafeInteger(o.val) && o.val >= 0))
    throw new TrainConfigError(`--val must be a non-negative integer, got ${o.val}`);
  if (o.patience !== undefined && o.val === 0)
    throw new TrainConfigError(
      '--patience stops when the validation ELBO stops improving, but --val 0 holds out no validation data: give --val N (N > 0) or drop --patience',
    );
  const klFlags = (
    [
      ['--beta', o.beta],
      ['--warmup-epochs', o.warmupEpochs],
      ['--free-bits', o.freeBits],
    ] as const
  ).flatMap(([flag, v]) => (v === undefined ? [] : [flag]));
  if (o.iwae !== undefined && o.iwae > 1 && klFlags.length > 0)
    throw new TrainConfigError(
      `--iwae ${o.iwae} trains on the importance-weighted bound, which has no KL term for ${klFlags.join(', ')} to act on: drop ${klFlags.join(', ')}, or use --iwae 1 (the ELBO)`,
    );
  if (!Number.isSafeInteger(o.seed) || o.seed < 0)
    throw new TrainConfigError(`--seed must be a non-negative integer, got ${o.seed}`);
  if (!['mlp', 'conv', 'tabular'].includes(o.model))
    throw new TrainConfigError(`--model must be mlp, conv or tabular, got ${o.model}`);
  return {
    dataset: o.dataset,
    model: o.model,
    latent: o.latent,
    hidden: [...o.hidden],
    epochs: o.epochs,
    batchSize: o.batch,
    lr: o.lr,
    seed: o.seed,
    optimizer: 'adam',
    beta: o.beta ?? 1,
    warmupEpochs: o.warmupEpochs ?? 0,
    freeBits: o.freeBits ?? null,
    iwae: o.iwae ?? null,
    clip: o.clip ?? null,
    conditional: o.conditional ?? false,
    stepsPerRun: o.stepsPerRun ?? null,
    patience: o.patience ?? null,
    valCount: o.val ?? (o.dataset === 'mnist-default' ? 1000 : 5000),
  };
}

function imageInfo(data: RunData, vae: VAE): DataInfo {
  return {
    shape: [...vae.spec.dataShape],
    image: data.image,
    binarize: true,
    scale: 255,
    classNames: data.classNames,
    maskColumns: null,
  };
}

/** What training needs from the data: splits, model, how to feed it, and state to save. */
interface Prepared {
  readonly recipe: Recipe;
  readonly data: RunData;
  readonly vae: VAE;
  readonly info: DataInfo;
  readonly extra?: Record<string, unknown>;
}

/** Tabular data (a CSV or penguins): split, encoder fitted on the training rows, tabular VAE. */
async function prepareTabularRun(
  recipe: Recipe,
  saved: RunConfig | null,
  valFlag?: number,
): Promise<Prepared> {
  if (recipe.model !== 'tabular')
    throw new TrainConfigError(
      `--model ${recipe.model} is for images; ${recipe.dataset} is tabular: use --model tabular`,
    );
  const t: TabularData = saved
    ? await loadTabularData(saved)
    : await prepareTabular(recipe.dataset, {
        seed: recipe.seed,
        valCount: valFlag,
        batchSize: recipe.batchSize,
      });
  const full = { ...recipe, valCount: t.state.split.val };
  const vae = buildTabularModel(full, modelColumns(t.encoder));
  const info: DataInfo = {
    shape: [...vae.spec.dataShape],
    image: null,
    binarize: false,
    scale: 1,
    classNames: t.data.classNames,
    maskColumns: maskColumnsOf(t.encoder),
  };
  return { recipe: full, data: t.data, vae, info, extra: { tabular: t.state } };
}

async function prepare(recipe: Recipe, saved: RunConfig | null, valFlag?: number): Promise<Prepared> {
  if (isTabularDataset(recipe.dataset)) return prepareTabularRun(recipe, saved, valFlag);
  if (recipe.model === 'tabular')
    throw new TrainConfigError(
      `--model tabular takes a .csv path or penguins as --dataset, got ${recipe.dataset}`,
    );
  const data = await loadImageData(recipe.dataset, recipe.valCount);
  const vae = buildImageModel(recipe, data);
  return { recipe, data, vae, info: imageInfo(data, vae) };
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
  // A clear error, before anything is created, when there is no run to resume.
  if (o.resume) readConfig(o.out);
  const fresh = o.resume ? null : trackNewRun(o.out);
  mkdirSync(o.out, { recursive: true });
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
    refuseRecipeChanges(saved.recipe, o);
  } else if (existsSync(paths.config) || existsSync(paths.checkpoint))
    throw new RunError(`${o.out} already holds a run: pass --resume to continue it, or choose another --out`);
  // A resumed run keeps its recipe; only the epoch count may change (recorded once training starts).
  const epochs = saved ? resumeEpochs(o.out, saved.recipe, resumeFrom?.progress ?? null, o.epochs) : 0;
  const asked = saved ? { ...saved.recipe, epochs } : recipeFrom(o);
  const { recipe, data, vae, info, extra } = await prepare(asked, saved, o.val);
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
      optimizer: adam({ lr: recipe.lr }),
      train: data.train,
      val: recipe.valCount > 0 ? data.val : undefined,
      epochs: recipe.epochs,
      batchSize: recipe.batchSize,
      seed: recipe.seed,
      feed: {
        shape: info.shape,
        binarize: info.binarize,
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
