import { TrainConfigError } from '@vae/core';
import { DatasetShapeError } from '@vae/datasets/pure';
import { describe, expect, it } from 'vitest';
import {
  errorFromMessage,
  errorToMessage,
  RecipeError,
  StoreError,
  TrainDataError,
  WorkerError,
} from './errors';

describe('errors across the worker boundary', () => {
  it('keep their class and one-line message', () => {
    const m = errorToMessage(new StoreError('OPFS write\nfailed'));
    expect(m).toEqual({ name: 'StoreError', message: 'OPFS write failed' });
    const e = errorFromMessage(m);
    expect(e).toBeInstanceOf(StoreError);
    expect(e.message).toBe('OPFS write failed');
  });

  it("map core's and datasets' user errors to this package's, and bugs to WorkerError", () => {
    expect(errorToMessage(new TrainConfigError('digits has 10 examples')).name).toBe('RecipeError');
    expect(errorFromMessage(errorToMessage(new TrainConfigError('x')))).toBeInstanceOf(RecipeError);
    expect(errorToMessage(new DatasetShapeError('d', 'bad')).name).toBe('TrainDataError');
    expect(errorFromMessage({ name: 'TrainDataError', message: 'x' })).toBeInstanceOf(TrainDataError);
    expect(errorToMessage(new TypeError('x is undefined'))).toEqual({
      name: 'WorkerError',
      message: 'TypeError: x is undefined',
    });
    expect(errorFromMessage({ name: 'Nope', message: 'x' })).toBeInstanceOf(WorkerError);
  });
});
