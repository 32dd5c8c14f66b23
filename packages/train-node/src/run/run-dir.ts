import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  CheckpointError,
  type HostTensor,
  modelFromSpec,
  UserError,
  type VAE,
  type VAESpec,
} from '@vae/core';
import { writeFileAtomic } from '../checkpoint/atomic';
import { loadParams } from '../checkpoint/checkpoint';
import { makeDirs } from '../checkpoint/make-dirs';
import type { SeriesModel, SeriesRecipe } from '../series/series-types';
import type { TextRecipe } from '../text/text-settings';
import { readJsonFile } from './read-json';

/** The likelihoods `vae train --likelihood` offers for image data. */
export type ImageLikelihood = 'bernoulli' | 'continuous-bernoulli' | 'gaussian' | 'discretized-logistic';
/** `vae train --binarize`: per-visit Bernoulli draws, a fixed 0.5 threshold, or none. */
export type BinarizeMode = 'dynamic' | 'threshold' | 'none';

/** The recipe a run was trained with (what `vae train` was asked for, after defaults). */
export interface Recipe {
  readonly dataset: string;
  readonly model: 'mlp' | 'conv' | 'tabular' | 'text' | SeriesModel;
  readonly latent: number;
  readonly hidden: readonly number[];
  readonly epochs: number;
  readonly batchSize: number;
  readonly lr: number;
  readonly seed: number;
  /** `--optimizer` (default adam), with torch's meaning of `weightDecay` for each (see optim-flags.ts). */
  readonly optimizer: 'adam' | 'adamw' | 'sgd';
  // `--prior`, `--weight-decay`, `--momentum`, `--lr-schedule`; absent in runs made before these
  // flags existed (then: standard, 0, none, constant).
  /** `standard`, `mog:K` or `vamp:K`. */
  readonly prior?: string;
  readonly weightDecay?: number;
  /** SGD's momentum (null for Adam and AdamW). */
  readonly momentum?: number | null;
  /** `constant`, `cosine`, `step:E:G` or `warmup:E` (E in epochs). */
  readonly lrSchedule?: string;
  readonly beta: number;
  readonly warmupEpochs: number;
  readonly freeBits: number | null;
  readonly iwae: number | null;
  readonly clip: number | null;
  readonly conditional: boolean;
  /** null: the trainer's default for the data (see `defaultStepsPerRun`). */
  readonly stepsPerRun: number | null;
  readonly patience: number | null;
  readonly valCount: number;
  // How user data (`--dataset PATH`) are read and split; absent for built-in and tabular data
  // (and in runs made before these flags existed). `dataset` is then an absolute path.
  /** Image folders: every image resized to [h, w] (`--size HxW`). */
  readonly size?: readonly [number, number];
  /** Image folders: colour converted to grey (`--grey`). */
  readonly grey?: boolean;
  /** `.npy` / `.npz`: N x C x H x W (`--channels-first`). */
  readonly channelsFirst?: boolean;
  /** `.npy` / `.npz`: absolute path of the class ids (`--labels`). */
  readonly labels?: string;
  /** Share of the examples held out as the test split, for data without one (`--test-fraction`). */
  readonly testFraction?: number;
  /** `--classes`: the class ids kept in the training and validation splits (the test split is whole). */
  readonly classes?: readonly number[];
  // p(x|z) of image models (`--likelihood`, `--binarize`, `--gaussian-scale`); absent in runs made
  // before these flags (read as bernoulli, dynamic) and in tabular runs.
  readonly likelihood?: ImageLikelihood;
  readonly binarize?: BinarizeMode;
  /** Gaussian: a learned scale shared by all pixels, one per pixel, or a fixed sigma. */
  readonly gaussianScale?: 'shared' | 'per-pixel' | number;
  /**
   * `--denoise`: a denoising VAE's input corruption in training steps, `gaussian:SIGMA`, `mask:P` or
   * `salt-pepper:P` (absent: a plain VAE). The model spec holds it too (`model.denoise`).
   */
  readonly denoise?: string;
  /** `--series`, `--window`, `--stride`, `--series-missing`: a VAE over windows of CSV columns. */
  readonly series?: SeriesRecipe;
  /** `--text chars`: a character-level text run (its vocabulary is in `config.extra.text`). */
  readonly text?: TextRecipe;
}

