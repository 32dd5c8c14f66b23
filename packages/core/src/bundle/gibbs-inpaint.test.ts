import { fold, key, normal } from '@vae/random';
import { describe, expect, it } from 'vitest';
import { type GibbsGraphs, metropolisWithinGibbs } from './gibbs-inpaint';

/**
 * A linear-Gaussian model with a known answer: z ~ N(0, 1), x_f | z ~ N(z, SIGMA^2) for two features,
 * and a deliberately wrong encoder q(z|x) = N((x_1 + x_2) / 2, 1). Given x_1 = 1 the exact posterior
 * mean of z (and so E[x_2 | x_1]) is x_1 / (1 + SIGMA^2) = 0.8; pseudo-Gibbs with this encoder settles
 * where E[x_2] = (1 + E[x_2]) / 2, at 1.
 */
const SIGMA = 0.5;
const logN = (x: number, m: number, s: number) =>
  -0.5 * ((x - m) / s) ** 2 - Math.log(s) - 0.5 * Math.log(2 * Math.PI);

const toy: GibbsGraphs = {
  async encode(x, n) {
    const loc = Float32Array.from({ length: n }, (_, i) => (x[2 * i]! + x[2 * i + 1]!) / 2);
    return { loc, scale: new Float32Array(n).fill(1) };
  },
  async posteriorSample(loc, scale, eps, k, n) {
    return Float32Array.from({ length: k * n }, (_, t) => loc[t % n]! + scale[t % n]! * eps[t]!);
  },
  async decode(z, n) {
    return Float32Array.from({ length: 2 * n }, (_, t) => z[Math.floor(t / 2)]!);
  },
  async logWeights(x, loc, scale, eps, params, k, n) {
    return Float32Array.from({ length: k * n }, (_, t) => {
      const i = t % n;
      const z = loc[i]! + scale[i]! * eps[t]!;
      const m = params[2 * t]!;
      return (
        logN(x[2 * i]!, m, SIGMA) +
        logN(x[2 * i + 1]!, m, SIGMA) +
        logN(z, 0, 1) -
        logN(z, loc[i]!, scale[i]!)
      );
    });
  },
  async dataSample(params, n, k) {
    const e = normal(fold(k, 0), 2 * n);
    return Float32Array.from(params, (m, t) => m + SIGMA * e[t]!);
  },
  async dataMean(params) {
    return params.slice();
  },
};

const n = 4000;
const x0 = Float32Array.from({ length: 2 * n }, (_, t) => (t % 2 === 0 ? 1 : 0));
const missing = Float32Array.from({ length: 2 * n }, (_, t) => t % 2);
const average = (v: Float32Array) => v.filter((_, t) => t % 2 === 1).reduce((a, b) => a + b, 0) / n;

describe('metropolisWithinGibbs', () => {
  it('converges to the exact E[x_mis | x_obs] with a wrong encoder, where pseudo-Gibbs does not', async () => {
    const o = { n, latent: 1, iters: 60, key: key(3) };
    const mwg = await metropolisWithinGibbs(toy, x0, missing, o);
    const pseudo = await metropolisWithinGibbs(toy, x0, missing, { ...o, metropolis: false });
    console.log(
      `E[x_2 | x_1 = 1]: exact 0.8, MwG ${average(mwg.filled).toFixed(4)} (acceptance ${mwg.acceptance.toFixed(3)}), pseudo-Gibbs ${average(pseudo.filled).toFixed(4)}`,
    );
    expect(average(mwg.filled)).toBeCloseTo(0.8, 1);
    expect(Math.abs(average(mwg.filled) - 0.8)).toBeLessThan(0.02);
    expect(Math.abs(average(pseudo.filled) - 1)).toBeLessThan(0.02);
    expect(mwg.acceptance).toBeGreaterThan(0.2);
    expect(mwg.acceptance).toBeLessThan(1);
    expect(pseudo.acceptance).toBe(1);
  });

  it('copies the observed entries through, and the same key gives the same fill', async () => {
    const o = { n: 50, latent: 1, iters: 6, key: key(9) };
    const a = await metropolisWithinGibbs(toy, x0.subarray(0, 100), missing.subarray(0, 100), o);
    const b = await metropolisWithinGibbs(toy, x0.subarray(0, 100), missing.subarray(0, 100), o);
    expect(a.filled).toEqual(b.filled);
    for (let t = 0; t < 100; t += 2) expect(a.filled[t]).toBe(1);
    const c = await metropolisWithinGibbs(toy, x0.subarray(0, 100), missing.subarray(0, 100), {
      ...o,
      key: key(10),
    });
    expect(c.filled).not.toEqual(a.filled);
  });

  it('refuses a bad iteration count, burn-in or mask length', async () => {
    const o = { n: 1, latent: 1, key: key(1) };
    await expect(
      metropolisWithinGibbs(toy, x0.subarray(0, 2), missing.subarray(0, 2), { ...o, iters: 0 }),
    ).rejects.toThrow(/iters must be a positive integer/);
    await expect(
      metropolisWithinGibbs(toy, x0.subarray(0, 2), missing.subarray(0, 2), { ...o, iters: 4, burnIn: 4 }),
    ).rejects.toThrow(/burnIn/);
    await expect(
      metropolisWithinGibbs(toy, x0.subarray(0, 2), missing.subarray(0, 1), { ...o, iters: 4 }),
    ).rejects.toThrow(/missing/);
  });
});
