import { describe, expect, it } from 'vitest';
import * as core from '../index';
import { isUserError, USER_ERROR, UserError } from './user-error';

/** Every error class core exports is classified here: a new one must be added, with a reason. */
const CORE_ERRORS: Record<string, boolean> = {
  BundleError: true,
  DistributionError: true,
  NotReparameterizedError: true,
  NoClosedFormError: true,
  KLNotImplemented: true,
  LayerSpecError: true,
  ModelSpecError: true,
  OptimizerError: true,
  InvalidSeedError: true,
  OnnxDecodeError: true, // a file that is not ONNX
  OnnxImportError: true, // an ONNX file that uses what the reader cannot map
  ShapeError: true, // shapes that do not fit: names the op and the shapes
  FeedError: true, // a missing or misshapen graph input
  BackendUnavailableError: true, // no registered backend could start: lists each and why
  TabularRowError: true, // a row that does not fit a tabular bundle's columns: names row and column
  SeriesWindowError: true, // windows that do not fit a series bundle's columns and window
  TextInputError: true, // texts a text bundle cannot encode (not strings, longer than its maxLen)
  TrainConfigError: true, // training settings or data that cannot work (batch size, epochs, K)
  NonFiniteLossError: true, // the loss became NaN/Inf: names the step and the last good checkpoint
  CheckpointError: true, // checkpoint bytes that are damaged or of another format
  SafetensorsError: true, // bytes that are not valid safetensors, or a tensor it cannot hold
  UserError: true,
  // Bugs: whoever built the graph must fix it; the CLI asks for a report with the stack.
  IRError: false,
  MissingRuleError: false,
  NotDifferentiableError: false,
};

const errorClasses = Object.entries(core).filter(
  ([, v]) => typeof v === 'function' && (v === Error || v.prototype instanceof Error),
) as [string, new (...args: never[]) => Error][];

/** An instance without running the constructor (their arguments differ). */
const instanceOf = (C: new (...args: never[]) => Error): Error => Object.create(C.prototype) as Error;

describe('user-facing errors', () => {
  it('classifies every error class core exports', () => {
    expect(errorClasses.map(([n]) => n).sort()).toEqual(Object.keys(CORE_ERRORS).sort());
  });

  it.each(Object.entries(CORE_ERRORS))('%s is a user error: %s', (name, user) => {
    const C = (core as unknown as Record<string, new (...args: never[]) => Error>)[name]!;
    expect(isUserError(instanceOf(C))).toBe(user);
    expect(instanceOf(C) instanceof UserError).toBe(user);
  });

  it('keeps names and ordinary instanceof for subclasses', () => {
    const e = new core.BundleError('hash', 'decoder.onnx: SHA-256 differs');
    expect(e.name).toBe('BundleError');
    expect(e).toBeInstanceOf(core.BundleError);
    expect(e).toBeInstanceOf(Error);
    expect(new core.ModelSpecError('x') instanceof core.BundleError).toBe(false);
    const shape = new core.ShapeError('MatMul', '[2, 3] x [4, 5]');
    expect(shape).toBeInstanceOf(core.IRError);
    expect(shape).toBeInstanceOf(UserError);
    expect(new core.MissingRuleError('Foo', 'vjp')).not.toBeInstanceOf(UserError);
  });

  it('recognises the brand on errors of packages that cannot import core', () => {
    // What @vae/datasets does: the registered symbol, no import.
    class Foreign extends Error {
      get [Symbol.for('@vae/user-error')]() {
        return true;
      }
    }
    expect(Symbol.for('@vae/user-error')).toBe(USER_ERROR);
    expect(isUserError(new Foreign('x'))).toBe(true);
    expect(new Foreign('x')).toBeInstanceOf(UserError);
    for (const v of [new Error('x'), new TypeError('x'), null, undefined, 'text', { message: 'x' }])
      expect(isUserError(v)).toBe(false);
  });
});
