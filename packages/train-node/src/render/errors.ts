import { UserError } from '@vae/core';

/**
 * A command option or input that cannot work (e.g. `--n` not a positive integer, a run without image
 * data); the message names the option and the value at fault.
 */
export class UsageError extends UserError {
  override name = 'UsageError';
}

/** Throws a {@link UsageError} unless `value` is an integer >= `min` (default 1). */
export function checkInt(flag: string, value: number, min = 1): void {
  if (!Number.isInteger(value) || value < min)
    throw new UsageError(
      `--${flag} must be ${min === 1 ? 'a positive integer' : `an integer >= ${min}`}, got ${value}`,
    );
}
