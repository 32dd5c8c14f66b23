import { key } from '@vae/random';
import { describe, expect, it } from 'vitest';
import type { HostTensor } from '../ir/dtype';
import { fans, init } from './init';
import { convEncoder28, mlp } from './presets';
import { paramShapes } from './shapes';
import type { LayerSpec } from './spec';

const stats = (t: HostTensor) => {
  const d = t.data as Float32Array;
  let s = 0;
  let s2 = 0;
  let maxAbs = 0;
  for (const v of d) {
    s += v;
    s2 += v * v;
    maxAbs = Math.max(maxAbs, Math.abs(v));
  }
  const mean = s / d.length;
  return { n: d.length, mean, variance: s2 / d.length - mean * mean, maxAbs };
};

/** Checks a uniform(-b, b) sample: inside the bound, reaching near it, moments within tolerance. */
function expectUniform(t: HostTensor, b: number) {
  const s = stats(t);
  expect(s.maxAbs).toBeLessThanOrEqual(b);
  expect(s.maxAbs).toBeGreaterThan(0.98 * b);
  expect(Math.abs(s.mean)).toBeLessThan((4 * b) / Math.sqrt(3 * s.n));
  expect(Math.abs(s.variance / ((b * b) / 3) - 1)).toBeLessThan(0.03);
}

describe('init', () => {
  it("'torch' (default): weights and biases U(-1/sqrt(fan_in), 1/sqrt(fan_in))", () => {
    const p = init({ type: 'dense', in: 784, out: 400 }, key(1), 'enc');
    expect(p['enc.weight']!.shape).toEqual([784, 400]);
    expectUniform(p['enc.weight']!, 1 / 28);
    const bias = stats(p['enc.bias']!);
    expect(bias.maxAbs).toBeLessThanOrEqual(1 / 28);
    expect(bias.maxAbs).toBeGreaterThan(0.9 / 28);
    // conv: fan_in = inChannels/groups * k * k; transposed conv: fan_in from weight dim 1 (torch)
    const conv = init({ type: 'conv2d', inChannels: 32, outChannels: 64, kernel: 4 }, key(2));
    expectUniform(conv.weight!, 1 / Math.sqrt(32 * 16));
    const convT = init({ type: 'convTranspose2d', inChannels: 64, outChannels: 16, kernel: 4 }, key(3));
    expectUniform(convT.weight!, 1 / 16);
    expect(stats(convT.bias!).maxAbs).toBeLessThanOrEqual(1 / 16);
  });

  it("'glorot': Xavier uniform variance 2/(fan_in+fan_out), zero bias", () => {
    const p = init({ type: 'dense', in: 1000, out: 500, init: 'glorot' }, key(4));
    expectUniform(p.weight!, Math.sqrt(6 / 1500));
    expect(Math.abs(stats(p.weight!).variance / (2 / 1500) - 1)).toBeLessThan(0.01);
    expect(stats(p.bias!).maxAbs).toBe(0);
    expect(fans({ type: 'conv2d', inChannels: 8, outChannels: 6, kernel: [3, 2], groups: 2 })).toEqual({
      fanIn: 4 * 6,
      fanOut: 6 * 6,
    });
  });

  it("'he': Kaiming normal std sqrt(2/fan_in), zero bias", () => {
    const p = init({ type: 'conv2d', inChannels: 64, outChannels: 128, kernel: 3, init: 'he' }, key(5));
    const s = stats(p.weight!);
    expect(Math.abs(s.variance / (2 / (64 * 9)) - 1)).toBeLessThan(0.02);
    expect(Math.abs(s.mean)).toBeLessThan(4 * Math.sqrt(2 / (64 * 9) / s.n));
    expect(s.maxAbs).toBeGreaterThan(3 * Math.sqrt(2 / (64 * 9))); // tails: not a uniform
    expect(stats(p.bias!).maxAbs).toBe(0);
  });

  it('names and shapes match paramShapes; deterministic in the key, independent across layers', () => {
    const spec: LayerSpec = {
      type: 'sequential',
      layers: [convEncoder28(8), { type: 'layerNorm', shape: [8] }, { type: 'batchNorm', channels: 8 }],
    };
    const a = init(spec, key(9), 'enc');
    const shapes = Object.fromEntries(Object.entries(a).map(([n, t]) => [n, t.shape]));
    expect(shapes).toEqual(paramShapes(spec, 'enc'));
    expect(init(spec, key(9), 'enc')).toEqual(a);
    expect(init(spec, key(10), 'enc')['enc.0.0.weight']).not.toEqual(a['enc.0.0.weight']);
    const two = init(mlp([5, 5, 5]), key(1));
    expect(two['0.weight']!.data).not.toEqual(two['2.weight']!.data);
    expect(two['0.weight']!.data).not.toEqual(two['0.bias']!.data);
    expect(Array.from(a['enc.1.weight']!.data as Float32Array)).toEqual(new Array(8).fill(1));
    expect(Array.from(a['enc.1.bias']!.data as Float32Array)).toEqual(new Array(8).fill(0));
    expect(Array.from(a['enc.2.running_var']!.data as Float32Array)).toEqual(new Array(8).fill(1));
    expect(Array.from(a['enc.2.running_mean']!.data as Float32Array)).toEqual(new Array(8).fill(0));
  });
});
