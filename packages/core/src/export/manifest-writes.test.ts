import { key } from '@vae/random';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { verifyBundleFiles } from '../bundle/hash';
import { decodeLatentMap } from '../bundle/latent-map';
import type { BundleManifest } from '../bundle/manifest';
import { manifestSchema, parseManifestText } from '../bundle/parse-manifest';
import type { HostTensor } from '../ir/dtype';
import { mlpVAE } from '../models/builders';
import { createBundle } from './create';
import { dataFeeds, reference, runFile } from './test-helpers';

const vae = mlpVAE({ inputSize: 784, hidden: [16], latent: 2 });
const params = vae.init(key(3));
const bundle = await createBundle(vae, params, {
  createdAt: '2025-01-02T03:04:05.000Z',
  recipe: { epochs: 3, optimizer: { type: 'adam', lr: 1e-3 } },
  metrics: { testNll: 91.25 },
  labels: ['a', 'b'],
  binarized: true,
  latentMap: { points: Float32Array.from([0, 1, 2, 3, 4, 5]), labels: [1, 0, 1], method: 'identity' },
  parity: { maxAbsDiff: 1e-7, n: 64, backend: 'onnxruntime-node' },
});
const json = () => JSON.parse(JSON.stringify(bundle.manifest)) as unknown;

