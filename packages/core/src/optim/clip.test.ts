import { fold, key, normal } from '@vae/random';
import { describe, expect, it } from 'vitest';
import type { HostTensor } from '../ir/dtype';
import { Graph } from '../ir/graph';
import { interpret } from '../ir/interpret';
import { relError, runOrt } from '../testing/harness';
import { clipByGlobalNorm } from './clip';

const shapes = { a: [5, 4], b: [4], c: [] as number[] };

function build(maxNorm: number, std: number) {
  const g = new Graph('clip');
  const feeds: Record<string, HostTensor> = {};
  const grads = Object.fromEntries(
    Object.entries(shapes).map(([n, s], i) => {
      const size = s.reduce((p, d) => p * d, 1);
      feeds[n] = { dtype: 'float32', shape: s, data: normal(fold(key(3), i), size, { std }) };
      return [n, g.input(n, s)];
    }),
  );
  const out = clipByGlobalNorm(grads, maxNorm);
  const outs = [out.norm, ...Object.keys(shapes).map((n) => out.grads[n]!)];
  // torch.nn.utils.clip_grad_norm_ in float64
  let sq = 0;
  for (const t of Object.values(feeds)) for (const v of t.data as Float32Array) sq += v * v;
  const norm = Math.sqrt(sq);
  const coef = Math.min(maxNorm / (norm + 1e-6), 1);
  return { g, outs, feeds, norm, coef };
}

describe('clipByGlobalNorm (torch.nn.utils.clip_grad_norm_)', () => {
  it.each([
    [0.5, 1],
    [100, 1],
    [1, 1e-4],
  ])('maxNorm %s, grads of std %s', async (maxNorm, std) => {
    const b = build(maxNorm, std);
    const vals = interpret(b.g, b.outs, b.feeds);
    const got = (vals[0]!.data as Float32Array)[0]!;
    expect(Math.abs(got - b.norm)).toBeLessThanOrEqual(1e-6 * b.norm);
    Object.keys(shapes).forEach((n, i) => {
      const g = b.feeds[n]!.data as Float32Array;
      const y = vals[i + 1]!.data as Float32Array;
      g.forEach((v, j) =>
        expect(Math.abs(y[j]! - v * b.coef)).toBeLessThanOrEqual(1e-6 * Math.abs(v) + 1e-12),
      );
      if (b.coef === 1) expect(Array.from(y)).toEqual(Array.from(g));
    });
    if (maxNorm === 0.5) {
      // clipped: the new global norm is maxNorm (up to the 1e-6 guard)
      const sq = vals
        .slice(1)
        .reduce((s, t) => s + Array.from(t.data as Float32Array).reduce((a, v) => a + v * v, 0), 0);
      expect(Math.sqrt(sq)).toBeCloseTo(0.5, 5);
    }
    const ort = await runOrt(b.g, b.outs, b.feeds);
    ort.forEach((t, i) => expect(relError(t, vals[i]!, 1e-6)).toBeLessThanOrEqual(1e-5));
  });

  it('with gradScale, clips gradients of a scaled loss exactly as the unscaled ones', () => {
    const b = build(0.5, 1);
    const g = new Graph('clip_scaled');
    const k = 1.7;
    const scaled = Object.fromEntries(Object.entries(shapes).map(([n, s]) => [n, g.input(n, s).mul(k)]));
    const out = clipByGlobalNorm(scaled, 0.5, g.scalar(k));
    const vals = interpret(g, [out.norm, ...Object.keys(shapes).map((n) => out.grads[n]!)], b.feeds);
    expect(Math.abs((vals[0]!.data as Float32Array)[0]! - b.norm)).toBeLessThanOrEqual(1e-6 * b.norm);
    Object.keys(shapes).forEach((n, i) => {
      const x = b.feeds[n]!.data as Float32Array;
      const y = vals[i + 1]!.data as Float32Array;
      x.forEach((v, j) =>
        expect(Math.abs(y[j]! - k * v * b.coef)).toBeLessThanOrEqual(1e-6 * Math.abs(k * v) + 1e-12),
      );
    });
  });
});
