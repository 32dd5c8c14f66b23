import { key, normal } from '@vae/random';
import { describe, expect, it } from 'vitest';
import { Graph } from '../ir/graph';
import { interpret } from '../ir/interpret';
import { activeUnits, columnMeans } from './diagnostics';
import { combineLogWeightChunks } from './iwae';
import { cyclicalWarmup, linearWarmup } from './schedules';

const logMeanExp = (xs: number[]) => {
  const m = Math.max(...xs);
  return m + Math.log(xs.reduce((s, x) => s + Math.exp(x - m), 0) / xs.length);
};

describe('importance-sampled log-likelihood in chunks', () => {
  it('combining chunks equals one logmeanexp over all weights, even for weights near -1e4', () => {
    const n = 3;
    const all = Array.from(normal(key(1), 40 * n), (v) => 50 * v - 10_000);
    const chunks = [
      { k: 15, data: all.slice(0, 15 * n) },
      { k: 25, data: all.slice(15 * n) },
    ];
    const got = combineLogWeightChunks(chunks, n);
    for (let j = 0; j < n; j++) {
      const col = Array.from({ length: 40 }, (_, i) => all[i * n + j]!);
      expect(got[j]).toBeCloseTo(logMeanExp(col), 9);
    }
  });
});

describe('KL warm-up schedules', () => {
  it('linear and cyclical match their closed forms on host and in the graph', () => {
    const lin = linearWarmup(100, 1);
    const cyc = cyclicalWarmup(400, 4, 0.5);
    const g = new Graph();
    const step = g.input('step', []);
    const steps = [0, 10, 50, 99, 100, 150, 250, 399];
    for (const s of steps) {
      const [a, b] = interpret(g, [lin.graph(step), cyc.graph(step)], {
        step: { dtype: 'float32', shape: [], data: Float32Array.of(s) },
      });
      expect(lin(s)).toBeCloseTo(Math.min(1, s / 100), 12);
      expect(cyc(s)).toBeCloseTo(Math.min(1, (s % 100) / 100 / 0.5), 12);
      expect((a!.data as Float32Array)[0]).toBeCloseTo(lin(s), 6);
      expect((b!.data as Float32Array)[0]).toBeCloseTo(cyc(s), 6);
    }
    expect(() => linearWarmup(0)).toThrow(RangeError);
  });
});

describe('diagnostics', () => {
  it('active units count dimensions whose posterior means vary over the data', () => {
    // dim 0 varies (std 1), dim 1 is constant, dim 2 varies a little (std 0.05 -> var 0.0025)
    const n = 500;
    const z = normal(key(2), n);
    const small = normal(key(3), n);
    const means = Float64Array.from({ length: n * 3 }, (_, i) =>
      i % 3 === 0 ? z[i / 3]! : i % 3 === 1 ? 0.7 : 0.05 * small[(i - 2) / 3]!,
    );
    const { count, variances } = activeUnits(means, n, 3);
    expect(count).toBe(1);
    expect(variances[0]).toBeGreaterThan(0.8);
    expect(variances[1]).toBeLessThan(1e-20);
    expect(columnMeans(means, n, 3)[1]).toBeCloseTo(0.7, 12);
  });
});
