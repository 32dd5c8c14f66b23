import {
  adam,
  adamw,
  cosineLR,
  type LearningRate,
  linearWarmupLR,
  type Optimizer,
  type PriorSpec,
  sgd,
  stepLR,
  TrainConfigError,
} from '@vae/core';
import type { Recipe } from './run-dir';

// `--prior`, `--optimizer` (`--weight-decay`, `--momentum`) and `--lr-schedule`: their parsing,
// checks, and what a recipe's values build (the prior spec, the optimizer with its schedule).

export type OptimizerName = 'adam' | 'adamw' | 'sgd';
export const OPTIMIZERS: readonly OptimizerName[] = ['adam', 'adamw', 'sgd'];
/** torch.optim.AdamW's default decoupled weight decay; Adam and SGD default to none (torch's too). */
export const ADAMW_DEFAULT_WEIGHT_DECAY = 1e-2;

/** `--prior standard | mog:K | vamp:K` as a model prior. */
export function parsePrior(v: string): PriorSpec {
  if (v === 'standard') return { type: 'standard-normal' };
  const m = /^(mog|vamp):(.*)$/.exec(v);
  const k = m ? Number(m[2]) : Number.NaN;
  if (!m) throw new TrainConfigError(`--prior must be standard, mog:K or vamp:K (K components), got ${v}`);
  if (!(m[2] !== '' && Number.isInteger(k) && k >= 1))
    throw new TrainConfigError(
      `--prior ${v}: K must be a positive integer (${m[1] === 'mog' ? 'mixture components' : 'pseudo-inputs'}), e.g. ${m[1]}:10`,
    );
  return m[1] === 'mog' ? { type: 'mog', components: k } : { type: 'vamp', pseudoInputs: k };
}

/** A parsed `--lr-schedule`; E in epochs (any positive number), G the decay factor per E epochs. */
export type LrSchedule =
  | { readonly type: 'constant' }
  | { readonly type: 'cosine' }
  | { readonly type: 'step'; readonly epochs: number; readonly gamma: number }
  | { readonly type: 'warmup'; readonly epochs: number };

const SCHEDULE_HELP = 'constant, cosine, step:E:G or warmup:E (E in epochs, G the decay factor)';

/** `--lr-schedule constant | cosine | step:E:G | warmup:E`. */
export function parseLrSchedule(v: string): LrSchedule {
  if (v === 'constant' || v === 'cosine') return { type: v };
  const parts = v.split(':');
  const nums = parts.slice(1).map((p) => (p.trim() === '' ? Number.NaN : Number(p)));
  const epochs = nums[0]!;
  if (parts[0] === 'step' && parts.length === 3) {
    const gamma = nums[1]!;
    if (!(Number.isFinite(epochs) && epochs > 0))
      throw new TrainConfigError(`--lr-schedule ${v}: E (epochs between decays) must be a positive number`);
    if (!(Number.isFinite(gamma) && gamma > 0))
      throw new TrainConfigError(
        `--lr-schedule ${v}: G (the factor each decay multiplies the rate by) must be a positive number`,
      );
    return { type: 'step', epochs, gamma };
  }
  if (parts[0] === 'warmup' && parts.length === 2) {
    if (!(Number.isFinite(epochs) && epochs > 0))
      throw new TrainConfigError(`--lr-schedule ${v}: E (warm-up epochs) must be a positive number`);
    return { type: 'warmup', epochs };
  }
  throw new TrainConfigError(`--lr-schedule must be ${SCHEDULE_HELP}, got ${v}`);
}

/** The canonical text of a schedule (as recorded in the recipe). */
export function showLrSchedule(s: LrSchedule): string {
  if (s.type === 'step') return `step:${s.epochs}:${s.gamma}`;
  if (s.type === 'warmup') return `warmup:${s.epochs}`;
  return s.type;
}

/** The canonical text of a `--prior` (as recorded in the recipe). */
export function showPrior(p: PriorSpec): string {
  if (p.type === 'mog') return `mog:${p.components}`;
  if (p.type === 'vamp') return `vamp:${p.pseudoInputs}`;
  return 'standard';
}

/** The optimizer, prior and schedule flags as given (undefined: not typed). */
export interface OptimFlags {
  readonly prior?: string;
  readonly optimizer?: string;
  readonly weightDecay?: number;
  readonly momentum?: number;
  readonly lrSchedule?: string;
}

