import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import {
  EVAL_SEED,
  elboPass,
  fold,
  fromFloat16Array,
  type HostTensor,
  key,
  mean,
  normal,
  parseManifest,
  toFloat16Array,
  verifyBundleFiles,
} from '@vae/core';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrtBackend } from '../backend/ort-backend';
import { saveParams } from '../checkpoint/checkpoint';
import { loadRunData, splitInputs } from '../data/load-data';
import { evalCommand } from '../eval/eval-command';
import { loadRun } from '../run/run-dir';
import { onnxCheck, tinyRun } from '../testing/fixtures';
import { BundleExistsError, exportRun } from './export-run';

/** Test oracle, independent of the bundle's graphs: Bernoulli log p(x | logits) per row of `d`, float64. */
function bernoulliLogp(x: Float32Array, logits: Float32Array, d: number): Float64Array {
  return Float64Array.from({ length: logits.length / d }, (_, i) => {
    let s = 0;
    for (let j = i * d; j < (i + 1) * d; j++) {
      const l = logits[j]!;
      s += x[j]! * l - (Math.max(l, 0) + Math.log1p(Math.exp(-Math.abs(l))));
    }
    return s;
  });
}

let run = '';
const outs = mkdtempSync(join(tmpdir(), 'vae-export-'));
/** A fresh bundle folder for one test (tests never read each other's bundles). */
const out = (name: string) => join(outs, name);
beforeAll(async () => {
  run = await tinyRun();
}, 120_000);
afterAll(() => rmSync(outs, { recursive: true, force: true }));

const readDir = (dir: string) =>
  Object.fromEntries(readdirSync(dir).map((f) => [f, new Uint8Array(readFileSync(join(dir, f)))]));

/** The examples and inputs export measures on (its first `mapExamples` test examples). */
async function testInputs(m: number) {
  const r = loadRun(run);
  const data = await loadRunData(r.config);
  const inputs = splitInputs(data.test, r.config.data, r.vae.spec.condition?.size ?? 0, m);
  return { r, inputs };
}

