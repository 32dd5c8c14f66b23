import { mlpVAE } from '@vae/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { InferError, type InferErrorReason } from './errors';
import { loadModel } from './load';
import { type Built, build, editManifest } from './test-helpers';

let plain: Built;
let cond: Built;
beforeAll(async () => {
  plain = await build(mlpVAE({ inputSize: 784, hidden: [16], latent: 4 }), 1);
  cond = await build(mlpVAE({ inputSize: 784, hidden: [16], latent: 4, condition: { size: 3 } }), 2);
});

async function failure(p: Promise<unknown>): Promise<InferError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(InferError);
    return e as InferError;
  }
  throw new Error('expected an InferError');
}
const expectReason = async (p: Promise<unknown>, reason: InferErrorReason, text?: RegExp) => {
  const e = await failure(p);
  expect(e.reason).toBe(reason);
  if (text) expect(e.message).toMatch(text);
  return e;
};

/** A fetch that serves a files map under http://bundles.test/mnist/. */
const serve =
  (files: Record<string, Uint8Array>): typeof fetch =>
  async (input) => {
    const url = new URL(String(input));
    const name = url.pathname.replace('/mnist/', '');
    const body = url.host === 'bundles.test' ? files[name] : undefined;
    return body
      ? new Response(body as Uint8Array<ArrayBuffer>)
      : new Response('no', { status: 404, statusText: 'Not Found' });
  };

describe('loading a bundle that does not match its manifest', () => {
  it('another format version', async () => {
    const files = editManifest(plain.bundle.files, (m) => (m.formatVersion = 3));
    await expectReason(loadModel(files), 'version', /formatVersion 3 is not supported/);
    // A bundle from before the probability graphs: one line that says how to fix it.
    const old = editManifest(plain.bundle.files, (m) => (m.formatVersion = 1));
    await expectReason(loadModel(old), 'version', /older bundle format.*re-export it with `vae export`/);
  });

  it('a malformed manifest names the field', async () => {
    const e = await expectReason(
      loadModel(editManifest(plain.bundle.files, (m) => delete m.likelihood)),
      'malformed',
      /likelihood/,
    );
    expect(e.path).toBe('likelihood');
    const bad = { ...plain.bundle.files, 'manifest.json': new TextEncoder().encode('{"format": ') };
    await expectReason(loadModel(bad), 'malformed', /not valid JSON/);
  });

  it('a file whose SHA-256 differs, a missing file, no manifest', async () => {
    const flipped = plain.bundle.files['decoder.onnx']!.slice();
    flipped[100]! ^= 0xff;
    await expectReason(
      loadModel({ ...plain.bundle.files, 'decoder.onnx': flipped }),
      'hash',
      /decoder\.onnx: SHA-256/,
    );
    const { 'encoder.onnx': _, ...noEncoder } = plain.bundle.files;
    await expectReason(loadModel(noEncoder), 'missing', /encoder\.onnx/);
    const { 'manifest.json': __, ...noManifest } = plain.bundle.files;
    await expectReason(loadModel(noManifest), 'missing', /manifest\.json/);
  });

  it('a latent size that disagrees with the graphs (manifest consistent, graphs not)', async () => {
    const files = editManifest(plain.bundle.files, (m) => {
      m.latent = 3;
      for (const t of [...m.encoder.outputs, ...m.decoder.inputs]) t.shape = ['N', 3];
    });
    await expectReason(
      loadModel(files),
      'latent-mismatch',
      /decoder\.onnx: z has width 4, manifest\.json says latent 3/,
    );
    // and one the manifest itself contradicts
    await expectReason(loadModel(editManifest(plain.bundle.files, (m) => (m.latent = 5))), 'latent-mismatch');
  });

  it('graphs whose inputs are not the ones the manifest lists', async () => {
    const files = editManifest(plain.bundle.files, (m) => {
      [m.encoder.file, m.decoder.file] = [m.decoder.file, m.encoder.file];
    });
    await expectReason(loadModel(files), 'shape', /has inputs \[z\], manifest\.json lists \[x\]/);
  });
});

