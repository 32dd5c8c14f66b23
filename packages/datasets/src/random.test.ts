import { describe, expect, it } from 'vitest';
import { DatasetArgumentError } from './errors';
import { dataKey, fillUniform, foldIn, permutation, splitKey, threefry2x32, toDataKey } from './random';

describe("this package's randomness (@vae/random's data-key family)", () => {
  it('throws DatasetArgumentError, with the source and message it always had', () => {
    expect(() => dataKey(-1)).toThrow(DatasetArgumentError);
    expect(() => dataKey(1.5)).toThrow('<key>: seed must be a non-negative safe integer, got 1.5');
    expect(() => toDataKey({ hi: -1, lo: 0 })).toThrow(DatasetArgumentError);
    expect(() => foldIn({ seed: 1 }, 2 ** 32)).toThrow(DatasetArgumentError);
    expect(() => splitKey({ seed: -3 })).toThrow(DatasetArgumentError);
    expect(() => fillUniform({ seed: Number.NaN }, 0, new Float32Array(2))).toThrow(DatasetArgumentError);
    try {
      permutation({ seed: 0 }, -1);
    } catch (e) {
      expect(e).toBeInstanceOf(DatasetArgumentError);
      expect((e as DatasetArgumentError).source).toBe('<permutation>');
      expect((e as Error).message).toBe('<permutation>: length must be an integer in [0, 2^32), got -1');
    }
    expect.assertions(9);
  });

  it('keeps threefry2x32 with its out-parameter form', () => {
    const out = new Uint32Array(2);
    threefry2x32(0, 0, 0, 0, out);
    expect(Array.from(out)).toEqual([0x6b200159, 0x99ba4efe]);
    expect(foldIn(dataKey(1), 5)).toEqual({ hi: 3243370355, lo: 1313272271 });
  });
});
