import { UserError } from '../errors/user-error';

/** Training settings or data that cannot work, named precisely. */
export class TrainConfigError extends UserError {
  override name = 'TrainConfigError';
}

/**
 * The loss became NaN or infinite: training stopped; the last good checkpoint is kept. `checkpoint`
 * is that file's path when one exists on disk (null before the run's first checkpoint).
 */
export class NonFiniteLossError extends UserError {
  override name = 'NonFiniteLossError';
  constructor(
    readonly step: number,
    readonly value: number,
    readonly checkpoint: string | null,
  ) {
    super(
      `loss is ${value} at step ${step} (epoch-independent count, 1-based): training stopped. ` +
        (checkpoint
          ? `The last good checkpoint is kept at ${checkpoint}. `
          : 'No checkpoint had been saved yet, so there is nothing to resume. ') +
        'Try a lower learning rate (--lr), gradient clipping (--clip 1), KL warm-up (--warmup-epochs), ' +
        'or check the data for NaN/Inf values and its scaling.',
    );
  }
}
