import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import type { HostTensor } from '../ir/dtype';
import { mlpVAE } from '../models/builders';
import { key } from '../random/key';
import { createBundle } from './create';
import { BundleError, type BundleErrorReason } from './errors';
import { verifyBundleFiles } from './hash';
import { decodeLatentMap } from './latent-map';
import { type BundleManifest, manifestSchema, parseManifest, parseManifestText } from './manifest';
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
// biome-ignore lint/suspicious/noExplicitAny: the tests edit manifest JSON freely to break it
const json = () => JSON.parse(JSON.stringify(bundle.manifest)) as Record<string, any>;

/** The BundleError thrown by f (or fails the test). */
function caught(f: () => unknown): BundleError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(BundleError);
    return e as BundleError;
  }
  throw new Error('expected a BundleError');
}
const rejects = (m: unknown, reason: BundleErrorReason, path: string, text: RegExp | string) => {
  const e = caught(() => parseManifest(m));
  expect(e.reason).toBe(reason);
  expect(e.path).toBe(path);
  expect(e.message).toContain(path);
  expect(e.message).toMatch(text);
};

describe('the manifest createBundle writes', () => {
  it('records model, data, recipe, metrics, parity and latent map, and reads back equal', () => {
    const m = bundle.manifest;
    expect(m).toMatchObject({
      format: 'vae-bundle',
      formatVersion: 1,
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
      opset: 17,
      dtype: 'float32',
      recipe: { epochs: 3, optimizer: { type: 'adam', lr: 1e-3 } },
      metrics: { testNll: 91.25 },
      parity: { maxAbsDiff: 1e-7, n: 64, backend: 'onnxruntime-node' },
      latentMap: { file: 'latent-map.bin', n: 3, dims: 2, method: 'identity', labels: true },
    });
    expect(Object.keys(m.files).sort()).toEqual(['decoder.onnx', 'encoder.onnx', 'latent-map.bin']);
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

describe('parseManifest', () => {
  it('rejects another format version or format', () => {
    rejects({ ...json(), formatVersion: 2 }, 'version', 'formatVersion', /formatVersion 2 is not supported/);
    rejects({ ...json(), format: 'onnx-zoo' }, 'malformed', 'format', /format must be "vae-bundle"/);
    expect(caught(() => parseManifest([1, 2])).reason).toBe('malformed');
    expect(caught(() => parseManifestText('{not json')).reason).toBe('malformed');
  });

  it('names a missing field', () => {
    const { latent: _, ...noLatent } = json();
    rejects(noLatent, 'malformed', 'latent', /latent: .*(number|undefined)/);
    const m = json();
    delete m.decoder.outputs[0].shape;
    rejects(m, 'malformed', 'decoder.outputs[0].shape', /Invalid/);
  });

  it('names a field of the wrong type', () => {
    rejects({ ...json(), latent: '2' }, 'malformed', 'latent', /Expected number but received "2"/);
    const m = json();
    m.files['encoder.onnx'].bytes = 'many';
    rejects(m, 'malformed', 'files.encoder.onnx.bytes', /number/);
    const w = json();
    w.data.kind = 'audio';
    rejects(w, 'malformed', 'data.kind', /Invalid/);
    rejects({ ...json(), dtype: 'int4' }, 'malformed', 'dtype', /Invalid/);
  });

  it('rejects a latent size that disagrees with the graphs or the prior', () => {
    rejects(
      { ...json(), latent: 3 },
      'latent-mismatch',
      'encoder.outputs[0].shape',
      /loc has width 2, latent is 3/,
    );
    const m = json();
    m.decoder.inputs[0].shape = ['N', 5];
    rejects(m, 'latent-mismatch', 'decoder.inputs[0].shape', /z has width 5, latent is 2/);
    const p = json();
    p.prior = {
      type: 'mog',
      components: 2,
      weights: [0.5, 0.5],
      means: [[0, 0], [1]],
      scales: [
        [1, 1],
        [1, 1],
      ],
    };
    rejects(p, 'latent-mismatch', 'prior.means[1]', /1 entries, latent is 2/);
  });

  it('rejects shapes that do not fit together', () => {
    const p = json();
    p.prior = {
      type: 'mog',
      components: 2,
      weights: [0.5, 0.25],
      means: [
        [0, 0],
        [1, 1],
      ],
      scales: [
        [1, 1],
        [1, 1],
      ],
    };
    rejects(p, 'shape', 'prior.weights', /sum to 1/);
    const d = json();
    d.data.image.height = 27;
    rejects(d, 'shape', 'data.image', /1x27x28 is not 784 features/);
    const o = json();
    o.decoder.outputs[0].shape = ['N', 10];
    rejects(o, 'shape', 'decoder.outputs[0].shape', /bernoulli likelihood needs \[N,784\]/);
    const f = json();
    f.encoder.file = 'other.onnx';
    rejects(f, 'malformed', 'encoder.file', /not listed in files/);
    const u = json();
    u.files['../evil'] = u.files['encoder.onnx'];
    expect(caught(() => parseManifest(u)).reason).toBe('malformed');
  });
});

describe('verifyBundleFiles', () => {
  it('accepts the bundle as written', async () => {
    await expect(verifyBundleFiles(bundle.manifest, bundle.files)).resolves.toBeUndefined();
  });

  it('detects a changed byte (SHA-256), a truncated file and a missing file', async () => {
    const flipped = bundle.files['decoder.onnx']!.slice();
    flipped[flipped.length - 1]! ^= 1;
    await expect(
      verifyBundleFiles(bundle.manifest, { ...bundle.files, 'decoder.onnx': flipped }),
    ).rejects.toMatchObject({
      reason: 'hash',
      path: 'files.decoder.onnx',
      message: expect.stringMatching(/decoder\.onnx: SHA-256 [0-9a-f]{64} does not match/),
    });
    const short = bundle.files['encoder.onnx']!.slice(1);
    await expect(
      verifyBundleFiles(bundle.manifest, { ...bundle.files, 'encoder.onnx': short }),
    ).rejects.toMatchObject({
      reason: 'hash',
      message: expect.stringMatching(/bytes, manifest.json says/),
    });
    const { 'latent-map.bin': _, ...rest } = bundle.files;
    await expect(verifyBundleFiles(bundle.manifest, rest)).rejects.toMatchObject({ reason: 'missing' });
  });
});
