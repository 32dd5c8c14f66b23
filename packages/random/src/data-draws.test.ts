import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fillNormal, fillUniform, fillWords, dataPermutation as permutation } from './data-draws';
import { dataKey, foldIn, splitKey, toDataKey } from './data-key';
import { RandomArgumentError } from './errors';

describe('keys', () => {
  it('builds keys from seeds like PRNGKey and validates them', () => {
    expect(dataKey(0)).toEqual({ hi: 0, lo: 0 });
    expect(dataKey(2 ** 32 + 5)).toEqual({ hi: 1, lo: 5 });
    expect(toDataKey({ seed: 7 })).toEqual(dataKey(7));
    expect(() => dataKey(-1)).toThrow(RandomArgumentError);
    expect(() => dataKey(1.5)).toThrow(RandomArgumentError);
    expect(() => toDataKey({ hi: -1, lo: 0 })).toThrow(RandomArgumentError);
  });

  it('folds and splits deterministically into distinct keys', () => {
    const k = dataKey(42);
    expect(foldIn(k, 3)).toEqual(foldIn({ seed: 42 }, 3));
    expect(foldIn(k, 3)).not.toEqual(foldIn(k, 4));
    const [a, b] = splitKey(k);
    expect(a).not.toEqual(b);
    expect(splitKey(k, 3).slice(0, 2)).toEqual([a, b]);
  });
});

describe('draws', () => {
  it('words at any offset agree with the stream from 0', () => {
    const all = new Uint32Array(11);
    fillWords({ seed: 1 }, 5, all);
    for (let start = 0; start < 10; start++) {
      const part = new Uint32Array(11 - start);
      fillWords({ seed: 1 }, 5, part, start);
      expect([...part]).toEqual([...all.subarray(start)]);
    }
  });

  it('uniforms lie in [0, 1) with mean near 1/2', () => {
    const u = new Float64Array(100_000);
    fillUniform({ seed: 3 }, 0, u);
    let sum = 0;
    let inRange = true;
    for (const v of u) {
      inRange &&= v >= 0 && v < 1;
      sum += v;
    }
    expect(inRange).toBe(true);
    expect(Math.abs(sum / u.length - 0.5)).toBeLessThan(0.005);
  });

  it('normals have mean 0 and variance 1', () => {
    const z = new Float64Array(100_001);
    fillNormal({ seed: 4 }, 2, z);
    const mean = z.reduce((s, v) => s + v, 0) / z.length;
    const variance = z.reduce((s, v) => s + (v - mean) ** 2, 0) / z.length;
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(Math.abs(variance - 1)).toBeLessThan(0.02);
    expect(z.every(Number.isFinite)).toBe(true);
  });

  it('permutation is a permutation, determined by the key', () => {
    fc.assert(
      fc.property(fc.nat(2000), fc.nat(), (n, seed) => {
        const p = permutation({ seed }, n);
        expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
        expect([...permutation({ seed }, n)]).toEqual([...p]);
      }),
      { numRuns: 100 },
    );
  });

  it('permutation is close to uniform over the 6 orders of 3', () => {
    const counts = new Map<string, number>();
    for (let s = 0; s < 6000; s++) {
      const key = String([...permutation({ seed: s }, 3)]);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    for (const c of counts.values()) expect(Math.abs(c - 1000)).toBeLessThan(150);
  });
});
