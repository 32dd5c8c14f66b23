import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBundle, key, mlpVAE, sha256Hex, toOnnx } from '@vae/core';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../render/errors';
import { type BundleInspection, formatInspect, inspectCommand, type OnnxInspection } from './inspect';

const root = mkdtempSync(join(tmpdir(), 'vae-inspect-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const size = (shape: readonly number[]) => shape.reduce((a, d) => a * d, 1);

async function writeBundle(name: string, opts: { latent?: number; dtype?: 'float32' | 'float16' } = {}) {
  const vae = mlpVAE({ latent: opts.latent ?? 8, hidden: [32] });
  const bundle = await createBundle(vae, vae.init(key(1)), { dtype: opts.dtype ?? 'float32' });
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  for (const [f, bytes] of Object.entries(bundle.files)) writeFileSync(join(dir, f), bytes);
  return dir;
}

describe('inspectCommand on an .onnx file', () => {
  it("counts a core decoder's parameters, ops, inputs and outputs", async () => {
    const vae = mlpVAE({ latent: 8, hidden: [32] });
    const { graph, outputs } = vae.roleGraph('decoder');
    const bytes = toOnnx(graph, { outputs, bind: vae.init(key(0)) });
    const path = join(root, 'decoder.onnx');
    writeFileSync(path, bytes);
    const r = (await inspectCommand(path)) as OnnxInspection;
    expect(r.kind).toBe('onnx');
    const m = r.model;
    const shapes = Object.entries(vae.paramShapes());
    const dec = shapes.filter(([n]) => n.startsWith('dec.')).map(([, s]) => size(s));
    const enc = shapes.filter(([n]) => n.startsWith('enc.')).map(([, s]) => size(s));
    const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);
    expect(m).toMatchObject({
      fileBytes: bytes.byteLength,
      irVersion: 8,
      opset: 17,
      graphName: 'decoder',
      nodes: 6,
    });
    expect(m.inputs).toEqual([{ name: 'z', dtype: 'float32', shape: ['N', 8] }]);
    expect(m.outputs).toEqual([{ name: 'params', dtype: 'float32', shape: ['N', 784] }]);
    expect(m.weights).toEqual({
      count: dec.length,
      parameters: sum(dec),
      bytes: 4 * sum(dec),
      byDtype: { float32: sum(dec) },
    });
    // All parameters were bound, so the encoder's weights sit in the file unread.
    expect(m.unused).toMatchObject({ count: enc.length, parameters: sum(enc) });
    expect(Object.fromEntries(m.ops)).toEqual({ MatMul: 2, Add: 2, Relu: 1, Identity: 1 });
    const text = formatInspect(r);
    expect(text).toContain('opset 17');
    expect(text).toContain('z float32 [N, 8]');
    expect(text).toContain(`${sum(dec).toLocaleString('en-US')} parameters in 4 initializers`);
  });

  it('names paths that are not ONNX', async () => {
    const junk = join(root, 'junk.onnx');
    writeFileSync(junk, 'hello, not protobuf');
    await expect(inspectCommand(junk)).rejects.toThrow(UsageError);
    await expect(inspectCommand(join(root, 'nope.onnx'))).rejects.toThrow(/does not exist/);
    const empty = join(root, 'empty-dir');
    mkdirSync(empty, { recursive: true });
    await expect(inspectCommand(empty)).rejects.toThrow(/neither an .onnx file nor a bundle folder/);
  });
});

describe('inspectCommand on a bundle', () => {
  it('passes every check for a fresh bundle, also through its run folder', async () => {
    const dir = await writeBundle('run/bundle');
    const r = (await inspectCommand(dir)) as BundleInspection;
    expect(r.kind).toBe('bundle');
    expect(r.checks.filter((c) => !c.ok)).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.files.map((f) => f.name).sort()).toEqual([
      'data-mean.onnx',
      'data-sample.onnx',
      'decoder.onnx',
      'encoder.onnx',
      'posterior-sample.onnx',
      'score.onnx',
    ]);
    expect(r.encoder?.outputs.map((t) => t.name)).toEqual(['loc', 'scale']);
    expect(r.decoder?.weights.parameters).toBe(8 * 32 + 32 + 32 * 784 + 784);
    expect(r.decoder?.unused.count).toBe(0);
    const viaRun = (await inspectCommand(join(root, 'run'))) as BundleInspection;
    expect(viaRun.path).toBe(dir);
    const text = formatInspect(r);
    expect(text).toMatch(/^bundle .*: OK/);
    expect(text).toContain('manifest: latent 8, prior standard-normal, likelihood bernoulli (logits)');
    expect(text).not.toContain('FAIL');
  });

  it('reports float16 weights by type', async () => {
    const r = (await inspectCommand(await writeBundle('half', { dtype: 'float16' }))) as BundleInspection;
    expect(r.ok).toBe(true);
    expect(Object.keys(r.decoder!.weights.byDtype)).toEqual(['float16']);
    expect(r.decoder!.weights.bytes).toBe(2 * r.decoder!.weights.parameters);
  });

  it('fails the hash check of a changed file and names it', async () => {
    const dir = await writeBundle('tampered');
    const p = join(dir, 'decoder.onnx');
    const bytes = readFileSync(p);
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 1;
    writeFileSync(p, bytes);
    const r = (await inspectCommand(dir)) as BundleInspection;
    expect(r.ok).toBe(false);
    const bad = r.checks.filter((c) => !c.ok);
    expect(bad.map((c) => c.name)).toEqual(['file decoder.onnx']);
    expect(bad[0]!.detail).toMatch(/SHA-256 [0-9a-f]{64} does not match manifest.json/);
    expect(formatInspect(r)).toMatch(/1 problem\b/);
  });

  it('catches a decoder whose latent size disagrees with the manifest even when hashes match', async () => {
    const dir = await writeBundle('swapped', { latent: 8 });
    const other = await writeBundle('other', { latent: 5 });
    const swapped = readFileSync(join(other, 'decoder.onnx'));
    writeFileSync(join(dir, 'decoder.onnx'), swapped);
    const mpath = join(dir, 'manifest.json');
    const manifest = JSON.parse(readFileSync(mpath, 'utf8'));
    manifest.files['decoder.onnx'] = {
      sha256: await sha256Hex(new Uint8Array(swapped)),
      bytes: swapped.byteLength,
    };
    writeFileSync(mpath, JSON.stringify(manifest));
    const r = (await inspectCommand(dir)) as BundleInspection;
    const bad = Object.fromEntries(r.checks.filter((c) => !c.ok).map((c) => [c.name, c.detail]));
    expect(Object.keys(bad)).toEqual(['decoder inputs', 'decoder latent size']);
    expect(bad['decoder latent size']).toBe('z is [N, 5], manifest latent is 8');
  });

  it('reports a missing or invalid manifest and missing graphs as failed checks', async () => {
    const dir = await writeBundle('broken');
    writeFileSync(join(dir, 'manifest.json'), '{"format": "vae-bundle", "formatVersion": 99}');
    rmSync(join(dir, 'encoder.onnx'));
    const r = (await inspectCommand(dir)) as BundleInspection;
    expect(r.manifest).toBeNull();
    expect(r.decoder).not.toBeNull();
    const names = r.checks.filter((c) => !c.ok).map((c) => c.name);
    expect(names).toEqual(['manifest', 'encoder file']);
    expect(r.checks[0]!.detail).toMatch(/formatVersion 99 is not supported/);
  });
});
