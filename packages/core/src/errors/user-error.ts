/**
 * User-facing errors: errors whose message is the whole story for the person who caused them (a bad
 * option, a missing or damaged file, a spec that cannot work), as opposed to bugs in vae itself (an
 * op with no rule, an internal graph that does not differentiate), which need a stack trace and a
 * report. A CLI prints a user error as one line and anything else as a bug.
 *
 * The mark is a brand, a property keyed by a registered symbol, not the identity of a class:
 * - `@vae/datasets` must not import core (DESIGN.md: the arrows point `datasets -> random` only), yet
 *   its `DatasetError` family is user-facing; it carries the same `Symbol.for` key by itself;
 * - a class can be user-facing and still extend another family (`ShapeError` is an `IRError`, and
 *   `MissingRuleError`, also an `IRError`, is not);
 * - two copies of core in one process (CJS and ESM builds, two versions) agree on the brand.
 */

/** The brand's key. `Symbol.for`, so that code which cannot import core can set and read it. */
export const USER_ERROR: unique symbol = Symbol.for('@vae/user-error');

/** Whether `e` is a user-facing error: it carries the {@link USER_ERROR} brand. */
export function isUserError(e: unknown): e is Error {
  return typeof e === 'object' && e !== null && (e as { [USER_ERROR]?: unknown })[USER_ERROR] === true;
}

/**
 * Base class of user-facing errors. `e instanceof UserError` is {@link isUserError}: it also holds for
 * errors that carry the brand without extending this class (datasets' `DatasetError`, core's
 * `ShapeError`). `instanceof` a subclass keeps its ordinary meaning.
 */
export class UserError extends Error {
  override name = 'UserError';

  /** The brand, on the prototype, so every subclass inherits it. */
  get [USER_ERROR](): true {
    return true;
  }

  // `this` is the class on the right of `instanceof`: UserError itself, or a subclass (which inherits
  // this method and must keep the ordinary prototype-chain test).
  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: which class is asking is the point
    return this === UserError ? isUserError(value) : Function.prototype[Symbol.hasInstance].call(this, value);
  }
}
