import { isUserError, UserError } from '@vae/core';
import { describe, expect, it } from 'vitest';
import { InferError, toInferError } from './errors';
import * as api from './index';

describe('InferError is user-facing', () => {
  it('carries the user-error brand and keeps its name', () => {
    const e = new InferError('fetch', 'decoder.onnx: HTTP 404');
    expect(isUserError(e)).toBe(true);
    expect(e).toBeInstanceOf(UserError);
    expect(e).toBeInstanceOf(InferError);
    expect(e.name).toBe('InferError');
    expect(isUserError(toInferError(new TypeError('boom'), 'session'))).toBe(true);
  });

  it('every error class the package exports is a user error', () => {
    const classes = Object.entries(api).filter(
      ([, v]) => typeof v === 'function' && v.prototype instanceof Error,
    ) as [string, new (...args: never[]) => Error][];
    expect(classes.map(([n]) => n).sort()).toEqual(['BundleError', 'InferError']);
    for (const [, C] of classes) expect(isUserError(Object.create(C.prototype))).toBe(true);
  });
});
