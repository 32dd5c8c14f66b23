import { resolve } from 'node:path';
import { TRAIN_DEFAULTS, TrainConfigError } from '@vae/core';
import { isTabularDataset } from '../data/tabular-data';
import { checkUserDataFlags, type UserDataFlags, userDataKind } from '../data/user-data';
import { type SeriesFlags, seriesRecipe } from '../series/series-flags';
import { textRecipe } from '../text/text-flags';
import { TEXT_DEFAULTS, type TextFlags } from '../text/text-settings';
import { denoiseRecipe } from './denoise-flag';
import { likelihoodRecipe } from './likelihood-flags';
import { type OptimFlags, optimRecipe } from './optim-flags';
import type { Recipe } from './run-dir';

/**
 * The `vae train` flags that make up a recipe, as given: absent flags are undefined, so a resumed
 * run can tell a flag the user typed from a default (the defaults apply to fresh runs only).
 */
export interface RecipeFlags extends UserDataFlags, OptimFlags, SeriesFlags, TextFlags {
  readonly dataset?: string;
  readonly model?: Recipe['model'];
  readonly latent?: number;
  readonly hidden?: readonly number[];
  readonly epochs?: number;
  readonly batch?: number;
  readonly lr?: number;
  readonly seed?: number;
  readonly beta?: number;
  readonly warmupEpochs?: number;
  readonly freeBits?: number;
  readonly iwae?: number;
  readonly clip?: number;
  readonly conditional?: boolean;
  readonly stepsPerRun?: number;
  readonly patience?: number;
  readonly val?: number;
  readonly likelihood?: string;
  readonly binarize?: string;
  /** `--gaussian-scale shared | per-pixel | S` (S > 0: a fixed sigma), as typed. */
  readonly gaussianScale?: string;
  /** `--classes`: class names or ids as typed (resolved against the data's classes when loaded). */
  readonly classes?: readonly string[];
  /** `--denoise gaussian:SIGMA | mask:P | salt-pepper:P`, as typed (a denoising VAE). */
  readonly denoise?: string;
}

/** Defaults of a fresh run's flags (the model's sizes depend on the model). */
export const RECIPE_DEFAULTS = {
  dataset: 'mnist-default',
  epochs: TRAIN_DEFAULTS.epochs,
  batch: TRAIN_DEFAULTS.batchSize,
  lr: TRAIN_DEFAULTS.learningRate,
  seed: TRAIN_DEFAULTS.seed,
  image: TRAIN_DEFAULTS.sizes.mlp,
  conv: TRAIN_DEFAULTS.sizes.conv,
  tabular: TRAIN_DEFAULTS.sizes.tabular,
  conv1d: TRAIN_DEFAULTS.sizes.conv1d,
  gru: TRAIN_DEFAULTS.sizes.gru,
} as const;

type Defaulted = 'dataset' | 'model' | 'latent' | 'hidden' | 'epochs' | 'batch' | 'lr' | 'seed';

/** The flags with a fresh run's defaults filled in. */
export function withRecipeDefaults<T extends RecipeFlags>(o: T): T & Required<Pick<RecipeFlags, Defaulted>> {
  const d = RECIPE_DEFAULTS;
  const dataset = o.dataset ?? d.dataset;
  const model =
    o.model ??
    (o.text !== undefined ? 'text' : o.series ? 'conv1d' : isTabularDataset(dataset) ? 'tabular' : 'mlp');
  const sizes =
    model === 'text'
      ? TEXT_DEFAULTS
      : model === 'tabular' || model === 'conv' || model === 'conv1d' || model === 'gru'
        ? d[model]
        : d.image;
  return {
    ...o,
    dataset,
    model,
    latent: o.latent ?? sizes.latent,
    hidden: o.hidden ?? [...sizes.hidden],
    epochs: o.epochs ?? d.epochs,
    batch: o.batch ?? d.batch,
    lr: o.lr ?? d.lr,
    seed: o.seed ?? d.seed,
  };
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

/** The recipe of a fresh run: the flags with their defaults, each checked, and their combinations. */
export function recipeFrom(flags: RecipeFlags): Recipe {
  // `--text chars`, checked on the flags as typed (a text run refuses flags for other data).
  const text = textRecipe(flags);
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
  if (!text && !['mlp', 'conv', 'tabular', 'conv1d', 'gru'].includes(o.model))
    throw new TrainConfigError(`--model must be mlp, conv, tabular, conv1d or gru, got ${o.model}`);
  const series = seriesRecipe(o);
  const kind = text ? null : userDataKind(o.dataset);
  // A series has its own --test-fraction (the last share of its steps), checked by seriesRecipe.
  if (!text) checkUserDataFlags(o.dataset, kind, series.series ? { ...o, testFraction: undefined } : o);
  return {
    // A user's file or folder is stored by its absolute path, so eval/export/... reload it from anywhere.
    dataset: text ? text.dataset : kind ? resolve(o.dataset) : o.dataset,
    model: o.model,
    latent: o.latent,
    hidden: [...o.hidden],
    epochs: o.epochs,
    batchSize: o.batch,
    lr: o.lr,
    seed: o.seed,
    ...optimRecipe(o),
    beta: o.beta ?? 1,
    warmupEpochs: o.warmupEpochs ?? 0,
    freeBits: o.freeBits ?? null,
    iwae: o.iwae ?? null,
    clip: o.clip ?? null,
    conditional: o.conditional ?? false,
    stepsPerRun: o.stepsPerRun ?? null,
    patience: o.patience ?? null,
    valCount: o.val ?? (o.dataset === 'mnist-default' ? 1000 : 5000),
    ...(o.size ? { size: [o.size[0], o.size[1]] as const } : {}),
    ...(o.grey ? { grey: true } : {}),
    ...(o.channelsFirst ? { channelsFirst: true } : {}),
    ...(o.labels !== undefined ? { labels: resolve(o.labels) } : {}),
    ...(o.testFraction !== undefined ? { testFraction: o.testFraction } : {}),
    ...(text ? { text: text.text, freeBits: text.freeBits } : series.series ? series : likelihoodRecipe(o)),
    ...denoiseRecipe(o),
  };
}
