import { USER_ERROR } from '../errors/user-error';

/**
 * Base class of every error the IR throws, so callers can catch them as one family. Not itself
 * user-facing (see `UserError`): a plain IRError or a MissingRuleError is a bug in whoever built
 * the graph; ShapeError and FeedError describe inputs and carry the user-error brand.
 */
export class IRError extends Error {
  override name = 'IRError';
}

/** Shapes or dtypes that an op cannot accept; the message names the op and the shapes. */
export class ShapeError extends IRError {
  override name = 'ShapeError';
  /** User-facing: the message names the op and the shapes. */
  get [USER_ERROR](): true {
    return true;
  }
  constructor(
    readonly op: string,
    detail: string,
  ) {
    super(`${op}: ${detail}`);
  }
}

/** An op has no rule in one of the interpretation tables (a gap, not a user mistake). */
export class MissingRuleError extends IRError {
  override name = 'MissingRuleError';
  constructor(
    readonly op: string,
    readonly table: string,
  ) {
    super(`op ${op} has no ${table} rule`);
  }
}

/** The gradient was requested through an op that has none (e.g. Loop). */
export class NotDifferentiableError extends IRError {
  override name = 'NotDifferentiableError';
  constructor(
    readonly op: string,
    detail = 'it has no gradient',
  ) {
    super(`cannot differentiate through ${op}: ${detail}`);
  }
}

/** A graph was evaluated with a missing, misshapen or mistyped input. */
export class FeedError extends IRError {
  override name = 'FeedError';
  /** User-facing: the message names the input. */
  get [USER_ERROR](): true {
    return true;
  }
}
