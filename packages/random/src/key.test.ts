import { describe, expect, it } from 'vitest';
import { randomBits } from './draws';
import { InvalidSeedError } from './errors';
import { FOLD_TAG, fold, key, SPLIT_TAG, split } from './key';
import { threefry2x32 } from './threefry';

describe('key', () => {
  it('lays seeds out as [hi, lo] like jax.random.PRNGKey', () => {
    expect(key(0)).toEqual({ k0: 0, k1: 0 });
    expect(key(42)).toEqual({ k0: 0, k1: 42 });
    expect(key(0xffffffff)).toEqual({ k0: 0, k1: 0xffffffff });
    expect(key(2 ** 32 + 5)).toEqual({ k0: 1, k1: 5 });
    expect(key(Number.MAX_SAFE_INTEGER)).toEqual({ k0: 0x1fffff, k1: 0xffffffff });
    expect(Object.isFrozen(key(1))).toBe(true);
  });

  it.each([1.5, -1, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, -0.5, '3', null])(
    'throws InvalidSeedError for %s',
    (bad) => {
      const call = () => key(bad as number);
      expect(call).toThrow(InvalidSeedError);
      try {
        call();
      } catch (e) {
        expect(e).toBeInstanceOf(Error);
        expect((e as InvalidSeedError).name).toBe('InvalidSeedError');
        expect((e as InvalidSeedError).seed).toBe(bad);
      }
    },
  );
});

describe('split and fold', () => {
  const k = key(7);
  const words = (ks: readonly { k0: number; k1: number }[]) => ks.flatMap((c) => [c.k0, c.k1]);

  it('is deterministic and derives children from tagged counters', () => {
    expect(split(k, 3)).toEqual(split(k, 3));
    const [c0, c1] = threefry2x32(k.k0, k.k1, 1, SPLIT_TAG);
    expect(split(k, 3)[1]).toEqual({ k0: c0, k1: c1 });
    const [f0, f1] = threefry2x32(k.k0, k.k1, 9, FOLD_TAG);
    expect(fold(k, 9)).toEqual({ k0: f0, k1: f1 });
    expect(split(k).length).toBe(2);
    expect(split(k, 0)).toEqual([]);
  });

  it('gives children that differ from each other and from the parent stream', () => {
    const kids = words(split(k, 64));
    const folds = words(Array.from({ length: 64 }, (_, i) => fold(k, i)));
    const parent = Array.from(randomBits(k, 128));
    const all = [...kids, ...folds, ...parent, k.k0, k.k1];
    expect(new Set(all).size).toBe(all.length);
    // Children's own draws differ too.
    const [a, b] = split(k);
    expect(Array.from(randomBits(a!, 8))).not.toEqual(Array.from(randomBits(b!, 8)));
    expect(Array.from(randomBits(a!, 8))).not.toEqual(Array.from(randomBits(k, 8)));
  });

  it('splits into a prefix-stable list', () => {
    expect(split(k, 5).slice(0, 2)).toEqual(split(k, 2));
  });

  it('rejects bad counts and fold data', () => {
    for (const bad of [-1, 1.5, Number.NaN, 2 ** 32]) {
      expect(() => split(k, bad)).toThrow(RangeError);
      expect(() => fold(k, bad)).toThrow(RangeError);
    }
    expect(fold(k, 0xffffffff).k0).toBeTypeOf('number');
  });
});
