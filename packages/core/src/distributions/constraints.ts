/**
 * Constraints on parameter and value elements, as a distribution declares them (NumPyro's
 * `arg_constraints` and `support`, torch's `constraints`). Each is checked only where the elements
 * are known while building (constant tensors), see {@link checkValues}.
 */

/** A predicate on one element and how an error message states it (`scale must be > 0`). */
export interface Constraint {
  readonly check: (v: number) => boolean;
  readonly describe: string;
}

/** A constraint from its predicate and its wording. */
export const constraint = (check: (v: number) => boolean, describe: string): Constraint => ({
  check,
  describe,
});

/** Any number but NaN. */
export const real = constraint((v) => !Number.isNaN(v), 'real (not NaN)');
/** Strictly positive. */
export const positive = constraint((v) => v > 0, '> 0');
/** The closed interval [0, 1]. */
export const unitInterval = constraint((v) => v >= 0 && v <= 1, 'in [0, 1]');
/** The integers 0..n-1 (a category index). */
export const indexBelow = (n: number): Constraint =>
  constraint((v) => Number.isInteger(v) && v >= 0 && v < n, `an index in 0..${n - 1}`);
