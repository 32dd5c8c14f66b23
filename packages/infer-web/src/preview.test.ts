import { createBundle, key, mlpVAE } from '@vae/core';
import { describe, expect, it } from 'vitest';
import { InferError } from './errors';
import { loadModel } from './load';
import { hasPreview, previewSamples, readPreview } from './preview';
import { build, editManifest, maxAbsDiff } from './test-helpers';

/** A fetch over in-memory files, answering 404 for anything else. */
const fetchOf =
  (files: Record<string, Uint8Array>, seen: string[] = []) =>
  async (url: URL | RequestInfo) => {
    const name = String(url).split('/').pop()!;
    seen.push(name);
    const bytes = files[name];
    return bytes ? new Response(bytes as BodyInit) : new Response('', { status: 404 });
  };

describe('previewSamples: the first picture without onnxruntime', () => {
  it("equals the loaded model's sample + toData (the interpreter vs onnxruntime-web)", async () => {
    const { bundle } = await build(mlpVAE({ inputSize: 784, hidden: [32], latent: 4 }), 3);
    const model = await loadModel(bundle.files);
    try {
      for (const temperature of [1, 0.6]) {
        const want = await model.sample(16, 7, { temperature });
        const p = previewSamples(bundle, 16, 7, { temperature });
        // The same draw, bit for bit; the decoders agree to float32 rounding of a 32-unit MLP.
        expect(Array.from(p.z)).toEqual(Array.from(want.z));
        expect(maxAbsDiff(p.params, want.params)).toBeLessThan(1e-4);
        expect(maxAbsDiff(p.values, await model.toData(want.params))).toBeLessThan(1e-5);
        expect(p.values.length).toBe(16 * 784);
      }
    } finally {
      await model.dispose();
    }
  });

  it("takes a conditional model's label as `sample` does, and refuses a missing one", async () => {
    const vae = mlpVAE({ inputSize: 784, hidden: [8], latent: 2, condition: { size: 3 } });
    const bundle = await createBundle(vae, vae.init(key(2)));
    const model = await loadModel(bundle.files);
    try {
      const want = await model.sample(5, 1, { c: 2 });
      const p = previewSamples(bundle, 5, 1, { c: 2 });
      expect(maxAbsDiff(p.params, want.params)).toBeLessThan(1e-5);
      expect(() => previewSamples(bundle, 5, 1)).toThrow(/conditional: pass c/);
      expect(() => previewSamples(bundle, 0, 1, { c: 0 })).toThrow(InferError);
    } finally {
      await model.dispose();
    }
  });

  it('reads only the manifest and the two graphs, checked; null without a bundle', async () => {
    const { bundle } = await build(mlpVAE({ inputSize: 784, hidden: [16], latent: 2 }), 1);
    const seen: string[] = [];
    const read = await readPreview('http://host/b/', fetchOf(bundle.files, seen));
    expect(hasPreview(bundle.manifest)).toBe(true);
    expect(seen.sort()).toEqual(
      ['manifest.json', bundle.manifest.decoder.file, bundle.manifest.graphs.dataMean!.file].sort(),
    );
    expect(Object.keys(read!.files).sort()).toEqual(seen.filter((n) => n !== 'manifest.json'));
    expect(await readPreview('http://host/none/', fetchOf({}))).toBeNull();
    // A decoder that is not the one the manifest hashed is refused.
    const files = { ...bundle.files, [bundle.manifest.decoder.file]: new Uint8Array([1, 2, 3]) };
    const bad = await readPreview('http://host/b/', fetchOf(files)).catch((e) => e);
    expect(bad).toBeInstanceOf(InferError);
    expect(bad.reason).toBe('hash');
  });

  it('has no preview for bundles whose samples the interpreter would not reproduce', async () => {
    const { bundle } = await build(mlpVAE({ inputSize: 784, hidden: [16], latent: 2 }), 1);
    const int8 = editManifest(bundle.files, (m) => {
      m.dtype = 'int8';
    });
    expect(await readPreview('http://host/b/', fetchOf(int8))).toBeNull();
    const mog = mlpVAE({ inputSize: 6, hidden: [4], latent: 2, prior: { type: 'mog', components: 2 } });
    expect(hasPreview((await createBundle(mog, mog.init(key(1)))).manifest)).toBe(false);
  });
});
