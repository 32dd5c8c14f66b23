import { describe, expect, it } from 'vitest';
import { pca2 } from './pca';

describe('pca2', () => {
  it('finds the two largest-variance directions of data with a known covariance', () => {
    // z = 3 a u + 1 b v + 0.1 c w in 4-D, with orthonormal u, v, w and standardised a, b, c.
    const u = [0.5, 0.5, 0.5, 0.5];
    const v = [0.5, -0.5, 0.5, -0.5];
    const w = [0.5, 0.5, -0.5, -0.5];
    const n = 4000;
    const pts = new Float32Array(n * 4);
    let s = 12345;
    const rnd = () => {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      return s / 2 ** 32 - 0.5;
    };
    for (let i = 0; i < n; i++) {
      const [a, b, c] = [rnd() * 3.46, rnd() * 3.46, rnd() * 3.46];
      for (let j = 0; j < 4; j++) pts[i * 4 + j] = 2 + 3 * a * u[j]! + b * v[j]! + 0.1 * c * w[j]!;
    }
    const { projected, mean, axes } = pca2(pts, n, 4);
    const dot = (x: number[], y: number[]) => x.reduce((t, xi, i) => t + xi * y[i]!, 0);
    expect(Math.abs(dot(axes[0], u))).toBeGreaterThan(0.999);
    expect(Math.abs(dot(axes[1], v))).toBeGreaterThan(0.999);
    expect(dot(axes[0], axes[1])).toBeCloseTo(0, 6);
    expect(dot(axes[0], axes[0])).toBeCloseTo(1, 6);
    mean.forEach((m) => expect(m).toBeCloseTo(2, 1));
    // Projection then back-projection recovers each point up to the third component (~0.1 spread).
    for (const i of [0, 17, 999]) {
      const back = mean.map(
        (m, j) => m + projected[i * 2]! * axes[0][j]! + projected[i * 2 + 1]! * axes[1][j]!,
      );
      back.forEach((x, j) => expect(Math.abs(x - pts[i * 4 + j]!)).toBeLessThan(0.2));
    }
  });
});
