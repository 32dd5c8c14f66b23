// The reading side on its own: a manifest written out by hand (the contract), no model, no export.
// What createBundle writes is checked against the same reader in ../export/manifest-writes.test.ts.
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { BundleError, type BundleErrorReason } from './errors';
import { sha256Hex, verifyBundleFiles } from './hash';
import { decodeLatentMap, encodeLatentMap } from './latent-map';
import type { BundleManifest } from './manifest';
import { manifestSchema, parseManifest, parseManifestText } from './parse-manifest';

/** The files of a 784-16-2 Bernoulli bundle; the graphs' bytes do not matter to the reader. */
const files: Record<string, Uint8Array> = {
  'encoder.onnx': new TextEncoder().encode('stands in for the encoder graph'),
  'decoder.onnx': new TextEncoder().encode('stands in for the decoder graph'),
  'data-mean.onnx': new TextEncoder().encode('stands in for the data-mean graph'),
  'data-sample.onnx': new TextEncoder().encode('stands in for the data-sample graph'),
  'posterior-sample.onnx': new TextEncoder().encode('stands in for the posterior-sample graph'),
  'score.onnx': new TextEncoder().encode('stands in for the score graph'),
  'latent-map.bin': encodeLatentMap(Float32Array.from([0, 1, 2, 3, 4, 5]), [1, 0, 1]),
};
const entries: BundleManifest['files'] = {};
for (const [name, bytes] of Object.entries(files))
  entries[name] = { sha256: await sha256Hex(bytes), bytes: bytes.byteLength };

const manifest: BundleManifest = {
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
    dataMean: {
      file: 'data-mean.onnx',
      inputs: [{ name: 'params', shape: ['N', 784] }],
      outputs: [{ name: 'mean', shape: ['N', 784] }],
    },
    dataSample: {
      file: 'data-sample.onnx',
      inputs: [
        { name: 'params', shape: ['N', 784] },
        { name: 'noise_0_uniform', shape: ['N', 784], noise: 'uniform' },
      ],
      outputs: [{ name: 'sample', shape: ['N', 784] }],
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
      outputs: ['iwae', 'elbo', 'recon', 'kl'].map((name) => ({ name, shape: ['N'] })),
    },
  },
  files: entries,
  opset: 17,
  dtype: 'float32',
  recipe: { epochs: 3, optimizer: { type: 'adam', lr: 1e-3 } },
  metrics: { testNll: 91.25 },
  parity: { maxAbsDiff: 1e-7, n: 64, backend: 'onnxruntime-node' },
  latentMap: { file: 'latent-map.bin', n: 3, dims: 2, method: 'identity', labels: true },
};
// biome-ignore lint/suspicious/noExplicitAny: the tests edit manifest JSON freely to break it
const json = () => JSON.parse(JSON.stringify(manifest)) as Record<string, any>;

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

describe('parseManifest', () => {
  it('reads a valid manifest back equal, from JSON text or bytes', () => {
    const text = JSON.stringify(manifest);
    expect(parseManifestText(text)).toEqual(manifest);
    expect(parseManifestText(new TextEncoder().encode(text))).toEqual(manifest);
  });

  it('matches the TypeScript type both ways', () => {
    const fromSchema: BundleManifest = v.parse(manifestSchema, json());
    const toSchema: v.InferInput<typeof manifestSchema> = manifest;
    expect(fromSchema).toEqual(toSchema);
  });

  it('rejects another format version or format', () => {
    rejects({ ...json(), formatVersion: 3 }, 'version', 'formatVersion', /formatVersion 3 is not supported/);
    rejects({ ...json(), formatVersion: 1 }, 'version', 'formatVersion', /re-export it with `vae export`/);
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

describe('testScores', () => {
  const scores = {
    measure: 'iwae',
    k: 64,
    seed: 7,
    n: 4,
    split: 'test',
    quantiles: Array.from({ length: 101 }, (_, i) => 90 + i / 10),
    histogram: { edges: [90, 95, 100], counts: [3, 1] },
  } as const;
  const withScores = () => ({ ...json(), testScores: JSON.parse(JSON.stringify(scores)) });

  it('reads a summary back equal, and a manifest without one (an older bundle) as before', () => {
    const m = parseManifestText(JSON.stringify(withScores()));
    expect(m.testScores).toEqual(scores);
    expect(parseManifest(json()).testScores).toBeUndefined();
  });

  it('rejects a malformed summary with a one-line error naming the field', () => {
    const cases: [(t: ReturnType<typeof json>) => void, BundleErrorReason, string, RegExp][] = [
      [(t) => t.quantiles.pop(), 'malformed', 'testScores.quantiles', /101 values/],
      [(t) => (t.measure = 'elbo'), 'malformed', 'testScores.measure', /Invalid/],
      [(t) => (t.k = 0), 'malformed', 'testScores.k', /Invalid/],
      [(t) => (t.quantiles[7] = 'x'), 'malformed', 'testScores.quantiles[7]', /number/],
      [(t) => (t.quantiles[7] = 0), 'shape', 'testScores.quantiles[7]', /below the previous/],
      [(t) => t.histogram.edges.pop(), 'shape', 'testScores.histogram', /2 bins need 3 edges, got 2/],
      [(t) => (t.histogram.edges[1] = 90), 'shape', 'testScores.histogram.edges[1]', /must increase/],
      [(t) => (t.histogram.counts[0] = 2), 'shape', 'testScores.histogram.counts', /sum to 3, n is 4/],
    ];
    for (const [edit, reason, path, text] of cases) {
      const m = withScores();
      edit(m.testScores);
      rejects(m, reason, path, text);
      expect(caught(() => parseManifest(m)).message).not.toContain('\n');
    }
  });
});

describe('verifyBundleFiles', () => {
  it('hashes with SHA-256 (a known answer)', async () => {
    expect(await sha256Hex(new TextEncoder().encode('abc'))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  it('accepts the files the manifest lists', async () => {
    await expect(verifyBundleFiles(manifest, files)).resolves.toBeUndefined();
  });

  it('detects a changed byte (SHA-256), a truncated file and a missing file', async () => {
    const flipped = files['decoder.onnx']!.slice();
    flipped[flipped.length - 1]! ^= 1;
    await expect(verifyBundleFiles(manifest, { ...files, 'decoder.onnx': flipped })).rejects.toMatchObject({
      reason: 'hash',
      path: 'files.decoder.onnx',
      message: expect.stringMatching(/decoder\.onnx: SHA-256 [0-9a-f]{64} does not match/),
    });
    const short = files['encoder.onnx']!.slice(1);
    await expect(verifyBundleFiles(manifest, { ...files, 'encoder.onnx': short })).rejects.toMatchObject({
      reason: 'hash',
      message: expect.stringMatching(/bytes, manifest.json says/),
    });
    const { 'latent-map.bin': _, ...rest } = files;
    await expect(verifyBundleFiles(manifest, rest)).rejects.toMatchObject({ reason: 'missing' });
  });
});

describe('latent map', () => {
  it('reads back the points and labels it was written with', () => {
    const map = decodeLatentMap(manifest.latentMap!, files['latent-map.bin']!);
    expect(Array.from(map.points)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(Array.from(map.labels!)).toEqual([1, 0, 1]);
  });

  it('rejects a file of the wrong size', () => {
    expect(() => decodeLatentMap(manifest.latentMap!, files['latent-map.bin']!.slice(4))).toThrow(
      /latent map latent-map.bin: 32 bytes, 3 points need 36/,
    );
  });
});
