import { resolve } from 'node:path';
import type { TrainProgress } from '../checkpoint/checkpoint';
import { isTabularDataset } from '../data/tabular-data';
import { checkUserDataFlags, type UserDataFlags, userDataKind } from '../data/user-data';
import { SERIES_CHECKS, type SeriesFlags, seriesRecipe } from '../series/series-flags';
import { TEXT_CHECKS, textRecipe } from '../text/text-flags';
import { TEXT_DEFAULTS, type TextFlags } from '../text/text-settings';
import { TrainConfigError } from '../train/errors';
import { denoiseRecipe, parseDenoise, showDenoise } from './denoise-flag';
import { LIKELIHOOD_CHECKS, likelihoodRecipe } from './likelihood-flags';
import {
  type OptimFlags,
  optimRecipe,
  parseLrSchedule,
  parsePrior,
  showLrSchedule,
  showPrior,
} from './optim-flags';
import { type Recipe, type RunConfig, RunError, type RunHistoryEntry } from './run-dir';

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
  epochs: 10,
  batch: 128,
  lr: 1e-3,
  seed: 1,
  image: { latent: 20, hidden: [400] },
  // Conv: the channel widths of the stride-2 convs (at 28x28 grey, convVAE28).
  conv: { latent: 20, hidden: [32, 64] },
  tabular: { latent: 4, hidden: [64, 64] },
  // Series windows: conv1d widths of the stride-2 convs; gru its one hidden size.
  conv1d: { latent: 8, hidden: [32, 64] },
  gru: { latent: 8, hidden: [64] },
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

type Check = readonly [flag: string, given: (f: RecipeFlags) => unknown, saved: (r: Recipe) => unknown];

/**
 * Flags that are part of the recipe: a resumed run must train the way it started, so a resume
 * continues bit for bit. `--steps-per-run` is one of them (it moves the weights' last float32 bits);
 * `--epochs` is not (see {@link resumeEpochs}); `--threads`, `--prefetch`, `--checkpoint-every`
 * and `--quiet` are run-time settings and may change between invocations.
 */
const CHECKS: readonly Check[] = [
  ['dataset', (f) => f.dataset, (r) => r.dataset],
  ['model', (f) => f.model, (r) => r.model],
  ['latent', (f) => f.latent, (r) => r.latent],
  ['hidden', (f) => f.hidden, (r) => r.hidden],
  ['batch', (f) => f.batch, (r) => r.batchSize],
  ['lr', (f) => f.lr, (r) => r.lr],
  ['seed', (f) => f.seed, (r) => r.seed],
  ['beta', (f) => f.beta, (r) => r.beta],
  ['warmup-epochs', (f) => f.warmupEpochs, (r) => r.warmupEpochs],
  ['free-bits', (f) => f.freeBits, (r) => r.freeBits],
  ['iwae', (f) => f.iwae, (r) => r.iwae],
  ['clip', (f) => f.clip, (r) => r.clip],
  // Optimizer, prior and schedule (absent in older runs: their defaults), compared canonically.
  ['optimizer', (f) => f.optimizer, (r) => r.optimizer],
  ['weight-decay', (f) => f.weightDecay, (r) => r.weightDecay ?? 0],
  ['momentum', (f) => f.momentum, (r) => r.momentum ?? null],
  [
    'prior',
    (f) => (f.prior === undefined ? undefined : showPrior(parsePrior(f.prior))),
    (r) => r.prior ?? 'standard',
  ],
  [
    'lr-schedule',
    (f) => (f.lrSchedule === undefined ? undefined : showLrSchedule(parseLrSchedule(f.lrSchedule))),
    (r) => r.lrSchedule ?? 'constant',
  ],
  // A boolean flag is given only when present.
  ['conditional', (f) => (f.conditional === true ? true : undefined), (r) => r.conditional],
  ['steps-per-run', (f) => f.stepsPerRun, (r) => r.stepsPerRun],
  ['patience', (f) => f.patience, (r) => r.patience],
  ['val', (f) => f.val, (r) => r.valCount],
  // How user data are read and split (absent in runs on built-in data and in older runs).
  ['size', (f) => f.size, (r) => r.size ?? null],
  ['grey', (f) => (f.grey === true ? true : undefined), (r) => r.grey ?? false],
  ['channels-first', (f) => (f.channelsFirst === true ? true : undefined), (r) => r.channelsFirst ?? false],
  ['labels', (f) => f.labels, (r) => r.labels ?? null],
  ['test-fraction', (f) => f.testFraction, (r) => r.testFraction ?? null],
  // Compared as ids: trainCommand resolves the typed names against the run's classes first.
  ['classes', (f) => f.classes, (r) => r.classes?.map(String) ?? null],
  // p(x|z) (absent in older runs and tabular runs: Bernoulli on dynamically binarised pixels).
  ...LIKELIHOOD_CHECKS,
  // A series run's columns and windows (absent in other runs).
  ...SERIES_CHECKS,
  // A text run's corpus and model (`--text chars`; absent: none).
  ...TEXT_CHECKS,
  // A denoising VAE's input corruption (absent: none), compared canonically.
  [
    'denoise',
    (f) => (f.denoise === undefined ? undefined : showDenoise(parseDenoise(f.denoise))),
    (r) => r.denoise ?? 'none',
  ],
];

