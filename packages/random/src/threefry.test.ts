import { describe, expect, it } from 'vitest';
import { threefry2x32, threefry2x32Fill, threefry2x32Into } from './threefry';

const M = 0xffffffff;

describe('threefry2x32', () => {
  // Random123 kat_vectors "threefry2x32 20" (ctr, key -> out), also used by JAX's random_test.py
  // and TensorFlow's stateful random tests: [k0, k1, x0, x1, y0, y1].
  const kat: [number, number, number, number, number, number][] = [
    [0, 0, 0, 0, 0x6b200159, 0x99ba4efe],
    [M, M, M, M, 0x1cb996fc, 0xbb002be7],
    [0x13198a2e, 0x03707344, 0x243f6a88, 0x85a308d3, 0xc4923a9c, 0x483df7a0],
  ];
  it.each(kat)(
    'matches the Random123 known answer for key [%i, %i] ctr [%i, %i]',
    (k0, k1, x0, x1, y0, y1) => {
      expect(threefry2x32(k0, k1, x0, x1)).toEqual([y0, y1]);
    },
  );

  it('matches jax.random.split(PRNGKey(0)) = [[4146024105, 967050713], [2718843009, 1272950319]]', () => {
    // JAX hashes iota(4) as x0 = [0, 1], x1 = [2, 3] and lays out [y0..., y1...].
    const [a0, a1] = threefry2x32(0, 0, 0, 2);
    const [b0, b1] = threefry2x32(0, 0, 1, 3);
    expect([a0, b0, a1, b1]).toEqual([4146024105, 967050713, 2718843009, 1272950319]);
  });

  it.each(kat)(
    'threefry2x32Into writes the same answer at an offset, for key [%i, %i] ctr [%i, %i]',
    (k0, k1, x0, x1, y0, y1) => {
      const out = new Uint32Array(5);
      threefry2x32Into(k0, k1, x0, x1, out, 3);
      expect(Array.from(out)).toEqual([0, 0, 0, y0, y1]);
    },
  );

  it('returns uint32 words', () => {
    for (let i = 0; i < 100; i++) {
      for (const w of threefry2x32(i, M - i, i * 7, i * 13)) {
        expect(Number.isInteger(w) && w >= 0 && w <= M).toBe(true);
      }
    }
  });
});

describe('threefry2x32Fill', () => {
  it('equals the scalar function block by block, with a start and tag', () => {
    const out = threefry2x32Fill(5, 6, new Uint32Array(10), 100, 0xabc);
    for (let j = 0; j < 5; j++) {
      expect([out[2 * j], out[2 * j + 1]]).toEqual(threefry2x32(5, 6, 100 + j, 0xabc));
    }
  });

  it('makes a shorter (odd) fill a prefix of a longer one', () => {
    const long = threefry2x32Fill(1, 2, new Uint32Array(9));
    const short = threefry2x32Fill(1, 2, new Uint32Array(7));
    expect(Array.from(short)).toEqual(Array.from(long.subarray(0, 7)));
    expect(threefry2x32Fill(1, 2, new Uint32Array(0)).length).toBe(0);
  });

  it('refuses counters that would wrap past 2^32 - 1', () => {
    expect(() => threefry2x32Fill(0, 0, new Uint32Array(4), M)).toThrow(RangeError);
    expect(threefry2x32Fill(0, 0, new Uint32Array(2), M)[0]).toBe(threefry2x32(0, 0, M, 0)[0]);
    expect(() => threefry2x32Fill(0, 0, new Uint32Array(2), -1)).toThrow(RangeError);
  });
});
