import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseManifest, verifyBundleFiles } from '@vae/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { evalCommand } from '../cli/eval-command';
import { onnxCheck, tinyRun } from '../testing/fixtures';
import { exportRun } from './export-run';

let run = '';
beforeAll(async () => {
  run = await tinyRun();
}, 120_000);

describe('vae export', () => {
  it('writes a bundle that passes onnx.checker, its hashes and a 1e-5 parity check', async () => {
    const r = await exportRun({ run, parityExamples: 128, mapExamples: 300 });
    expect(r.parity.n).toBe(128);
    expect(Math.max(r.parity.encoder, r.parity.decoder)).toBeLessThanOrEqual(1e-5);
    const files = Object.fromEntries(
      readdirSync(r.dir).map((f) => [f, new Uint8Array(readFileSync(join(r.dir, f)))]),
    );
    const manifest = parseManifest(JSON.parse(new TextDecoder().decode(files['manifest.json'])));
    await verifyBundleFiles(manifest, files);
    expect(manifest.parity).toMatchObject({ n: 128, backend: 'onnxruntime-node' });
    expect(manifest.parity!.maxAbsDiff).toBeLessThanOrEqual(1e-5);
    expect(manifest.latent).toBe(4);
    expect(manifest.latentMap).toMatchObject({ n: 300, method: 'pca' });
    expect(manifest.latentMap!.basis!.mean).toHaveLength(4);
    expect(manifest.latentMap!.basis!.axes[1]).toHaveLength(4);
    expect(manifest.metrics.test_elbo).toBeGreaterThan(50);
    expect(onnxCheck([join(r.dir, 'encoder.onnx'), join(r.dir, 'decoder.onnx')])).toEqual(['ok', 'ok']);
  });

  it('--fp16 halves the weight files and reports its (larger) parity', async () => {
    const full = readFileSync(join(run, 'bundle', 'decoder.onnx')).length;
    const r = await exportRun({ run, fp16: true, parityExamples: 64, mapExamples: 100 });
    const half = readFileSync(join(r.dir, 'decoder.onnx')).length;
    expect(half / full).toBeLessThan(0.55);
    expect(r.manifest.dtype).toBe('float16');
    expect(r.manifest.parity!.maxAbsDiff).toBeGreaterThan(0);
    expect(r.manifest.parity!.maxAbsDiff).toBeLessThan(0.5);
  });

  it('--int8 quarters the weight files, reports parity and int8_logp_delta, and rejects --fp16', async () => {
    await expect(exportRun({ run, fp16: true, int8: true })).rejects.toThrow(/mutually exclusive/);
    const r0 = await exportRun({ run, parityExamples: 64, mapExamples: 100 });
    const full = readFileSync(join(r0.dir, 'decoder.onnx')).length;
    const r = await exportRun({ run, int8: true, parityExamples: 64, mapExamples: 100 });
    const q = readFileSync(join(r.dir, 'decoder.onnx')).length;
    const delta = r.manifest.metrics.int8_logp_delta!;
    console.log(
      `int8 export: decoder ${(100 * (q / full)).toFixed(1)}% of float32, parity ${r.manifest.parity!.maxAbsDiff.toExponential(2)}, int8_logp_delta ${delta.toFixed(4)} nats/example (test_elbo ${r.manifest.metrics.test_elbo!.toFixed(2)})`,
    );
    expect(q / full).toBeLessThan(0.3);
    expect(r.manifest.dtype).toBe('int8');
    expect(r.int8LogpDelta).toBe(delta);
    expect(r.manifest.parity!.maxAbsDiff).toBeGreaterThan(0);
    expect(r.manifest.parity!.maxAbsDiff).toBeLessThan(0.5);
    // Reported, not a gate; a tiny briefly-trained model should still lose well under a nat.
    expect(delta).toBeGreaterThan(0);
    expect(delta).toBeLessThan(1);
    expect(onnxCheck([join(r.dir, 'encoder.onnx'), join(r.dir, 'decoder.onnx')])).toEqual(['ok', 'ok']);
  });
});

describe('vae eval', () => {
  it('reports per-example nats; the IW estimate is tighter than the ELBO', async () => {
    const a = await evalCommand({ run, iw: 200, limit: 200 });
    expect(a.n).toBe(200);
    expect(a.elbo).toBeCloseTo(a.recon + a.kl, 3);
    expect(a.nll_iw!).toBeLessThan(a.elbo);
    expect(a.nll_iw!).toBeGreaterThan(a.elbo - 30);
    expect(a.kl_per_dim!.reduce((s, v) => s + v, 0)).toBeCloseTo(a.kl, 3);
    expect(a.active_units).toBeGreaterThan(0);
    expect(a.active_units).toBeLessThanOrEqual(4);
  });
});
