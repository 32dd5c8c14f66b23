import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { key } from '@vae/random';
import { afterAll, describe, expect, it } from 'vitest';
import { fromFloat16Array, toFloat16Array } from '../bundle/float16';
import { verifyBundleFiles } from '../bundle/hash';
import { parseManifestText } from '../bundle/parse-manifest';
import type { HostTensor } from '../ir/dtype';
import { convVAE28, mlpVAE, tabularVAE } from '../models/builders';
import type { VAE } from '../models/vae';
import { decodeModel } from '../onnx/onnx-proto';
import { OnnxDataType } from '../onnx/onnx-types';
import { onnxCheck } from '../testing/python';
import { createBundle } from './create';
import { assertExactIntegerMatmuls } from './int8-guard';
import {
  avx2IntegerMatMul,
  int8Reference,
  int8Tolerance,
  roleInt8Reference,
  type StoredWeight,
  storedWeights,
} from './int8-reference';
import { INT8_WEIGHT_ZERO_POINT } from './onnx-export';
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
afterAll(() => rmSync(dir, { recursive: true, force: true }));

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
    }
  });

  it('an int8 bundle stores 8-bit MatMul weights (~1/4 of the bytes), computes its exact integer arithmetic on onnxruntime-node and stays within 2% of float32', async () => {
    const full = await createBundle(vae, params);
    const q = await createBundle(vae, params, { dtype: 'int8' });
    expect(q.manifest.dtype).toBe('int8');
    expect(parseManifestText(q.files['manifest.json']!).dtype).toBe('int8');
    await verifyBundleFiles(q.manifest, q.files);
    for (const role of ['encoder', 'decoder'] as const) {
      const file = q.manifest[role].file;
      const model = decodeModel(q.files[file]!);
      const ratio = q.files[file]!.byteLength / full.files[file]!.byteLength;
      const hasConv = model.graph.node.some((n) => n.opType.startsWith('Conv'));
      console.log(`${label} ${role}: int8 file is ${(100 * ratio).toFixed(1)}% of float32`);
      // Dense-only models shrink to ~1/4 (scales and biases stay float32); Conv kernels stay float32.
      if (full.files[file]!.byteLength > 20_000 && !hasConv) expect(ratio).toBeLessThan(0.3);
      // Every MatMul on a trained weight is quantised (constant 0/1 expansions, e.g. tabular masks, stay).
      const matmuls = model.graph.node.filter((n) => n.opType === 'MatMul');
      expect(matmuls.filter((n) => Object.hasOwn(params, n.input[1]!))).toEqual([]);
      const integer = model.graph.node.filter((n) => n.opType === 'MatMulInteger');
      expect(integer.length).toBeGreaterThan(0);
      // Stored as uint8 with zero point 128: onnxruntime's u8 x u8 kernels are exact on every CPU.
      const weights = storedWeights(q.files[file]!);
      expect(weights.size).toBe(integer.length);
      for (const w of weights.values()) {
        expect(w.q).toBeInstanceOf(Uint8Array);
        expect(w.zeroPoint).toBe(INT8_WEIGHT_ZERO_POINT);
      }
      // The static guard (createBundle runs it too) holds on the file as written.
      expect(() => assertExactIntegerMatmuls(model)).not.toThrow();
      for (const seed of [5, 6, 7]) {
        const feeds = dataFeeds(vae, role, 16, seed);
        const exact = roleInt8Reference(vae, role, params, feeds, q.files[file]!);
        // What onnxruntime's AVX2 kernels (no VNNI) compute with these weights: must be the same.
        const avx2 = roleInt8Reference(vae, role, params, feeds, q.files[file]!, avx2IntegerMatMul);
        const fp32 = reference(vae, role, params, feeds);
        // Node by node (MatMulInteger) and fused (onnxruntime's DynamicQuantizeMatMul).
        const runs = {
          unfused: (await runFile(q.files[file]!, feeds, 'disabled')).out,
          fused: (await runFile(q.files[file]!, feeds, 'all')).out,
        };
        for (const [name, want] of Object.entries(exact.out)) {
          const tol = int8Tolerance(want, exact.layers);
          const scale = Math.max(1, ...Array.from(fp32[name]!, Math.abs));
          expect(maxAbsDiff(avx2.out[name]!, want)).toBe(0);
          for (const [how, out] of Object.entries(runs)) {
            const vsExact = maxAbsDiff(out[name]!, want);
            const rel = maxAbsDiff(out[name]!, fp32[name]!) / scale;
            if (seed === 5)
              console.log(
                `${label} ${role}.${name} int8 (${how}): max |node - exact| ${vsExact.toExponential(2)} (tolerance ${tol.toExponential(2)}), max |node - float32| / ${scale.toFixed(2)} = ${rel.toExponential(2)}`,
              );
            expect(vsExact).toBeLessThanOrEqual(tol);
            // Error model vs float32: weights round to within 1/254 of each column's max |w|,
            // activations to within 1/510 of each tensor's range, so a layer's rounding error is
            // well under 1% of its output scale (errors of opposite sign mostly cancel over K terms)
            // and compounds over 2-4 layers. The bound is 2% of max(1, max |float32 output|).
            expect(rel).toBeLessThan(0.02);
          }
        }
      }
    }
  });

  it('the old full-range int8 weight form would differ from exact on an AVX2 CPU without VNNI (emulated, so any CPU sees it)', async () => {
    const q = await createBundle(vae, params, { dtype: 'int8' });
    for (const role of ['encoder', 'decoder'] as const) {
      const bytes = q.files[q.manifest[role].file]!;
      // The same levels in [-127, 127], stored as int8 with zero point 0 (what bundles used to hold).
      const old = new Map<string, StoredWeight>();
      for (const [n, w] of storedWeights(bytes))
        old.set(n, { ...w, q: Int8Array.from(w.q, (v) => v - w.zeroPoint), zeroPoint: 0 });
      const { graph, outputs } = vae.roleGraph(role);
      const names = new Set(graph.inputs.map((t) => t.name));
      const feeds: Record<string, HostTensor> = dataFeeds(vae, role, 16, 5);
      for (const [n, v] of Object.entries(params)) if (names.has(n)) feeds[n] = v;
      const keys = Object.keys(outputs);
      const targets = keys.map((k) => outputs[k]!);
      const exact = int8Reference(graph, targets, feeds, old);
      const avx2 = int8Reference(graph, targets, feeds, old, avx2IntegerMatMul);
      const now = roleInt8Reference(vae, role, params, dataFeeds(vae, role, 16, 5), bytes);
      for (const [i, k] of keys.entries()) {
        // Same levels, same exact result: only the kernel differs.
        expect(maxAbsDiff(exact.values[i]!, now.out[k]!)).toBe(0);
        const tol = int8Tolerance(exact.values[i]!, exact.layers);
        const err = maxAbsDiff(avx2.values[i]!, exact.values[i]!);
        console.log(
          `${label} ${role}.${k}: old int8 form on emulated AVX2 is off by ${err.toExponential(2)} (${(err / tol).toFixed(1)}x the tolerance)`,
        );
        expect(err).toBeGreaterThan(tol);
      }
    }
  });
});

describe('bundle files', () => {
  it('pass onnx.checker.check_model(full_check=True), float32, float16 and int8', async () => {
    const paths: string[] = [];
    for (const [label, vae] of models) {
      const params = vae.init(key(label.length));
      const slug = label.replace(/\W+/g, '-');
      for (const dtype of ['float32', 'float16', 'int8'] as const) {
        const { manifest, files } = await createBundle(vae, params, { dtype });
        for (const role of ['encoder', 'decoder'] as const) {
          const p = join(dir, `${slug}-${role}-${dtype}.onnx`);
          writeFileSync(p, files[manifest[role].file]!);
          paths.push(p);
        }
      }
    }
    const results = onnxCheck(paths);
    expect(results.filter((r) => r !== 'ok')).toEqual([]);
    expect(results).toHaveLength(models.length * 6);
  });
});