/** Flags given without a value. */
const BOOLEAN_FLAGS = new Set(['conditional', 'grey', 'channels-first', 'lowercase', 'lm']);

const show = (flag: string, v: unknown): string => {
  if (v === null) return flag === 'steps-per-run' ? 'the default for the data' : 'none';
  if (flag === 'size' && Array.isArray(v)) return v.join('x');
  return String(v);
};

/** Built-in dataset names (compared as given; every other `--dataset` value is a path). */
const isPath = (d: string) =>
  isTabularDataset(d) ? d !== 'penguins' : !['fashion-mnist', 'mnist', 'mnist-default'].includes(d);

function same(flag: string, a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => x === b[i]);
  if ((flag === 'dataset' || flag === 'labels') && typeof a === 'string' && typeof b === 'string')
    return a === b || (isPath(a) && isPath(b) && resolve(a) === resolve(b));
  return a === b;
}

/**
 * Refuses `--resume` flags that contradict the saved recipe, naming each difference:
 * "--lr 0.01 differs from the run's recipe (lr 0.001); drop the flag or start a new run".
 * A flag equal to the saved value is accepted.
 * @throws TrainConfigError
 */
export function refuseRecipeChanges(saved: Recipe, flags: RecipeFlags): void {
  const diffs = CHECKS.flatMap(([flag, given, had]) => {
    const g = given(flags);
    const s = had(saved);
    return g === undefined || same(flag, g, s) ? [] : [{ flag, g, s }];
  });
  if (diffs.length === 0) return;
  const asGiven = diffs.map((d) =>
    BOOLEAN_FLAGS.has(d.flag) ? `--${d.flag}` : `--${d.flag} ${show(d.flag, d.g)}`,
  );
  const asSaved = diffs.map((d) => `${d.flag} ${show(d.flag, d.s)}`).join(', ');
  const one = diffs.length === 1;
  throw new TrainConfigError(
    `${asGiven.join(', ')} ${one ? 'differs' : 'differ'} from the run's recipe (${asSaved}); ` +
      `drop the ${one ? 'flag' : 'flags'} or start a new run`,
  );
}

/**
 * The epoch count a resumed run trains to: `--epochs` when given (larger than the saved count
 * extends the run, smaller shortens it, fewer than the epochs done is refused), else the run's own.
 * @throws TrainConfigError for `--epochs` below the epochs done; RunError when nothing is left to train
 */
export function resumeEpochs(
  dir: string,
  saved: Recipe,
  progress: TrainProgress | null,
  asked: number | undefined,
): number {
  const done = progress?.epoch ?? 0;
  if (progress?.finished === 'early-stopping')
    throw new RunError(
      `${dir} stopped early at epoch ${done} (no better validation ELBO for ${saved.patience} epochs): ` +
        'there is nothing to resume; start a new run to train longer',
    );
  if (asked !== undefined && (!Number.isInteger(asked) || asked < 1))
    throw new TrainConfigError(`--epochs must be a positive integer, got ${asked}`);
  const target = asked ?? saved.epochs;
  if (target < done)
    throw new TrainConfigError(
      `--epochs ${target} is fewer than the ${done} epochs ${dir} has done; drop the flag or pass at least ${done + 1}`,
    );
  if (target === done)
    throw new RunError(
      `${dir} finished: it has trained all ${done} epochs; pass a larger --epochs to train on`,
    );
  return target;
}

/** The config with a new epoch count, the change recorded in its history. */
export function withEpochs(config: RunConfig, to: number, command: string): RunConfig {
  const entry: RunHistoryEntry = {
    at: new Date().toISOString(),
    command,
    epochs: { from: config.recipe.epochs, to },
  };
  return { ...config, recipe: { ...config.recipe, epochs: to }, history: [...(config.history ?? []), entry] };
}