describe('vae export', () => {
  it('writes a bundle that passes onnx.checker, its hashes and a 1e-5 parity check', async () => {
    const r = await exportRun({ run, parityExamples: 128, mapExamples: 300 });
    expect(r.dir).toBe(resolve(run, 'bundle'));
    expect(r.parity.n).toBe(128);
    expect(Math.max(r.parity.encoder, r.parity.decoder)).toBeLessThanOrEqual(1e-5);
    const files = readDir(r.dir);
    const manifest = parseManifest(JSON.parse(new TextDecoder().decode(files['manifest.json'])));
    await verifyBundleFiles(manifest, files);
    expect(manifest.parity).toMatchObject({ n: 128, backend: 'onnxruntime-node' });
    expect(manifest.parity!.maxAbsDiff).toBeLessThanOrEqual(1e-5);
    expect(manifest.latent).toBe(4);
    expect(manifest.latentMap).toMatchObject({ n: 300, method: 'pca' });
    expect(manifest.latentMap!.basis!.mean).toHaveLength(4);
    expect(manifest.latentMap!.basis!.axes[1]).toHaveLength(4);
    expect(manifest.metrics.test_elbo).toBeGreaterThan(50);
    // float32: the training figures are the bundle's; no separate float32 entry
    expect(manifest.metrics.test_elbo_float32).toBeUndefined();
    expect(onnxCheck([join(r.dir, 'encoder.onnx'), join(r.dir, 'decoder.onnx')])).toEqual(['ok', 'ok']);
  });

  it('--fp16 halves the weight files, reports its parity and the ELBO of the float16 weights', async () => {
    const m = 200;
    const r0 = await exportRun({
      run,
      out: out('fp16-ref'),
      parityExamples: 64,
      mapExamples: m,
      testScores: 0,
    });
    const r = await exportRun({
      run,
      out: out('fp16'),
      fp16: true,
      parityExamples: 64,
      mapExamples: m,
      testScores: 0,
    });
    const full = readFileSync(join(r0.dir, 'decoder.onnx')).length;
    const half = readFileSync(join(r.dir, 'decoder.onnx')).length;
    expect(half / full).toBeLessThan(0.55);
    expect(r.manifest.dtype).toBe('float16');
    expect(r.manifest.parity!.maxAbsDiff).toBeGreaterThan(0);
    expect(r.manifest.parity!.maxAbsDiff).toBeLessThan(0.5);
    // test_elbo is the float16 bundle's; test_elbo_float32 the float32 export's own figure.
    const { test_elbo: got, test_elbo_float32: f32 } = r.manifest.metrics;
    expect(f32).toBe(r0.manifest.metrics.test_elbo);
    expect(got).not.toBe(f32);
    // Independently: the float32 evaluation graph with every weight rounded to float16 (what the
    // bundle's Cast nodes give back), same examples, same noise.
    const { r: loaded, inputs } = await testInputs(m);
    const halved = Object.fromEntries(
      Object.entries(loaded.params).map(([n, t]) => [
        n,
        { ...t, data: fromFloat16Array(toFloat16Array(t.data as Float32Array)) } as HostTensor,
      ]),
    );
    const backend = new OrtBackend({ threads: 1, noPrepacking: true });
    try {
      const pass = await elboPass(backend, loaded.vae, halved, inputs, fold(key(EVAL_SEED), 1));
      console.log(
        `fp16 export: test_elbo ${got!.toFixed(5)} (float32 ${f32!.toFixed(5)}); recomputed with float16-rounded weights ${(-mean(pass.elbo)).toFixed(5)}`,
      );
      expect(Math.abs(got! - -mean(pass.elbo))).toBeLessThan(1e-3);
    } finally {
      await backend.dispose();
    }
  });

  it('--int8 quarters the weight files, reports parity, int8_logp_delta and the ELBO of the int8 bundle, and rejects --fp16', async () => {
    await expect(exportRun({ run, fp16: true, int8: true })).rejects.toThrow(/mutually exclusive/);
    const m = 200;
    const r0 = await exportRun({
      run,
      out: out('int8-ref'),
      parityExamples: 64,
      mapExamples: m,
      testScores: 0,
    });
    const r = await exportRun({
      run,
      out: out('int8'),
      int8: true,
      parityExamples: 64,
      mapExamples: m,
      testScores: 0,
    });
    const full = readFileSync(join(r0.dir, 'decoder.onnx')).length;
    const q = readFileSync(join(r.dir, 'decoder.onnx')).length;
    const { int8_logp_delta: delta, test_elbo: got, test_elbo_float32: f32 } = r.manifest.metrics;
    console.log(
      `int8 export: decoder ${(100 * (q / full)).toFixed(1)}% of float32, parity ${r.manifest.parity!.maxAbsDiff.toExponential(2)}, int8_logp_delta ${delta!.toFixed(4)} nats/example, test_elbo ${got!.toFixed(4)} (float32 ${f32!.toFixed(4)})`,
    );
    expect(q / full).toBeLessThan(0.3);
    expect(r.manifest.dtype).toBe('int8');
    expect(r.int8LogpDelta).toBe(delta);
    expect(r.manifest.parity!.maxAbsDiff).toBeGreaterThan(0);
    expect(r.manifest.parity!.maxAbsDiff).toBeLessThan(0.5);
    // Reported, not a gate; a tiny briefly-trained model should still lose well under a nat.
    expect(delta).toBeGreaterThan(0);
    expect(delta).toBeLessThan(1);
    // test_elbo is measured on the int8 bundle: not the float32 figure, but close to it.
    expect(f32).toBe(r0.manifest.metrics.test_elbo);
    expect(got).not.toBe(f32);
    expect(Math.abs(got! - f32!)).toBeLessThan(1);
    // Independently, in plain JS around the written files: encoder.onnx -> z = loc + scale * eps
    // (eps: the evaluation's first noise draw for batch 0) -> decoder.onnx -> Bernoulli log p(x | z)
    // and the closed-form KL(N(loc, scale) || N(0, 1)), in float64.
    const { r: loaded, inputs } = await testInputs(m);
    expect(loaded.vae.spec.likelihood.type).toBe('bernoulli');
    expect(loaded.vae.spec.prior.type).toBe('standard-normal');
    const L = loaded.vae.spec.latent;
    const x = inputs.x!.data as Float32Array;
    const session = (f: string) => ort.InferenceSession.create(join(r.dir, f));
    const [enc, dec] = await Promise.all([session('encoder.onnx'), session('decoder.onnx')]);
    try {
      const e = await enc.run({ x: new ort.Tensor('float32', x, [m, x.length / m]) });
      const loc = e.loc!.data as Float32Array;
      const scale = e.scale!.data as Float32Array;
      const eps = normal(fold(fold(fold(key(EVAL_SEED), 1), 0), 0), m * L);
      const z = loc.map((v, i) => v + Math.fround(scale[i]! * eps[i]!));
      const logits = (await dec.run({ z: new ort.Tensor('float32', z, [m, L]) })).params!
        .data as Float32Array;
      const recon = bernoulliLogp(x, logits, x.length / m);
      let sum = 0;
      for (let i = 0; i < m; i++) {
        let kl = 0;
        for (let j = i * L; j < (i + 1) * L; j++)
          kl += 0.5 * (scale[j]! ** 2 + loc[j]! ** 2 - 1) - Math.log(scale[j]!);
        sum += recon[i]! - kl;
      }
      const want = -sum / m;
      console.log(`int8 test_elbo ${got!.toFixed(5)}; recomputed from the files in JS ${want.toFixed(5)}`);
      expect(Math.abs(got! - want)).toBeLessThan(2e-3);
    } finally {
      await Promise.all([enc.release(), dec.release()]);
    }
    expect(onnxCheck([join(r.dir, 'encoder.onnx'), join(r.dir, 'decoder.onnx')])).toEqual(['ok', 'ok']);
  });

  it('never replaces a folder that holds files without force; force replaces a bundle; out writes elsewhere', async () => {
    const opts = { run, parityExamples: 32, mapExamples: 50, testScores: 0 };
    const dir = out('kept');
    const first = await exportRun({ ...opts, out: dir });
    expect(first.dir).toBe(resolve(dir));
    const before = readDir(dir);
    // refused, with the folder named and both ways out
    const refused = exportRun({ ...opts, out: dir, fp16: true });
    await expect(refused).rejects.toBeInstanceOf(BundleExistsError);
    await expect(refused).rejects.toThrow(
      `${resolve(dir)} already holds a bundle (or other files): pass --force to replace it, or --out DIR`,
    );
    expect(readDir(dir)).toEqual(before);
    // a folder that is not a bundle is not replaced even with force; an empty one needs no force
    const other = out('not-a-bundle');
    mkdirSync(other);
    writeFileSync(join(other, 'notes.txt'), 'mine');
    await expect(exportRun({ ...opts, out: other, force: true })).rejects.toThrow(/no manifest\.json/);
    expect(readFileSync(join(other, 'notes.txt'), 'utf8')).toBe('mine');
    mkdirSync(out('empty'));
    expect((await exportRun({ ...opts, out: out('empty') })).manifest.dtype).toBe('float32');
    await expect(exportRun({ ...opts, out: dirname(run), force: true })).rejects.toThrow(/run folder itself/);
    // force replaces the bundle whole, leaving no temporary folders behind
    const second = await exportRun({ ...opts, out: dir, fp16: true, force: true });
    expect(second.manifest.dtype).toBe('float16');
    expect(readDir(dir)['decoder.onnx']).not.toEqual(before['decoder.onnx']);
    expect(readdirSync(outs).filter((f) => f.startsWith('kept.'))).toEqual([]);
  });

  it('an export that fails leaves the old bundle as it was, even with force', async () => {
    // A copy of the run whose decoder weights are NaN: the export gets as far as building the bundle,
    // whose manifest then refuses the NaN metrics.
    const broken = join(outs, 'broken-run');
    cpSync(run, broken, { recursive: true });
    rmSync(join(broken, 'bundle'), { recursive: true, force: true });
    const { params } = loadRun(run);
    const name = Object.keys(params).find((n) => n.startsWith('dec.') && n.endsWith('weight'))!;
    const bad = {
      ...params,
      [name]: {
        ...params[name]!,
        data: new Float32Array(params[name]!.data.length).fill(Number.NaN),
      } as HostTensor,
    };
    saveParams(join(broken, 'best.safetensors'), bad);
    const dir = out('survivor');
    await exportRun({ run, out: dir, parityExamples: 32, mapExamples: 50 });
    const before = readDir(dir);
    await expect(
      exportRun({ run: broken, out: dir, force: true, parityExamples: 32, mapExamples: 50 }),
    ).rejects.toThrow(/Invalid type: Expected number/);
    expect(readDir(dir)).toEqual(before);
    expect(readdirSync(outs).filter((f) => f.startsWith('survivor.'))).toEqual([]);
    expect(existsSync(join(broken, 'bundle'))).toBe(false);
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