/** How the run's data reaches the model (so eval/export/sample treat data the way training did). */
export interface DataInfo {
  /** Model data shape, e.g. [784] or [1, 28, 28]. */
  readonly shape: readonly number[];
  /** Image height, width, channels when the data are images. */
  readonly image: { readonly h: number; readonly w: number; readonly c: number } | null;
  /** true: dynamic binarisation; `'threshold'`: x >= 0.5; false: the values as stored. */
  readonly binarize: boolean | 'threshold';
  /** uint8 pixels fed as (k + u) / 256, u ~ U[0, 1) (continuous densities on 8-bit data). */
  readonly dequantize?: boolean;
  /** Stored values are divided by this (255 for uint8 images). */
  readonly scale: number;
  readonly classNames: readonly string[] | null;
  /** Tabular: feature index where each column starts. */
  readonly maskColumns: readonly number[] | null;
}

/**
 * The DataInfo of data fed to the model as stored (float32, no scaling, binarisation or labels):
 * time-series windows [C, W] and text ids [maxLen + 1].
 */
export const asStoredDataInfo = (shape: readonly number[]): DataInfo => ({
  shape: [...shape],
  image: null,
  binarize: false,
  scale: 1,
  classNames: null,
  maskColumns: null,
});

/** `config.json` of a run folder. */
/** One change of a run's epoch count, in `config.json`'s `history`. */
export interface RunHistoryEntry {
  /** ISO time the changed run started training. */
  readonly at: string;
  readonly command: string;
  readonly epochs: { readonly from: number; readonly to: number };
}

export interface RunConfig {
  readonly format: 'vae-run';
  readonly version: 1;
  readonly createdAt: string;
  readonly model: VAESpec;
  readonly recipe: Recipe;
  readonly data: DataInfo;
  /** Extra, dataset-specific settings needed to rebuild the data (e.g. a tabular encoder's state). */
  readonly extra?: Record<string, unknown>;
  /** Each `--resume` that changed `recipe.epochs` (extended or shortened the run), oldest first. */
  readonly history?: readonly RunHistoryEntry[];
}

export const runPaths = (dir: string) => ({
  config: join(dir, 'config.json'),
  checkpoint: join(dir, 'checkpoint.safetensors'),
  best: join(dir, 'best.safetensors'),
  metrics: join(dir, 'metrics.jsonl'),
  bundle: join(dir, 'bundle'),
});

/** A run folder that is missing or unusable. */
export class RunError extends UserError {
  override name = 'RunError';
}

export function writeConfig(dir: string, config: RunConfig): void {
  makeDirs(dir);
  writeFileAtomic(runPaths(dir).config, `${JSON.stringify(config, null, 2)}\n`);
}

export function readConfig(dir: string): RunConfig {
  const p = runPaths(dir).config;
  if (!existsSync(p))
    throw new RunError(
      `${dir} is not a run folder: no config.json (train one with \`vae train --out ${dir}\`)`,
    );
  const c = readJsonFile(p, (m) => new RunError(`${m}: the run folder is damaged`)) as RunConfig | null;
  if (c?.format !== 'vae-run' || c.version !== 1) throw new RunError(`${p}: not a vae-run v1 config`);
  return c;
}

/** A trained run: its config, model and best weights (best validation, or the last epoch's). */
export interface LoadedRun {
  readonly dir: string;
  readonly config: RunConfig;
  readonly vae: VAE;
  readonly params: Record<string, HostTensor>;
}

export function loadRun(dir: string): LoadedRun {
  const config = readConfig(dir);
  const paths = runPaths(dir);
  let params: Record<string, HostTensor>;
  try {
    params = loadParams(existsSync(paths.best) ? paths.best : paths.checkpoint);
  } catch (e) {
    if (e instanceof CheckpointError) throw new RunError(`${dir} has no trained weights yet: ${e.message}`);
    throw e;
  }
  return { dir, config, vae: modelFromSpec(config.model), params };
}
