import { key, normal, uniform } from '@vae/random';
import { describe, expect, it } from 'vitest';
import type { HostTensor } from '../ir/dtype';
import { Graph } from '../ir/graph';
import { interpret } from '../ir/interpret';
import { toOnnx } from '../onnx/lower';
import { GraphNoise } from '../random/noise';
import { relError, runOrt } from '../testing/harness';
import { AE } from './ae';
import { convVAE28, mlpVAE, tabularVAE } from './builders';
import { ModelSpecError, type TabularColumn } from './spec';
import type { VAE } from './vae';

const f32 = (shape: number[], data: Float32Array): HostTensor => ({ dtype: 'float32', shape, data });
const vals = (t: HostTensor) => Array.from(t.data as Float32Array);
const binary = (n: number, d: number, seed: number) =>
  f32(
    [n, d],
    Float32Array.from(uniform(key(seed), n * d), (u) => (u < 0.4 ? 1 : 0)),
  );
const oneHot = (labels: number[], k: number) => {
  const d = new Float32Array(labels.length * k);
  labels.forEach((c, i) => (d[i * k + c] = 1));
  return f32([labels.length, k], d);
};

function lossGraph(
  m: VAE,
  extra: (g: Graph) => { c?: ReturnType<Graph['input']>; mask?: ReturnType<Graph['input']> } = () => ({}),
  particles = 1,
) {
  const g = new Graph();
  const params = m.paramInputs(g);
  const x = g.input('x', ['N', ...m.spec.dataShape]);
  const noise = new GraphNoise(g);
  const terms = m.loss(params, { x, ...extra(g) }, { noise, particles });
  return { g, terms, noise, init: m.init(key(1)) };
}

describe('conditional VAE', () => {
  it('needs the condition, and the condition changes the decoding', async () => {
    const m = mlpVAE({ inputSize: 12, hidden: [8], latent: 2, condition: { size: 3, embed: 4 } });
    expect(() => lossGraph(m)).toThrow(ModelSpecError);
    const { g, terms, noise, init } = lossGraph(m, (gg) => ({ c: gg.input('c', ['N', 3]) }));
    const feeds = {
      ...init,
      x: binary(4, 12, 1),
      c: oneHot([0, 1, 2, 1], 3),
      ...noise.feeds(key(2), { N: 4 }),
    };
    const ours = interpret(g, [terms.elbo], feeds);
    const ort = await runOrt(g, [terms.elbo], feeds);
    expect(relError(ours[0]!, ort[0]!, 1e-2)).toBeLessThan(1e-5);
    const other = interpret(g, [terms.elbo], { ...feeds, c: oneHot([2, 2, 2, 2], 3) });
    expect(vals(other[0]!)).not.toEqual(vals(ours[0]!));
  });
});

describe('convolutional VAE for 28x28', () => {
  it('decodes 2 particles per example and agrees with onnxruntime', async () => {
    const m = convVAE28({ latent: 4, condition: { size: 2 } });
    const { g, terms, noise, init } = lossGraph(m, (gg) => ({ c: gg.input('c', ['N', 2]) }), 2);
    expect(terms.z.shape).toEqual([2, 'N', 4]);
    const x = f32(
      [2, 1, 28, 28],
      Float32Array.from(uniform(key(3), 2 * 784), (u) => (u < 0.3 ? 1 : 0)),
    );
    const feeds = { ...init, x, c: oneHot([0, 1], 2), ...noise.feeds(key(4), { N: 2 }) };
    const ours = interpret(g, [terms.elbo, terms.loss], feeds);
    const ort = await runOrt(g, [terms.elbo, terms.loss], feeds);
    ours.forEach((v, i) => expect(relError(v, ort[i]!, 1e-2)).toBeLessThan(1e-5));
    expect(vals(ours[0]!).every((v) => v < 0 && Number.isFinite(v))).toBe(true);
  });

  it('a discretised-logistic likelihood gets two output channels', () => {
    const m = convVAE28({ latent: 2, likelihood: { type: 'discretized-logistic' }, upsample: true });
    const { graph, outputs } = m.roleGraph('decoder');
    expect(outputs.params!.shape).toEqual(['N', 2, 28, 28]);
    expect(graph.inputs[0]!.name).toBe('z');
  });
});

