import { describe, expect, it } from 'vitest';
import * as datasets from './pure';

// @vae/core's `isUserError` reads this registered symbol; datasets cannot import core (DESIGN.md).
const USER_ERROR = Symbol.for('@vae/user-error');

const errorClasses = Object.entries(datasets).filter(
  ([, v]) => typeof v === 'function' && v.prototype instanceof Error,
) as [string, new (...args: never[]) => Error][];

describe('dataset errors', () => {
  it('exports the whole DatasetError family', () => {
    expect(errorClasses.map(([n]) => n).sort()).toEqual([
      'ChecksumError',
      'CsvFormatError',
      'DatasetArgumentError',
      'DatasetError',
      'DatasetNotFoundError',
      'DatasetShapeError',
      'FileAccessError',
      'IdxFormatError',
      'ImageFormatError',
      'NpyFormatError',
      'SchemaError',
    ]);
  });

  it.each(errorClasses)('%s carries the user-error brand and keeps its name', (name, C) => {
    const e = Object.create(C.prototype) as Error & { [USER_ERROR]?: unknown };
    expect(e[USER_ERROR]).toBe(true);
    expect(e).toBeInstanceOf(datasets.DatasetError);
    if (name !== 'DatasetError')
      expect(new (C as new (s: string, m: string) => Error)('f', 'm').name).toBe(name);
  });
});
