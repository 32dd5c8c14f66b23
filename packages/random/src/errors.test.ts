import { describe, expect, it } from 'vitest';
import { dataPermutation } from './data-draws';
import { dataKey, foldIn, toDataKey } from './data-key';
import { InvalidSeedError, RandomArgumentError } from './errors';
import { key } from './key';

const USER_ERROR = Symbol.for('@vae/user-error');
const branded = (e: unknown) => (e as Record<symbol, unknown>)[USER_ERROR] === true;
const thrown = (f: () => unknown): unknown => {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('did not throw');
};

describe('errors', () => {
  it("carry @vae/core's user-error brand without importing core", () => {
    const seed = thrown(() => key(-1));
    expect(seed).toBeInstanceOf(InvalidSeedError);
    expect(branded(seed)).toBe(true);
    expect((seed as Error).name).toBe('InvalidSeedError');
    for (const f of [() => dataKey(1.5), () => toDataKey({ hi: 0, lo: -1 }), () => foldIn({ seed: 1 }, -1)]) {
      const e = thrown(f);
      expect(e).toBeInstanceOf(RandomArgumentError);
      expect(e).toBeInstanceOf(RangeError);
      expect(branded(e)).toBe(true);
      expect((e as RandomArgumentError).source).toBe('<key>');
    }
  });

  it('name the argument family and the problem the way @vae/datasets messages do', () => {
    const e = thrown(() => dataPermutation({ seed: 0 }, -2)) as RandomArgumentError;
    expect(e.message).toBe('<permutation>: length must be an integer in [0, 2^32), got -2');
    expect([e.source, e.detail]).toEqual(['<permutation>', 'length must be an integer in [0, 2^32), got -2']);
    expect(e.name).toBe('RandomArgumentError');
  });
});
