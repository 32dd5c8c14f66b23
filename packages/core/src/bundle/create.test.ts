import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { HostTensor } from '../ir/dtype';
import { convVAE28, mlpVAE, tabularVAE } from '../models/builders';
import type { VAE } from '../models/vae';
import { decodeModel } from '../onnx/onnx-proto';
import { OnnxDataType } from '../onnx/onnx-types';
import { key } from '../random/key';
import { onnxCheck } from '../testing/python';
import { createBundle } from './create';
import { fromFloat16Array, toFloat16Array } from './float16';
import { verifyBundleFiles } from './hash';
import { parseManifestText } from './manifest';
import { dataFeeds, maxAbsDiff, reference, runFile } from './test-helpers';

const labels = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
const models: [string, VAE][] = [
  ['mlpVAE', mlpVAE({ inputSize: 784, hidden: [64], latent: 8 })],
  [
    'conditional mlpVAE',
    mlpVAE({ inputSize: 784, hidden: [48], latent: 4, condition: { size: 10, labels } }),
  ],
  ['convVAE28', convVAE28({ latent: 4 })],
  [
    'tabularVAE',
    tabularVAE(
      [
        { name: 'age', type: 'continuous' },
        { name: 'smoker', type: 'binary' },
        { name: 'colour', type: 'categorical', categories: 3 },
      ],
      { latent: 2, hidden: [6] },
    ),
  ],
];

const dir = mkdtempSync(join(tmpdir(), 'vae-bundle-'));
const written: string[] = [];
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, bytes: Uint8Array): void {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  written.push(p);
}

/** Parameters rounded to float16 and back: what a float16 bundle computes with. */
const halved = (params: Record<string, HostTensor>) =>
  Object.fromEntries(
    Object.entries(params).map(([n, t]) => [
      n,
      { ...t, data: fromFloat16Array(toFloat16Array(t.data as Float32Array)) },
    ]),
  ) as Record<string, HostTensor>;

describe.each(models)('bundle of a %s', (label, vae) => {
  const params = vae.init(key(label.length));
  const slug = label.replace(/\W+/g, '-');

  it('encoder.onnx and decoder.onnx on onnxruntime-node match the interpreter to 1e-5', async () => {
    const { manifest, files } = await createBundle(vae, params, {
      metrics: { elbo: -100.5 },
      recipe: { lr: 1e-3 },
    });
    expect(parseManifestText(files['manifest.json']!)).toEqual(manifest);
    await verifyBundleFiles(manifest, files);
    for (const role of ['encoder', 'decoder'] as const) {
      const feeds = dataFeeds(vae, role, 3, 11);
      const { out, inputNames, outputNames } = await runFile(files[manifest[role].file]!, feeds);
      expect([...inputNames].sort()).toEqual(manifest[role].inputs.map((t) => t.name).sort());
      expect([...outputNames]).toEqual(manifest[role].outputs.map((t) => t.name));
      const ref = reference(vae, role, params, feeds);
      for (const [name, want] of Object.entries(ref)) {
        const diff = maxAbsDiff(out[name]!, want);
        console.log(`${label} ${role}.${name}: max |ORT - interpreter| = ${diff.toExponential(2)}`);
        expect(diff).toBeLessThanOrEqual(1e-5);
      }
      write(`${slug}-${role}.onnx`, files[manifest[role].file]!);
    }
    // Each file carries its own role's weights only.
    const enc = decodeModel(files['encoder.onnx']!).graph.initializer.map((t) => t.name);
    const dec = decodeModel(files['decoder.onnx']!).graph.initializer.map((t) => t.name);
    expect(enc.some((n) => n.startsWith('dec.'))).toBe(false);
    expect(dec.some((n) => n.startsWith('enc.'))).toBe(false);
    expect(dec.some((n) => n.startsWith('dec.'))).toBe(true);
  });

  it('a float16 bundle is about half the size and computes with float16-rounded weights', async () => {
    const full = await createBundle(vae, params);
    const half = await createBundle(vae, params, { dtype: 'float16' });
    expect(half.manifest.dtype).toBe('float16');
    for (const role of ['encoder', 'decoder'] as const) {
      const file = half.manifest[role].file;
      const ratio = half.files[file]!.byteLength / full.files[file]!.byteLength;
      console.log(`${label} ${role}: float16 file is ${(100 * ratio).toFixed(1)}% of float32`);
      // Tiny models are dominated by graph structure; real ones halve.
      if (full.files[file]!.byteLength > 20_000) expect(ratio).toBeLessThan(0.55);
      const types = decodeModel(half.files[file]!).graph.initializer.filter((t) =>
        t.name.startsWith(role.slice(0, 3)),
      );
      expect(types.every((t) => t.dataType === OnnxDataType.FLOAT16)).toBe(true);
      const feeds = dataFeeds(vae, role, 3, 5);
      const { out } = await runFile(half.files[file]!, feeds);
      const exact = reference(vae, role, halved(params), feeds);
      const fp32 = reference(vae, role, params, feeds);
      for (const [name, want] of Object.entries(exact)) {
        const vsRounded = maxAbsDiff(out[name]!, want);
        const vsFull = maxAbsDiff(out[name]!, fp32[name]!);
        const scale = Math.max(1, ...Array.from(fp32[name]!, Math.abs));
        console.log(
          `${label} ${role}.${name} float16: vs rounded-weights reference ${vsRounded.toExponential(2)}, vs float32 ${vsFull.toExponential(2)}`,
        );
        expect(vsRounded).toBeLessThanOrEqual(1e-5);
        expect(vsFull / scale).toBeLessThan(1e-2);
      }
      write(`${slug}-${role}-fp16.onnx`, half.files[file]!);
    }
  });
});

describe('bundle files', () => {
  it('pass onnx.checker.check_model(full_check=True), float32 and float16', () => {
    expect(written.length).toBe(models.length * 4);
    const results = onnxCheck(written);
    expect(results.filter((r) => r !== 'ok')).toEqual([]);
    expect(results).toHaveLength(written.length);
  });
});