describe('the manifest createBundle writes', () => {
  it('records model, data, recipe, metrics, parity and latent map, and reads back equal', () => {
    const m = bundle.manifest;
    expect(m).toMatchObject({
      format: 'vae-bundle',
      formatVersion: 2,
      createdAt: '2025-01-02T03:04:05.000Z',
      latent: 2,
      prior: { type: 'standard-normal' },
      likelihood: { type: 'bernoulli', output: 'logits' },
      data: {
        shape: [784],
        kind: 'image',
        image: { height: 28, width: 28, channels: 1, layout: 'chw' },
        scaling: { type: 'unit', min: 0, max: 1 },
        binarized: true,
        labels: ['a', 'b'],
      },
      encoder: {
        file: 'encoder.onnx',
        inputs: [{ name: 'x', shape: ['N', 784] }],
        outputs: [
          { name: 'loc', shape: ['N', 2] },
          { name: 'scale', shape: ['N', 2] },
        ],
      },
      decoder: {
        file: 'decoder.onnx',
        inputs: [{ name: 'z', shape: ['N', 2] }],
        outputs: [{ name: 'params', shape: ['N', 784] }],
      },
      graphs: {
        dataMean: { file: 'data-mean.onnx', outputs: [{ name: 'mean', shape: ['N', 784] }] },
        dataSample: {
          file: 'data-sample.onnx',
          inputs: [
            { name: 'params', shape: ['N', 784] },
            { name: 'noise_0_uniform', shape: ['N', 784], noise: 'uniform' },
          ],
        },
        posteriorSample: {
          file: 'posterior-sample.onnx',
          inputs: [
            { name: 'loc', shape: ['N', 2] },
            { name: 'scale', shape: ['N', 2] },
            { name: 'eps', shape: ['K', 'N', 2], noise: 'normal' },
          ],
          outputs: [{ name: 'z', shape: ['K', 'N', 2] }],
        },
        score: {
          file: 'score.onnx',
          inputs: [
            { name: 'x', shape: ['N', 784] },
            { name: 'loc', shape: ['N', 2] },
            { name: 'scale', shape: ['N', 2] },
            { name: 'eps', shape: ['K', 'N', 2], noise: 'normal' },
            { name: 'params', shape: ['K', 'N', 784] },
          ],
          outputs: [
            { name: 'iwae', shape: ['N'] },
            { name: 'elbo', shape: ['N'] },
            { name: 'recon', shape: ['N'] },
            { name: 'kl', shape: ['N'] },
            { name: 'logw', shape: ['K', 'N'] },
          ],
        },
      },
      opset: 17,
      dtype: 'float32',
      recipe: { epochs: 3, optimizer: { type: 'adam', lr: 1e-3 } },
      metrics: { testNll: 91.25 },
      parity: { maxAbsDiff: 1e-7, n: 64, backend: 'onnxruntime-node' },
      latentMap: { file: 'latent-map.bin', n: 3, dims: 2, method: 'identity', labels: true },
    });
    expect(Object.keys(m.files).sort()).toEqual([
      'data-mean.onnx',
      'data-sample.onnx',
      'decoder.onnx',
      'encoder.onnx',
      'latent-map.bin',
      'posterior-sample.onnx',
      'score.onnx',
    ]);
    expect(m.graphs.priorSample).toBeUndefined();
    expect(m.files['encoder.onnx']!.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(parseManifestText(bundle.files['manifest.json']!)).toEqual(m);
    const map = decodeLatentMap(m.latentMap!, bundle.files['latent-map.bin']!);
    expect(Array.from(map.points)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(Array.from(map.labels!)).toEqual([1, 0, 1]);
  });

  it('matches the TypeScript type both ways', () => {
    const fromSchema: BundleManifest = v.parse(manifestSchema, json());
    const toSchema: v.InferInput<typeof manifestSchema> = bundle.manifest;
    expect(fromSchema).toEqual(toSchema);
  });

  it('stores a mixture-of-Gaussians prior as weights, means and scales', async () => {
    const mog = mlpVAE({ inputSize: 6, hidden: [4], latent: 3, prior: { type: 'mog', components: 2 } });
    const p: Record<string, HostTensor> = { ...mog.init(key(1)) };
    p['prior.logits'] = { dtype: 'float32', shape: [2], data: Float32Array.from([0, Math.log(3)]) };
    p['prior.logScale'] = { dtype: 'float32', shape: [2, 3], data: Float32Array.from([0, 0, 0, 1, 1, 1]) };
    const { manifest } = await createBundle(mog, p);
    const prior = manifest.prior as Extract<BundleManifest['prior'], { type: 'mog' | 'vamp' }>;
    expect(prior.type).toBe('mog');
    expect(prior.weights[0]).toBeCloseTo(0.25, 6);
    expect(prior.weights[1]).toBeCloseTo(0.75, 6);
    expect(prior.means.flat()).toEqual(Array.from(p['prior.loc']!.data as Float32Array));
    expect(prior.scales[1]![0]).toBeCloseTo(Math.E, 6);
  });

  it('stores a VampPrior as the mixture of its encoded pseudo-inputs (checked on onnxruntime-node)', async () => {
    const vamp = mlpVAE({ inputSize: 6, hidden: [4], latent: 3, prior: { type: 'vamp', pseudoInputs: 5 } });
    const p = vamp.init(key(2));
    const { manifest, files } = await createBundle(vamp, p);
    const prior = manifest.prior as Extract<BundleManifest['prior'], { type: 'mog' | 'vamp' }>;
    expect(prior).toMatchObject({ type: 'vamp', components: 5, weights: [0.2, 0.2, 0.2, 0.2, 0.2] });
    const { out } = await runFile(files['encoder.onnx']!, { x: p['prior.pseudo']! });
    prior.means.flat().forEach((m, i) => expect(Math.abs(m - out.loc![i]!)).toBeLessThanOrEqual(1e-6));
    prior.scales.flat().forEach((s, i) => expect(Math.abs(s - out.scale![i]!)).toBeLessThanOrEqual(1e-6));
  });

  it('records the likelihood parameters a browser needs (learned Gaussian scale, tabular columns)', async () => {
    const g = mlpVAE({
      inputSize: 4,
      hidden: [3],
      latent: 2,
      likelihood: { type: 'gaussian', scale: 'learned' },
    });
    const gp = {
      ...g.init(key(4)),
      'lik.logScale': { dtype: 'float32', shape: [4], data: Float32Array.from([0, 1, 2, 3]) } as HostTensor,
    };
    expect((await createBundle(g, gp)).manifest.likelihood).toEqual({
      type: 'gaussian',
      output: 'mean',
      logScale: [0, 1, 2, 3],
    });
    const f = mlpVAE({ inputSize: 4, hidden: [3], latent: 2, likelihood: { type: 'gaussian', scale: 0.5 } });
    const fl = (await createBundle(f, f.init(key(4)))).manifest.likelihood;
    expect(fl).toEqual({ type: 'gaussian', output: 'mean', logScale: Math.log(0.5) });
    expect((await createBundle(f, f.init(key(4)))).manifest.data.kind).toBe('vector');
  });

  it('rejects missing or mis-shaped parameters with a BundleError naming them', async () => {
    const { 'dec.0.weight': _, ...rest } = params;
    await expect(createBundle(vae, rest)).rejects.toMatchObject({ reason: 'shape', path: 'dec.0.weight' });
    const bad = {
      ...params,
      'enc.0.bias': { dtype: 'float32', shape: [3], data: new Float32Array(3) } as HostTensor,
    };
    await expect(createBundle(vae, bad)).rejects.toThrow(/enc\.0\.bias must be float32 \[16\]/);
    await expect(createBundle(vae, params, { metrics: { nll: Number.NaN } })).rejects.toMatchObject({
      reason: 'malformed',
      path: 'metrics.nll',
    });
  });

  it('decoder of the written bundle decodes z like the training graph', async () => {
    const feeds = dataFeeds(vae, 'decoder', 2, 1);
    const { out } = await runFile(bundle.files['decoder.onnx']!, feeds);
    const ref = reference(vae, 'decoder', params, feeds);
    expect(Math.max(...Array.from(out.params!, (x, i) => Math.abs(x - ref.params![i]!)))).toBeLessThanOrEqual(
      1e-5,
    );
  });
});

describe('verifyBundleFiles', () => {
  it('accepts the bundle as written', async () => {
    await expect(verifyBundleFiles(bundle.manifest, bundle.files)).resolves.toBeUndefined();
  });
});
