import { describe, expect, it } from 'vitest';
import { float16BitsToFloat32, float32ToFloat16Bits, fromFloat16Array, toFloat16Array } from './float16';

const hex = (h: number) => `0x${h.toString(16).padStart(4, '0')}`;

describe('float32 -> float16 (round to nearest even)', () => {
  it.each([
    [0, 0x0000],
    [-0, 0x8000],
    [1, 0x3c00],
    [-2, 0xc000],
    [0.5, 0x3800],
    [0.1, 0x2e66],
    [1 / 3, 0x3555],
    [65504, 0x7bff], // largest finite
    [65519, 0x7bff], // below the midpoint to 65536
    [65520, 0x7c00], // the midpoint: ties to even = infinity
    [1e6, 0x7c00],
    [-1e6, 0xfc00],
    [2 ** -14, 0x0400], // smallest normal
    [2 ** -24, 0x0001], // smallest subnormal
    [1023 * 2 ** -24, 0x03ff], // largest subnormal
    [2 ** -25, 0x0000], // half the smallest subnormal: tie to even (0)
    [1.5 * 2 ** -25, 0x0001], // above the tie
    [3 * 2 ** -25, 0x0002], // tie between 1 and 2 subnormal units: to even (2)
    [5 * 2 ** -25, 0x0002], // tie between 2 and 3: to even (2)
    [2 ** -26, 0x0000],
    [-(2 ** -24), 0x8001],
    [1023.5 * 2 ** -24, 0x0400], // tie at the subnormal/normal border rounds up to even 0x400
    [1 + 2 ** -11, 0x3c00], // tie: to even (down)
    [1 + 3 * 2 ** -11, 0x3c02], // tie: to even (up)
    [1 + 2 ** -11 + 2 ** -20, 0x3c01], // just above the tie
    [2047, 0x67ff],
    [2049, 0x6800], // tie: 2048 (even)
    [2051, 0x6802], // tie: 2052 (even)
    [Number.POSITIVE_INFINITY, 0x7c00],
    [Number.NEGATIVE_INFINITY, 0xfc00],
  ])('%d -> %s', (x, bits) => {
    expect(hex(float32ToFloat16Bits(x))).toBe(hex(bits));
  });

  it('NaN stays NaN (quiet), with its sign', () => {
    expect(hex(float32ToFloat16Bits(Number.NaN) & 0x7e00)).toBe('0x7e00');
    expect(Number.isNaN(float16BitsToFloat32(float32ToFloat16Bits(Number.NaN)))).toBe(true);
    const f = new Float32Array(1);
    new Uint32Array(f.buffer)[0] = 0xff800001; // negative signalling NaN, payload only in low bits
    const h = float32ToFloat16Bits(f[0]!);
    expect(h & 0x8000).toBe(0x8000);
    expect(Number.isNaN(float16BitsToFloat32(h))).toBe(true);
  });

  it('round-trips every float16 value exactly', () => {
    const wrong: string[] = [];
    for (let h = 0; h < 0x10000; h++) {
      const x = float16BitsToFloat32(h);
      if (!Number.isNaN(x) && float32ToFloat16Bits(x) !== h) wrong.push(hex(h));
    }
    expect(wrong).toEqual([]);
  });

  it('takes the nearer neighbour, and the even one at every midpoint', () => {
    const wrong: string[] = [];
    for (let h = 0; h < 0x7bff; h++) {
      const lo = float16BitsToFloat32(h);
      const hi = float16BitsToFloat32(h + 1);
      const mid = (lo + hi) / 2; // exact in float32 (float16 has 11 significant bits)
      const even = h % 2 === 0 ? h : h + 1;
      const below = Math.fround(mid - (hi - lo) / 8);
      const above = Math.fround(mid + (hi - lo) / 8);
      const got = [mid, below, above, -mid].map(float32ToFloat16Bits);
      const want = [even, h, h + 1, even | 0x8000];
      if (got.join() !== want.join()) wrong.push(`${hex(h)}: ${got.map(hex)} != ${want.map(hex)}`);
    }
    expect(wrong).toEqual([]);
  });

  it('array helpers agree with the scalar functions', () => {
    const xs = Float32Array.from([0.1, -3.5, 7e-8, 70000]);
    const bits = toFloat16Array(xs);
    expect(Array.from(bits)).toEqual(Array.from(xs, float32ToFloat16Bits));
    expect(Array.from(fromFloat16Array(bits))).toEqual(Array.from(bits, float16BitsToFloat32));
  });
});