/** The recipe fields of these flags, for a fresh run: checked, with defaults, in canonical form. */
export function optimRecipe(
  o: OptimFlags & { readonly freeBits?: number; readonly conditional?: boolean },
): Pick<Recipe, 'optimizer' | 'prior' | 'weightDecay' | 'momentum' | 'lrSchedule'> {
  const optimizer = (o.optimizer ?? 'adam') as OptimizerName;
  if (!OPTIMIZERS.includes(optimizer))
    throw new TrainConfigError(`--optimizer must be adam, adamw or sgd, got ${o.optimizer}`);
  if (o.weightDecay !== undefined && !(Number.isFinite(o.weightDecay) && o.weightDecay >= 0))
    throw new TrainConfigError(`--weight-decay must be a non-negative number, got ${o.weightDecay}`);
  if (o.momentum !== undefined) {
    if (optimizer !== 'sgd')
      throw new TrainConfigError(
        `--momentum is SGD's momentum; ${optimizer} keeps its own moment estimates (beta1 0.9): drop --momentum or use --optimizer sgd`,
      );
    if (!(Number.isFinite(o.momentum) && o.momentum >= 0 && o.momentum < 1))
      throw new TrainConfigError(`--momentum must be in [0, 1), got ${o.momentum}`);
  }
  const prior = parsePrior(o.prior ?? 'standard');
  if (prior.type !== 'standard-normal' && o.freeBits !== undefined)
    throw new TrainConfigError(
      `--free-bits needs a per-dimension KL, which --prior ${showPrior(prior)} has not (its KL is a Monte Carlo estimate): drop --free-bits or use --prior standard`,
    );
  if (prior.type === 'vamp' && o.conditional)
    throw new TrainConfigError(
      `--prior ${showPrior(prior)} encodes unlabelled pseudo-inputs, which a --conditional encoder cannot: use --prior mog:K or drop --conditional`,
    );
  const schedule = parseLrSchedule(o.lrSchedule ?? 'constant');
  return {
    optimizer,
    prior: showPrior(prior),
    weightDecay: o.weightDecay ?? (optimizer === 'adamw' ? ADAMW_DEFAULT_WEIGHT_DECAY : 0),
    momentum: optimizer === 'sgd' ? (o.momentum ?? 0) : null,
    lrSchedule: showLrSchedule(schedule),
  };
}

/** A recipe's prior (runs made before `--prior` existed: the standard normal). */
export const recipePrior = (r: Pick<Recipe, 'prior'>): PriorSpec => parsePrior(r.prior ?? 'standard');

/**
 * The learning rate of a recipe as a function of the global step `t` (the optimizer state's step
 * counter, so a resumed run continues the schedule exactly): constant; cosine from `lr` to 0 over
 * all the run's steps (torch CosineAnnealingLR, T_max = epochs x steps per epoch); `lr G^floor(t/S)`
 * with S = E epochs of steps (torch StepLR); linear warm-up from 0 to `lr` over E epochs of steps,
 * then constant (torch LinearLR, start factor 0). A constant is the plain number (the same graph
 * as before schedules existed).
 */
export function learningRate(
  r: Pick<Recipe, 'lr' | 'lrSchedule' | 'epochs'>,
  stepsPerEpoch: number,
): LearningRate {
  const s = parseLrSchedule(r.lrSchedule ?? 'constant');
  const steps = (epochs: number) => Math.max(1, Math.round(epochs * stepsPerEpoch));
  switch (s.type) {
    case 'constant':
      return r.lr;
    case 'cosine':
      return cosineLR({ lr: r.lr, tMax: steps(r.epochs) });
    case 'step':
      return stepLR({ lr: r.lr, stepSize: steps(s.epochs), gamma: s.gamma });
    case 'warmup':
      return linearWarmupLR({ warmupSteps: steps(s.epochs), after: r.lr });
  }
}

/**
 * The optimizer a recipe trains with (runs made before `--optimizer` existed: Adam, no decay,
 * constant rate). `--weight-decay` means what torch's `weight_decay` means for each: Adam and SGD
 * add `W p` to the gradient (L2), AdamW decays the weights by `lr W` before its step.
 */
export function recipeOptimizer(
  r: Pick<Recipe, 'lr' | 'lrSchedule' | 'epochs' | 'optimizer' | 'weightDecay' | 'momentum'>,
  stepsPerEpoch: number,
): Optimizer {
  const lr = learningRate(r, stepsPerEpoch);
  const weightDecay = r.weightDecay ?? 0;
  switch (r.optimizer) {
    case 'adam':
      return adam({ lr, weightDecay });
    case 'adamw':
      return adamw({ lr, weightDecay });
    case 'sgd':
      return sgd({ lr, weightDecay, momentum: r.momentum ?? 0 });
    default:
      throw new TrainConfigError(`unknown optimizer ${String(r.optimizer)} in the run's recipe`);
  }
}

/**
 * A cosine schedule spans the run's steps, so changing the epoch count of a resumed cosine run
 * would change the rate of the steps already taken.
 * @throws TrainConfigError
 */
export function refuseScheduleLengthChange(saved: Recipe, epochs: number): void {
  if (saved.lrSchedule === 'cosine' && epochs !== saved.epochs)
    throw new TrainConfigError(
      `--epochs ${epochs}: the run's cosine learning-rate schedule spans its ${saved.epochs} epochs, so its length cannot change on --resume; drop --epochs or start a new run`,
    );
}
