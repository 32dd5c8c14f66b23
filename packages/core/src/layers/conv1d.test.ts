import { key } from '@vae/random';
import { describe, expect, it } from 'vitest';
import type { HostTensor } from '../ir/dtype';
import { Graph } from '../ir/graph';
import { interpret } from '../ir/interpret';
import { buildCase, type InputSpec } from '../testing/harness';
import { expectGradsMatchFd, expectOrtParityWithGrads, layerCase } from '../testing/layer-checks';
import { apply } from './apply';
import { type AnyConv1dSpec, pads1d } from './conv1d';
import { init } from './init';
import { outputShape, paramShapes } from './shapes';
import { type LayerSpec, LayerSpecError } from './spec';

/** Float64 torch.nn.functional.conv1d / conv_transpose1d by their definitions, [N, C, L] row-major. */
function oracle(spec: AnyConv1dSpec, x: HostTensor, w: HostTensor, b: HostTensor | null): number[] {
  const [N, C, L] = x.shape as [number, number, number];
  const [k, s, d, G] = [spec.kernel, spec.stride ?? 1, spec.dilation ?? 1, spec.groups ?? 1];
  const [pl, pr] = pads1d(spec);
  const M = spec.outChannels;
  const xv = (n: number, c: number, t: number) => Number(x.data[(n * C + c) * L + t]);
  const bias = (m: number) => (b ? Number(b.data[m]) : 0);
  if (spec.type === 'conv1d') {
    const Cg = C / G;
    const O = Math.floor((L + pl + pr - d * (k - 1) - 1) / s) + 1;
    const out = new Array<number>(N * M * O).fill(0);
    for (let n = 0; n < N; n++)
      for (let m = 0; m < M; m++)
        for (let o = 0; o < O; o++) {
          let acc = bias(m);
          const g = Math.floor(m / (M / G));
          for (let cg = 0; cg < Cg; cg++)
            for (let j = 0; j < k; j++) {
              const t = o * s - pl + j * d;
              if (t >= 0 && t < L) acc += xv(n, g * Cg + cg, t) * Number(w.data[(m * Cg + cg) * k + j]);
            }
          out[(n * M + m) * O + o] = acc;
        }
    return out;
  }
  const Mg = M / G;
  const O = s * (L - 1) + (spec.outputPadding ?? 0) + d * (k - 1) + 1 - pl - pr;
  const out = Array.from({ length: N * M * O }, (_, i) => bias(Math.floor(i / O) % M));
  for (let n = 0; n < N; n++)
    for (let c = 0; c < C; c++)
      for (let t = 0; t < L; t++)
        for (let mg = 0; mg < Mg; mg++)
          for (let j = 0; j < k; j++) {
            const o = t * s - pl + j * d;
            const m = Math.floor(c / (C / G)) * Mg + mg;
            if (o >= 0 && o < O)
              out[(n * M + m) * O + o]! += xv(n, c, t) * Number(w.data[(c * Mg + mg) * k + j]);
          }
  return out;
}

const specs: [string, AnyConv1dSpec, InputSpec][] = [
  ['conv1d plain', { type: 'conv1d', inChannels: 3, outChannels: 4, kernel: 3 }, { shape: [2, 3, 9] }],
  [
    'conv1d stride dilation asym pad groups',
    {
      type: 'conv1d',
      inChannels: 4,
      outChannels: 6,
      kernel: 3,
      stride: 2,
      dilation: 2,
      padding: [3, 1],
      groups: 2,
    },
    { shape: [2, 4, 11], declared: ['N', 4, 11] },
  ],
  [
    'conv1d causal dilated, no bias',
    { type: 'conv1d', inChannels: 2, outChannels: 3, kernel: 3, dilation: 2, causal: true, bias: false },
    { shape: [3, 2, 8], declared: ['N', 2, 8] },
  ],
  [
    'convTranspose1d stride outpad',
    {
      type: 'convTranspose1d',
      inChannels: 3,
      outChannels: 2,
      kernel: 4,
      stride: 2,
      padding: 1,
      outputPadding: 1,
    },
    { shape: [2, 3, 5], declared: ['N', 3, 5] },
  ],
  [
    'convTranspose1d dilation groups asym pad',
    {
      type: 'convTranspose1d',
      inChannels: 4,
      outChannels: 6,
      kernel: 3,
      dilation: 2,
      padding: [2, 0],
      groups: 2,
    },
    { shape: [2, 4, 6] },
  ],
];

