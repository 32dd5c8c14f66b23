import { key, normal } from '@vae/random';
import { describe, expect, it } from 'vitest';
import { grad } from '../autodiff/grad';
import type { HostTensor } from '../ir/dtype';
import { Graph } from '../ir/graph';
import { interpret } from '../ir/interpret';
import type { Tensor } from '../ir/tensor';
import { GraphNoise } from '../random/noise';
import { relError, runOrt } from '../testing/harness';
import { apply } from './apply';
import { init } from './init';
import { convDecoder28, convEncoder28, mlp } from './presets';
import { paramShapes } from './shapes';
import { type LayerSpec, LayerSpecError } from './spec';

/** A graph with an input x and one graph input per parameter (named as paramShapes says). */
function setup(spec: LayerSpec, xShape: (string | number)[], batch: number, seed = 1) {
  const g = new Graph('layers');
  const x = g.input('x', xShape);
  const params = Object.fromEntries(
    Object.entries(paramShapes(spec, 'm')).map(([n, s]) => [n, g.input(n, s)]),
  );
  const concrete = xShape.map((d) => (typeof d === 'number' ? d : batch));
  const size = concrete.reduce((a, d) => a * d, 1);
  const feeds: Record<string, HostTensor> = {
    ...init(spec, key(seed), 'm'),
    x: { dtype: 'float32', shape: concrete, data: normal(key(seed + 100), size) },
  };
  return { g, x, params, feeds };
}

async function expectOrtAgrees(g: Graph, outs: Tensor[], feeds: Record<string, HostTensor>, tol = 1e-5) {
  const ours = interpret(g, outs, feeds);
  const ort = await runOrt(g, outs, feeds);
  ours.forEach((t, i) => {
    expect(ort[i]!.shape).toEqual(t.shape);
    expect(relError(ort[i]!, t, 1e-2), `output ${i}`).toBeLessThanOrEqual(tol);
  });
  return ours;
}

describe('apply builds graphs that run on onnxruntime-node like the interpreter', () => {
  it('dense is x.matmul(W).add(b) with W [in, out]', () => {
    const spec: LayerSpec = { type: 'dense', in: 2, out: 3 };
    const g = new Graph();
    const y = apply(
      spec,
      { 'm.weight': g.input('w', [2, 3]), 'm.bias': g.input('b', [3]) },
      g.input('x', ['N', 2]),
      {},
      'm',
    );
    const f = (shape: number[], v: number[]): HostTensor => ({
      dtype: 'float32',
      shape,
      data: Float32Array.from(v),
    });
    const [out] = interpret(g, [y], {
      x: f([1, 2], [1, 2]),
      w: f([2, 3], [1, 2, 3, 4, 5, 6]),
      b: f([3], [0.5, 0, -1]),
    });
    expect(Array.from(out!.data as Float32Array)).toEqual([9.5, 12, 14]);
  });

  it('784-400-20 MLP: [N, 784] -> [N, 20]', async () => {
    const spec = mlp([784, 400, 20]);
    const s = setup(spec, ['N', 784], 3);
    const y = apply(spec, s.params, s.x, {}, 'm');
    expect(y.shape).toEqual(['N', 20]);
    await expectOrtAgrees(s.g, [y], s.feeds);
  });

  it('conv encoder for 28x28 and both mirror decoders', async () => {
    const enc = convEncoder28(40);
    const s = setup(enc, ['N', 1, 28, 28], 2);
    const h = apply(enc, s.params, s.x, {}, 'm');
    expect(h.shape).toEqual(['N', 40]);
    const [out] = await expectOrtAgrees(s.g, [h], s.feeds);
    expect(out!.shape).toEqual([2, 40]);
    for (const dec of [convDecoder28(20), convDecoder28(20, { upsample: true })]) {
      const d = setup(dec, ['N', 20], 2, 7);
      const y = apply(dec, d.params, d.x, {}, 'm');
      expect(y.shape).toEqual(['N', 1, 28, 28]);
      await expectOrtAgrees(d.g, [y], d.feeds);
    }
  });

  it('norms, residual, every activation, grouped/dilated convs', async () => {
    const acts = ['relu', 'leakyRelu', 'elu', 'tanh', 'sigmoid', 'softplus', 'identity'] as const;
    const spec: LayerSpec = {
      type: 'sequential',
      layers: [
        {
          type: 'conv2d',
          inChannels: 4,
          outChannels: 6,
          kernel: 3,
          padding: [1, 2],
          dilation: [1, 2],
          groups: 2,
        },
        { type: 'batchNorm', channels: 6, eps: 1e-3 },
        {
          type: 'convTranspose2d',
          inChannels: 6,
          outChannels: 4,
          kernel: 3,
          stride: 2,
          groups: 2,
          outputPadding: 1,
        },
        { type: 'upsample', scale: [1, 2] },
        { type: 'flatten' },
        { type: 'layerNorm', shape: [4 * 12 * 24] },
        { type: 'reshape', shape: [4, -1] },
        { type: 'layerNorm', shape: [288], affine: false },
        { type: 'flatten' },
        { type: 'dense', in: 1152, out: 8, init: 'glorot' },
        ...acts.map((fn): LayerSpec => ({ type: 'residual', body: { type: 'activation', fn } })),
        {
          type: 'residual',
          body: {
            type: 'sequential',
            layers: [
              { type: 'dense', in: 8, out: 8, init: 'he', bias: false },
              { type: 'activation', fn: 'elu', alpha: 0.5 },
            ],
          },
        },
        { type: 'dropout', rate: 0.5 },
      ],
    };
    const s = setup(spec, ['N', 4, 5, 5], 3);
    const y = apply(spec, s.params, s.x, {}, 'm');
    expect(y.shape).toEqual(['N', 8]);
    await expectOrtAgrees(s.g, [y], s.feeds);
  });

  it('gradients through conv, transposed conv, upsample and norms: ORT = interpreter = finite differences', async () => {
    const spec: LayerSpec = {
      type: 'sequential',
      layers: [
        { type: 'conv2d', inChannels: 2, outChannels: 3, kernel: 3, stride: 2, padding: 1 },
        { type: 'activation', fn: 'tanh' },
        { type: 'batchNorm', channels: 3 },
        { type: 'convTranspose2d', inChannels: 3, outChannels: 2, kernel: 4, stride: 2, padding: 1 },
        { type: 'upsample', scale: 2 },
        { type: 'conv2d', inChannels: 2, outChannels: 2, kernel: 3, padding: 1 },
        { type: 'flatten' },
        { type: 'layerNorm', shape: [288] },
      ],
    };
    const s = setup(spec, ['N', 2, 6, 6], 2, 3);
    const y = apply(spec, s.params, s.x, {}, 'm');
    const loss = y.sin().sum();
    const names = Object.keys(s.params);
    const gs = grad(
      loss,
      names.map((n) => s.params[n]!),
    );
    const vals = await expectOrtAgrees(s.g, gs, s.feeds, 1e-4);
    const lossAt = (name: string, j: number, d: number) => {
      const t = s.feeds[name] as HostTensor<'float32'>;
      const data = Float32Array.from(t.data);
      data[j]! += d;
      return (interpret(s.g, [loss], { ...s.feeds, [name]: { ...t, data } })[0]!.data as Float32Array)[0]!;
    };
    for (const name of ['m.0.weight', 'm.3.weight', 'm.5.weight', 'm.5.bias', 'm.2.weight', 'm.7.bias']) {
      const gv = vals[names.indexOf(name)]!.data as Float32Array;
      for (const j of [0, Math.min(5, gv.length - 1)]) {
        const fd = (lossAt(name, j, 3e-3) - lossAt(name, j, -3e-3)) / 6e-3;
        expect(Math.abs(fd - gv[j]!), `${name}[${j}]`).toBeLessThan(2e-3 * Math.max(1, Math.abs(fd)));
      }
    }
  });
});

