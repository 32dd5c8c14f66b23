import { spawnSync } from 'node:child_process';
import { key, uniform } from '@vae/core';
import { describe, expect, it } from 'vitest';
import { psnr, ssim } from './image-quality';

const random = (seed: number, n: number) => Float64Array.from(uniform(key(seed), n));

describe('psnr', () => {
  it('is infinite for identical images and 10 log10(1 / d^2) for a constant offset d', () => {
    const a = random(1, 784);
    expect(psnr(a, a)).toBe(Number.POSITIVE_INFINITY);
    expect(
      psnr(
        a.map((v) => v + 0.1),
        a,
      ),
    ).toBeCloseTo(20, 10);
    expect(
      psnr(
        a.map((v) => v - 0.05),
        a,
      ),
    ).toBeCloseTo(10 * Math.log10(400), 10);
    // Range 255: an offset of 1 grey level is 20 log10(255) dB.
    expect(psnr([3, 4], [4, 5], 255)).toBeCloseTo(20 * Math.log10(255), 10);
  });
});

/** SSIM straight from the definition: a 2-D Gaussian window summed at every valid position (float64). */
function directSsim(a: Float64Array, b: Float64Array, h: number, w: number, c: number): number {
  const win = Array.from({ length: 11 }, (_, i) => Math.exp(-((i - 5) ** 2) / 4.5));
  const norm = win.reduce((p, v) => p + v, 0) ** 2;
  let total = 0;
  for (let ch = 0; ch < c; ch++) {
    let sum = 0;
    let count = 0;
    for (let y0 = 0; y0 + 11 <= h; y0++)
      for (let x0 = 0; x0 + 11 <= w; x0++) {
        let [mx, my, sxx, syy, sxy] = [0, 0, 0, 0, 0];
        for (let dy = 0; dy < 11; dy++)
          for (let dx = 0; dx < 11; dx++) {
            const g = (win[dy]! * win[dx]!) / norm;
            const i = ch * h * w + (y0 + dy) * w + x0 + dx;
            const [u, v] = [a[i]!, b[i]!];
            mx += g * u;
            my += g * v;
            sxx += g * u * u;
            syy += g * v * v;
            sxy += g * u * v;
          }
        const [vx, vy, cov] = [sxx - mx * mx, syy - my * my, sxy - mx * my];
        const [c1, c2] = [1e-4, 9e-4];
        sum += ((2 * mx * my + c1) * (2 * cov + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2));
        count++;
      }
    total += sum / count;
  }
  return total / c;
}

const HAS_SKIMAGE = spawnSync('/usr/bin/python3', ['-c', 'import skimage'], { stdio: 'ignore' }).status === 0;

describe('ssim', () => {
  it('is 1 for identical images', () => {
    const a = random(2, 3 * 28 * 28);
    expect(ssim(a, a, { h: 28, w: 28, c: 3 })).toBeCloseTo(1, 12);
  });

  it('matches the closed form for constant images u and u + d', () => {
    // Equal (zero) variances: only the luminance term (2 u (u + d) + C1) / (u^2 + (u + d)^2 + C1) is left.
    for (const [u, d] of [
      [0.3, 0.1],
      [0.8, -0.5],
    ] as const) {
      const want = (2 * u * (u + d) + 1e-4) / (u * u + (u + d) ** 2 + 1e-4);
      const a = new Float64Array(20 * 15).fill(u + d);
      const b = new Float64Array(20 * 15).fill(u);
      expect(ssim(a, b, { h: 20, w: 15, c: 1 })).toBeCloseTo(want, 12);
    }
  });

  it('matches a direct 2-D window sum on random images, per channel averaged', () => {
    const [h, w, c] = [16, 13, 3];
    const b = random(3, h * w * c);
    const a = b.map((v, i) => v + 0.3 * (random(4, h * w * c)[i]! - 0.5));
    expect(ssim(a, b, { h, w, c })).toBeCloseTo(directSsim(a, b, h, w, c), 12);
  });

  it('refuses images smaller than the 11 x 11 window', () => {
    expect(() => ssim([0], [0], { h: 10, w: 30, c: 1 })).toThrow(RangeError);
  });

  it.skipIf(!HAS_SKIMAGE)("agrees with scikit-image's structural_similarity (Debian python3-skimage)", () => {
    // Grey 28x28 (a clean image against noisy and smoothed versions, values outside [0, 1] too) and RGB 17x19.
    const cases = [
      { h: 28, w: 28, c: 1, a: random(5, 784).map((v) => 1.6 * v - 0.3), b: random(6, 784) },
      { h: 17, w: 19, c: 3, a: random(7, 969), b: random(7, 969).map((v, i) => 0.7 * v + 0.1 * (i % 3)) },
    ];
    const script = `
import json, sys, numpy as np
from skimage.metrics import structural_similarity
out = []
for c in json.load(sys.stdin):
    a = np.array(c['a'], dtype=np.float64).reshape(c['c'], c['h'], c['w'])
    b = np.array(c['b'], dtype=np.float64).reshape(c['c'], c['h'], c['w'])
    out.append(structural_similarity(a, b, data_range=1, gaussian_weights=True, sigma=1.5,
        use_sample_covariance=False, channel_axis=0))
print(json.dumps(out))`;
    const r = spawnSync('/usr/bin/python3', ['-c', script], {
      input: JSON.stringify(cases.map((k) => ({ ...k, a: Array.from(k.a), b: Array.from(k.b) }))),
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(0);
    const want = JSON.parse(r.stdout) as number[];
    cases.forEach((k, i) => expect(ssim(k.a, k.b, k)).toBeCloseTo(want[i]!, 10));
  });
});