describe('sources', () => {
  it('a folder URL (manifest.json, then the listed files), with HTTP errors typed', async () => {
    const m = await loadModel('http://bundles.test/mnist', { fetch: serve(plain.bundle.files) });
    expect(m.latent).toBe(4);
    const fromMap = await loadModel(plain.bundle.files);
    const [a, b] = await Promise.all([m.sample(3, 1), fromMap.sample(3, 1)]);
    expect(Array.from(a.params)).toEqual(Array.from(b.params));
    await Promise.all([m.dispose(), fromMap.dispose()]);
    await expectReason(
      loadModel('http://elsewhere.test/x/', { fetch: serve(plain.bundle.files) }),
      'fetch',
      /HTTP 404/,
    );
    const { 'decoder.onnx': _, ...partial } = plain.bundle.files;
    await expectReason(
      loadModel('http://bundles.test/mnist/', { fetch: serve(partial) }),
      'fetch',
      /decoder\.onnx: HTTP 404/,
    );
    const offline: typeof fetch = async () => {
      throw new TypeError('network down');
    };
    await expectReason(loadModel('http://bundles.test/mnist/', { fetch: offline }), 'fetch', /network down/);
  });

  it('dropped files: Blobs by name, File[] and a FileList-like (folder paths reduced to names)', async () => {
    const entries = Object.entries(plain.bundle.files);
    const blobs = Object.fromEntries(
      entries.map(([n, b]) => [`bundle/${n}`, new Blob([b as Uint8Array<ArrayBuffer>])]),
    );
    const files = entries.map(([n, b]) => new File([b as Uint8Array<ArrayBuffer>], n));
    const list = { length: files.length, item: (i: number) => files[i] ?? null };
    for (const src of [blobs, files, list]) {
      const m = await loadModel(src);
      expect(m.manifest.latent).toBe(4);
      await m.dispose();
    }
  });
});

describe('calls with arguments that do not fit', () => {
  it('a z of the wrong length is a typed error, not a hang', async () => {
    const m = await loadModel(plain.bundle.files);
    await expectReason(
      m.decode(new Float32Array(5)),
      'input',
      /z has 5 values: expected a non-zero multiple of 4/,
    );
    await expectReason(
      m.decode([
        [1, 2, 3, 4],
        [1, 2, 3],
      ]),
      'input',
      /z\[1\] has 3 values, expected 4/,
    );
    await expectReason(m.decode(new Float32Array(0)), 'input');
    await expectReason(m.encode(new Float32Array(783)), 'input', /x has 783 values/);
    await expectReason(m.interpolate([1, 2, 3], [1, 2, 3, 4], 3), 'input', /latent size is 4/);
    await expectReason(m.interpolate([1, 2, 3, 4], [1, 2, 3, 4], 1), 'input', /steps/);
    await expectReason(m.traverse([1, 2, 3, 4], 4, [0]), 'input', /dim must be an integer in \[0, 4\)/);
    await expectReason(m.sample(0, 1), 'input');
    await expectReason(m.score(new Float32Array(784), 0, 1), 'input', /k must be/);
    await expectReason(m.decode(new Float32Array(4), 1), 'input', /not conditional/);
    await expectReason(m.sample(2, 1.5), 'input', /seed/i);
    // the model still works after all that
    expect((await m.decode(new Float32Array(8))).n).toBe(2);
    await m.dispose();
    await expectReason(m.decode(new Float32Array(4)), 'disposed');
    await m.dispose(); // twice is fine
  });

  it('a conditional model needs c of the right size', async () => {
    const m = await loadModel(cond.bundle.files);
    await expectReason(m.decode(new Float32Array(4)), 'input', /conditional: pass c \(size 3\)/);
    await expectReason(m.decode(new Float32Array(4), 3), 'input', /class 3 is not an integer in \[0, 3\)/);
    await expectReason(
      m.decode(new Float32Array(8), [[1, 0, 0, 0]]),
      'input',
      /c\[0\] has 4 values, expected 3/,
    );
    const one = await m.decode(new Float32Array(8), 2);
    const rows = await m.decode(new Float32Array(8), [[0, 0, 1]]);
    const each = await m.decode(new Float32Array(8), Int32Array.from([2, 2]));
    expect(Array.from(rows.params)).toEqual(Array.from(one.params));
    expect(Array.from(each.params)).toEqual(Array.from(one.params));
    await m.dispose();
  });
});