describe('dropout', () => {
  const spec: LayerSpec = { type: 'dropout', rate: 0.3 };
  it('is the identity in eval', () => {
    const g = new Graph();
    const x = g.input('x', ['N', 4]);
    expect(apply(spec, {}, x)).toBe(x);
    expect(apply(spec, {}, x, { train: false, noise: new GraphNoise(g) })).toBe(x);
  });

  it('in training drops with probability rate, scales by 1/(1-rate), keeps the expectation', async () => {
    const g = new Graph();
    const x = g.input('x', ['N', 5000]);
    const noise = new GraphNoise(g);
    const y = apply({ type: 'sequential', layers: [spec] }, {}, x, { train: true, noise });
    expect(noise.draws).toEqual([{ name: 'noise_0_uniform', kind: 'uniform', shape: ['N', 5000] }]);
    const feeds = {
      x: { dtype: 'float32' as const, shape: [4, 5000], data: new Float32Array(20000).fill(2) },
      ...noise.feeds(key(3), { N: 4 }),
    };
    const [out] = await expectOrtAgrees(g, [y], feeds);
    const v = Array.from(out!.data as Float32Array);
    const dropped = v.filter((e) => e === 0).length / v.length;
    expect(v.every((e) => e === 0 || Math.abs(e - 2 / 0.7) < 1e-6)).toBe(true);
    expect(Math.abs(dropped - 0.3)).toBeLessThan(0.015);
    expect(Math.abs(v.reduce((a, e) => a + e, 0) / v.length - 2)).toBeLessThan(0.05);
    // gradient flows through the kept units only
    const [gx] = interpret(g, grad(y.sum(), [x]), feeds);
    (gx!.data as Float32Array).forEach((d, i) => expect(d).toBeCloseTo(v[i] === 0 ? 0 : 1 / 0.7, 5));
  });

  it('training without a noise source is a LayerSpecError', () => {
    const g = new Graph();
    expect(() => apply(spec, {}, g.input('x', [2, 2]), { train: true }, 'dec.3')).toThrow(
      /layer dec.3 \(dropout\): training with dropout needs ctx.noise/,
    );
  });
});

describe('apply errors', () => {
  const spec = mlp([4, 3, 2]);
  it('names missing or misshapen parameters and misfit inputs', () => {
    const g = new Graph();
    const x = g.input('x', ['N', 4]);
    const ps = Object.fromEntries(
      Object.entries(paramShapes(spec, 'enc')).map(([n, s]) => [n, g.input(n, s)]),
    );
    expect(apply(spec, ps, x, {}, 'enc').shape).toEqual(['N', 2]);
    const { 'enc.2.bias': _, ...missing } = ps;
    expect(() => apply(spec, missing, x, {}, 'enc')).toThrow(
      /layer enc.2 \(dense\): missing parameter enc.2.bias/,
    );
    expect(() => apply(spec, { ...ps, 'enc.0.weight': g.input('w', [3, 4]) }, x, {}, 'enc')).toThrow(
      /parameter enc.0.weight has shape \[3, 4\], expected \[4, 3\]/,
    );
    expect(() => apply(spec, ps, g.input('x5', ['N', 5]), {}, 'enc')).toThrow(LayerSpecError);
    expect(() => apply(spec, ps, g.input('x5b', ['N', 5]), {}, 'enc')).toThrow(
      /in=4 but input has 5 features/,
    );
  });
});
