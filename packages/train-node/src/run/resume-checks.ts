/**
 * Resuming a run: the flags that must match the saved recipe (so a resume continues bit for bit),
 * and the epoch count, the one recipe field a resume may change.
 */
import { resolve } from 'node:path';
import type { TrainProgress } from '@vae/core';
import { TrainConfigError } from '@vae/core';
import { isTabularDataset } from '../data/tabular-data';
import { SERIES_CHECKS } from '../series/series-flags';
import { TEXT_CHECKS } from '../text/text-flags';
import { parseDenoise, showDenoise } from './denoise-flag';
import { LIKELIHOOD_CHECKS } from './likelihood-flags';
import { parseLrSchedule, parsePrior, showLrSchedule, showPrior } from './optim-flags';
import type { RecipeFlags } from './recipe-flags';
import { type Recipe, type RunConfig, RunError, type RunHistoryEntry } from './run-dir';

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
