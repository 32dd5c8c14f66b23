/**
 * Errors of `@vae/random`. Both are user-facing: they carry the brand of `@vae/core`'s `UserError`
 * (`Symbol.for('@vae/user-error')`, read by core's `isUserError` and `instanceof UserError`) without
 * importing core, which sits above this package (DESIGN.md: everything may use random, random uses
 * nothing), the same way `@vae/datasets` brands its errors.
 */

const USER_ERROR: unique symbol = Symbol.for('@vae/user-error');

/** Thrown by `key` when the seed is not an integer in `0..Number.MAX_SAFE_INTEGER`. */
export class InvalidSeedError extends Error {
  override name = 'InvalidSeedError';
  /** The user-error brand that `@vae/core`'s `isUserError` checks. */
  get [USER_ERROR](): true {
    return true;
  }
  /** The rejected seed, as given. */
  readonly seed: unknown;

  constructor(seed: unknown) {
    super(`Invalid PRNG seed ${String(seed)}: expected an integer in 0..${Number.MAX_SAFE_INTEGER}`);
    this.seed = seed;
  }
}

/**
 * A bad argument to the data-key family (`dataKey`, `toDataKey`, `foldIn`, `dataPermutation`, ...):
 * a seed, key word, fold value or length out of range. The message is `${source}: ${detail}`, the
 * form of `@vae/datasets`' errors, which rethrows it as its own `DatasetArgumentError`.
 */
export class RandomArgumentError extends RangeError {
  override name = 'RandomArgumentError';
  /** The user-error brand that `@vae/core`'s `isUserError` checks. */
  get [USER_ERROR](): true {
    return true;
  }
  /** Which argument family: `<key>` or `<permutation>`. */
  readonly source: string;
  /** What is wrong, without the source. */
  readonly detail: string;

  constructor(source: string, detail: string) {
    super(`${source}: ${detail}`);
    this.source = source;
    this.detail = detail;
  }
}