describe('tabular VAE with missing values', () => {
  const columns: TabularColumn[] = [
    { name: 'age', type: 'continuous' },
    { name: 'smoker', type: 'binary' },
    { name: 'colour', type: 'categorical', categories: 3 },
  ];
  it('masks missing cells out of the likelihood: their values do not change the loss', () => {
    const m = tabularVAE(columns, { latent: 2, hidden: [6] });
    const { g, terms, noise, init } = lossGraph(m, (gg) => ({ mask: gg.input('mask', ['N', 3]) }));
    const row = (age: number, smoker: number, colour: number) => [
      age,
      smoker,
      ...[0, 1, 2].map((k) => (k === colour ? 1 : 0)),
    ];
    const x = f32([2, 5], Float32Array.from([...row(0.5, 1, 2), ...row(-1, 0, 0)]));
    const mask = f32([2, 3], Float32Array.from([1, 1, 0, 1, 0, 1]));
    const feeds = { ...init, x, mask, ...noise.feeds(key(5), { N: 2 }) };
    const [a] = interpret(g, [terms.recon], feeds);
    // Change only the missing cells (row 0 colour, row 1 smoker): the encoder sees zeros there, and the likelihood skips them.
    const x2 = f32([2, 5], Float32Array.from([...row(0.5, 1, 0), ...row(-1, 1, 0)]));
    const [b] = interpret(g, [terms.recon], { ...feeds, x: x2 });
    expect(vals(b!)).toEqual(vals(a!));
    const [full] = interpret(g, [terms.recon], { ...feeds, mask: f32([2, 3], new Float32Array(6).fill(1)) });
    expect(vals(full!)[0]).toBeLessThan(vals(a!)[0]!); // one more (negative) log-likelihood term
  });
});

describe('learnable priors', () => {
  for (const prior of [{ type: 'mog', components: 3 } as const, { type: 'vamp', pseudoInputs: 4 } as const]) {
    it(`${prior.type}: Monte-Carlo KL (no closed form), finite, same on onnxruntime`, async () => {
      const m = mlpVAE({ inputSize: 10, hidden: [8], latent: 2, prior });
      expect(Object.keys(m.paramShapes()).filter((n) => n.startsWith('prior.')).length).toBeGreaterThan(0);
      const { g, terms, noise, init } = lossGraph(m);
      const feeds = { ...init, x: binary(5, 10, 6), ...noise.feeds(key(7), { N: 5 }) };
      const ours = interpret(g, [terms.kl, terms.elbo], feeds);
      const ort = await runOrt(g, [terms.kl, terms.elbo], feeds);
      // A Monte-Carlo KL is log q - log p of similar size: float32 cancellation allows ~1e-4 here.
      ours.forEach((v, i) => expect(relError(v, ort[i]!, 1e-2)).toBeLessThan(1e-4));
      expect(vals(ours[1]!).every(Number.isFinite)).toBe(true);
    });
  }
});

describe('autoencoders', () => {
  const spec = {
    kind: 'ae' as const,
    dataShape: [6],
    latent: 2,
    encoder: { type: 'dense' as const, in: 6, out: 2 },
    decoder: { type: 'dense' as const, in: 2, out: 6 },
    likelihood: { type: 'gaussian' as const, scale: 0.5 },
  };
  it('AE loss is the Gaussian NLL with its constant; the denoising AE corrupts only the input', () => {
    for (const denoise of [
      undefined,
      { type: 'gaussian' as const, std: 0.3 },
      { type: 'mask' as const, rate: 0.5 },
      { type: 'salt-pepper' as const, rate: 0.2 },
    ]) {
      const ae = new AE(denoise ? { ...spec, denoise } : spec);
      const g = new Graph();
      const params = ae.paramInputs(g);
      const x = g.input('x', ['N', 6]);
      const noise = new GraphNoise(g);
      const { nll } = ae.loss(params, { x }, noise);
      const init = ae.init(key(2));
      const xv = f32([3, 6], normal(key(8), 18));
      const [v] = interpret(g, [nll], { ...init, x: xv, ...noise.feeds(key(9), { N: 3 }) });
      expect(noise.draws.length).toBe(denoise ? 1 : 0);
      expect(vals(v!).every((n) => n > 6 * (Math.log(0.5) + 0.5 * Math.log(2 * Math.PI)))).toBe(true);
    }
    expect(() => new AE({ ...spec, denoise: { type: 'mask', rate: 1.5 } })).toThrow(ModelSpecError);
  });
});

describe('role graphs lower to self-contained ONNX', () => {
  it('encoder and decoder with bound weights run on onnxruntime like the interpreter', async () => {
    const m = mlpVAE({ inputSize: 8, hidden: [6], latent: 2 });
    const init = m.init(key(3));
    for (const role of ['encoder', 'decoder'] as const) {
      const { graph, outputs } = m.roleGraph(role);
      const bytes = toOnnx(graph, { outputs, bind: init });
      expect(bytes.length).toBeGreaterThan(100);
      const feed: Record<string, HostTensor> =
        role === 'encoder' ? { x: binary(3, 8, 4) } : { z: f32([3, 2], normal(key(5), 6)) };
      const outs = Object.values(outputs);
      const ours = interpret(graph, outs, { ...init, ...feed });
      const ort = await runOrt(graph, outs, { ...init, ...feed });
      ours.forEach((v, i) => expect(relError(v, ort[i]!, 1e-2)).toBeLessThan(1e-5));
    }
  });
});
