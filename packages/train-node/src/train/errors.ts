/** Training settings or data that cannot work, named precisely. */
export class TrainConfigError extends Error {
  override name = 'TrainConfigError';
}

/** The loss became NaN or infinite: training stopped; the last good checkpoint is kept. */
export class NonFiniteLossError extends Error {
  override name = 'NonFiniteLossError';
  constructor(
    readonly step: number,
    readonly value: number,
    readonly checkpoint: string | null,
  ) {
    super(
      `loss is ${value} at step ${step} (epoch-independent count, 1-based): training stopped. ` +
        (checkpoint ? `The last good checkpoint is kept at ${checkpoint}. ` : 'Nothing was saved. ') +
        'Try a lower learning rate (--lr), gradient clipping (--clip 1), KL warm-up (--warmup-epochs), ' +
        'or check the data for NaN/Inf values and its scaling.',
    );
  }
}