describe('conv1d and convTranspose1d layers', () => {
  it.each(specs)('%s: forward equals the float64 definition', (_n, spec, x) => {
    const c = layerCase('fwd', spec, x);
    const { graph, outputs, feeds } = buildCase(c);
    const [y] = interpret(graph, outputs, feeds);
    const len = x.shape[2]!;
    expect(outputShape(spec, ['N', spec.inChannels, len])).toEqual(['N', ...y!.shape.slice(1)]);
    const want = oracle(spec, feeds.x0!, feeds.x1!, feeds.x2 ?? null);
    const got = Array.from(y!.data as Float32Array);
    expect(got.length).toBe(want.length);
    got.forEach((v, i) =>
      expect(Math.abs(v - want[i]!), `element ${i}`).toBeLessThan(1e-5 * (1 + Math.abs(want[i]!))),
    );
  });

  it.each(specs)('%s: gradients of x, weight and bias match finite differences', (_n, spec, x) => {
    expectGradsMatchFd(layerCase('fd', spec, x));
  });

  it.each(specs)(
    '%s: forward and gradients on onnxruntime-node equal the interpreter',
    async (_n, spec, x) => {
      await expectOrtParityWithGrads(layerCase('ort', spec, x));
    },
  );

  it('causal: output t does not depend on inputs after t (perturbation), and keeps the length', () => {
    for (const dilation of [1, 3]) {
      const spec: LayerSpec = {
        type: 'conv1d',
        inChannels: 2,
        outChannels: 2,
        kernel: 3,
        dilation,
        causal: true,
      };
      const c = layerCase('causal', spec, { shape: [1, 2, 12] });
      const { graph, outputs, feeds } = buildCase(c);
      const run = (f: typeof feeds) => Array.from(interpret(graph, outputs, f)[0]!.data as Float32Array);
      const base = run(feeds);
      expect(base.length).toBe(2 * 12);
      for (const t of [0, 5, 11]) {
        const x = Float32Array.from(feeds.x0!.data as Float32Array);
        x[t] = x[t]! + 1; // channel 0, step t
        x[12 + t] = x[12 + t]! - 1; // channel 1, step t
        const moved = run({ ...feeds, x0: { ...feeds.x0!, data: x } as HostTensor });
        for (let o = 0; o < 12; o++) {
          const changed = [0, 1].some((m) => moved[m * 12 + o] !== base[m * 12 + o]);
          // (t..t+2d) are reached by the 3 taps; nothing before t is.
          expect(changed, `dilation ${dilation}: input ${t} -> output ${o}`).toBe(
            o >= t && (o - t) % dilation === 0 && o - t <= 2 * dilation,
          );
        }
      }
    }
  });

  it('parameters in torch layout, torch default init bound, typed errors', () => {
    const conv: LayerSpec = { type: 'conv1d', inChannels: 6, outChannels: 4, kernel: 5, groups: 2 };
    const convT: LayerSpec = { type: 'convTranspose1d', inChannels: 6, outChannels: 4, kernel: 5, groups: 2 };
    expect(paramShapes(conv)).toEqual({ weight: [4, 3, 5], bias: [4] });
    expect(paramShapes(convT)).toEqual({ weight: [6, 2, 5], bias: [4] });
    const w = init(conv, key(3)).weight!.data as Float32Array;
    const bound = 1 / Math.sqrt(3 * 5);
    expect(Math.max(...Array.from(w, Math.abs))).toBeLessThanOrEqual(bound);
    expect(Math.max(...Array.from(w, Math.abs))).toBeGreaterThan(0.8 * bound);
    expect(() => outputShape({ ...conv, causal: true, padding: 1 }, ['N', 6, 8])).toThrow(LayerSpecError);
    expect(() => outputShape(conv, ['N', 6, 8, 1])).toThrow(/3-D \[N, C, L\]/);
    expect(() => outputShape(conv, ['N', 5, 8])).toThrow(/inChannels=6/);
    expect(() => outputShape({ ...conv, kernel: 9 }, ['N', 6, 8])).toThrow(/empty/);
    expect(() => outputShape({ ...convT, outputPadding: 1 }, ['N', 6, 8])).toThrow(/outputPadding/);
    const g = new Graph();
    const y = apply(
      conv,
      { weight: g.input('w', [4, 3, 5]), bias: g.input('b', [4]) },
      g.input('x', ['N', 6, 8]),
    );
    expect(y.shape).toEqual(['N', 4, 4]);
  });
});
