import { describe, expect, it } from 'vitest';
import { zigguratNormals as fillNormals } from './ziggurat';

/** Standard normal upper tail 1 - Phi(x) in float64 (erfc by continued fraction for x >= 2). */
function upperTail(x: number): number {
  // Lentz's continued fraction for the Mills ratio: Q(x) = phi(x) / (x + 1/(x + 2/(x + 3/(x + ...))))
  let f = x;
  for (let n = 60; n >= 1; n--) f = x + n / f;
  return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI) / f;
}

describe('ziggurat normals', () => {
  const n = 1_000_000;
  const z = new Float32Array(n);
  fillNormals(0x9e3779b9, 0x243f6a88, 0x85a308d3, 0x13198a2f, z, 0, n);

  it('the tails (the base layer beyond 3.44 and the wedges of the top layers) have normal mass', () => {
    for (const t of [2, 3, 3.442619855899, 4]) {
      const p = 2 * upperTail(t);
      const got = z.reduce((c, v) => c + (Math.abs(v) > t ? 1 : 0), 0) / n;
      expect(Math.abs(got - p), `P(|x| > ${t})`).toBeLessThan(5 * Math.sqrt(p / n));
    }
  });

  it('is symmetric and deterministic for a given state', () => {
    const positive = z.reduce((c, v) => c + (v > 0 ? 1 : 0), 0) / n;
    expect(Math.abs(positive - 0.5)).toBeLessThan(5 * Math.sqrt(0.25 / n));
    const again = new Float32Array(1000);
    fillNormals(0x9e3779b9, 0x243f6a88, 0x85a308d3, 0x13198a2f, again, 0, 1000);
    expect(Array.from(again)).toEqual(Array.from(z.subarray(0, 1000)));
  });
});
