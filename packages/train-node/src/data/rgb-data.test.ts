import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { evalCommand } from '../eval/eval-command';
import { exportRun } from '../export/export-run';
import { recipeFrom } from '../run/recipe-flags';
import { readConfig } from '../run/run-dir';
import { freshRunDir, vaeInProcess as vae } from '../run/test-helpers';
import { trainCommand } from '../run/train-command';
import { onnxCheck } from '../testing/fixtures';
import { inspectCommand } from '../views/inspect';
import { interpCommand } from '../views/interp';
import { reconCommand } from '../views/recon';
import { sampleCommand } from '../views/sample';
import { loadRunData } from './load-data';
import { npyBytes, writePng } from './test-helpers';
import { loadUserData } from './user-data';

// RGB user data, end to end: a PNG folder of red and blue images (and the same pixels as .npy, HWC
// and CHW) loads channel-major with the right planes; a conv VAE of the data's size trains, and
// eval, export (manifest channels 3), sample, recon, interp and inspect work on the run; an MLP on
// RGB too; a size the convs cannot take is one line.

const H = 10;
const W = 6;
const PER = 12;
/** Image k of a class: the class colour at 200 + k, green a row/column ramp (catches H/W swaps). */
const pixel = (cls: 'red' | 'blue', k: number, i: number): [number, number, number] => {
  const [y, x] = [Math.floor(i / W), i % W];
  const g = y * 20 + x;
  return cls === 'red' ? [200 + k, g, 10] : [10, g, 200 + k];
};

let folder: string;
let hwcNpy: string;
let chwNpy: string;
let labelsNpy: string;

beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'vae-rgb-'));
  folder = join(dir, 'colours');
  const hwc = new Uint8Array(2 * PER * H * W * 3);
  const chw = new Uint8Array(hwc.length);
  const labels = new Uint8Array(2 * PER);
  // Folder order: class (blue, red), then file name; the arrays hold the same order.
  (['blue', 'red'] as const).forEach((cls, c) => {
    mkdirSync(join(folder, cls), { recursive: true });
    for (let k = 0; k < PER; k++) {
      writePng(join(folder, cls, `${String(k).padStart(2, '0')}.png`), W, H, (i) => pixel(cls, k, i));
      const e = c * PER + k;
      labels[e] = c;
      for (let i = 0; i < H * W; i++)
        pixel(cls, k, i).forEach((v, ch) => {
          hwc[e * H * W * 3 + i * 3 + ch] = v;
          chw[e * H * W * 3 + ch * H * W + i] = v;
        });
    }
  });
  hwcNpy = join(dir, 'hwc.npy');
  chwNpy = join(dir, 'chw.npy');
  labelsNpy = join(dir, 'labels.npy');
  writeFileSync(hwcNpy, npyBytes('|u1', [2 * PER, H, W, 3], hwc));
  writeFileSync(chwNpy, npyBytes('|u1', [2 * PER, 3, H, W], chw));
  writeFileSync(labelsNpy, npyBytes('|u1', [2 * PER], labels));
});

const tiny = { latent: 2, epochs: 1, batch: 4, seed: 3, threads: 1, quiet: true, testFraction: 0.25 };

describe('RGB user data', () => {
  it('a folder of red and blue images loads channel-major: R, G, B planes, rows of W', async () => {
    const { data } = await loadUserData(recipeFrom({ dataset: folder, testFraction: 0.25 }), undefined);
    expect(data.image).toEqual({ h: H, w: W, c: 3 });
    expect(data.classNames).toEqual(['blue', 'red']);
    for (const split of [data.train, data.val, data.test]) {
      expect(split.exampleShape).toEqual([3, H, W]);
      expect(split.dtype).toBe('uint8');
      for (let e = 0; e < split.count; e++) {
        const x = split.get(e).x;
        const cls = split.labels![e] === 0 ? 'blue' : 'red';
        const k = (cls === 'red' ? x[0]! : x[2 * H * W]!) - 200; // which image of its class
        expect(k >= 0 && k < PER).toBe(true);
        for (let i = 0; i < H * W; i++)
          for (let ch = 0; ch < 3; ch++) expect(x[ch * H * W + i]).toBe(pixel(cls, k, i)[ch]);
      }
    }
    expect(data.train.count + data.val.count + data.test.count).toBe(2 * PER);
  });

  it('.npy N x H x W x 3 and N x 3 x H x W (--channels-first) give the folder bytes, split the same', async () => {
    const load = async (flags: Parameters<typeof recipeFrom>[0]) =>
      (await loadUserData(recipeFrom({ testFraction: 0.25, ...flags }), undefined)).data;
    const a = await load({ dataset: folder });
    const b = await load({ dataset: hwcNpy, labels: labelsNpy });
    const c = await load({ dataset: chwNpy, labels: labelsNpy, channelsFirst: true });
    for (const d of [b, c])
      for (const s of ['train', 'val', 'test'] as const) {
        expect(d[s].exampleShape).toEqual([3, H, W]);
        expect(Buffer.from(d[s].data).equals(Buffer.from(a[s].data))).toBe(true);
      }
  });

  it('a 1-epoch conv RGB run: eval, export (channels 3), decoded shape, sample/recon/interp in colour, inspect, resume', async () => {
    const out = freshRunDir('vae-rgb-');
    await trainCommand({
      ...tiny,
      dataset: folder,
      model: 'conv',
      hidden: [4, 8],
      likelihood: 'discretized-logistic',
      out,
    });
    const config = readConfig(out);
    expect(config.model.dataShape).toEqual([3, H, W]);
    expect(config.data).toMatchObject({ shape: [3, H, W], image: { h: H, w: W, c: 3 }, scale: 255 });
    expect(config.recipe).toMatchObject({ model: 'conv', hidden: [4, 8] });

    const ev = await evalCommand({ run: out, iw: 8, threads: 1 });
    expect(ev.n).toBe(6);
    // Bits/dim over 3 x 10 x 6 dims of 8-bit pixels: a barely trained model, near the 8 of uniform.
    expect(ev.bits_per_dim).toBeGreaterThan(2);
    expect(ev.bits_per_dim).toBeLessThan(12);

    const bundle = join(mkdtempSync(join(tmpdir(), 'vae-rgb-')), 'bundle');
    await exportRun({ run: out, out: bundle, threads: 1 });
    const manifest = JSON.parse(readFileSync(join(bundle, 'manifest.json'), 'utf8'));
    expect(manifest.data).toMatchObject({
      kind: 'image',
      shape: [3, H, W],
      image: { channels: 3, height: H, width: W, layout: 'chw' },
    });
    const session = await ort.InferenceSession.create(join(bundle, 'decoder.onnx'));
    const z = new ort.Tensor('float32', new Float32Array(2 * 2), [2, 2]);
    const res = await session.run({ z });
    await session.release();
    // Location and log-scale for each of the 3 channels, at exactly 10x6 (10 -> 5 -> 2, 6 -> 3 -> 1 and back).
    expect(res.params!.dims).toEqual([2, 6, H, W]);
    // The official checker accepts the graphs (ConvTranspose with output_padding on the odd width).
    expect(onnxCheck(['encoder.onnx', 'decoder.onnx'].map((f) => join(bundle, f)))).toEqual(['ok', 'ok']);
    const inspected = await inspectCommand(bundle);
    expect(inspected.kind === 'bundle' && inspected.ok).toBe(true);

    const dir = mkdtempSync(join(tmpdir(), 'vae-rgb-'));
    const s = await sampleCommand({ run: out, n: 4, seed: 1, png: join(dir, 's.png'), cols: 2, scale: 1 });
    const sampled = PNG.sync.read(readFileSync(s.png));
    expect([sampled.width, sampled.height]).toEqual([1 + 2 * (W + 1), 1 + 2 * (H + 1)]);
    expect(readFileSync(s.png)[25]).toBe(2); // IHDR colour type 2: RGB
    await interpCommand({ run: out, steps: 3, png: join(dir, 'i.png') });

    // Recon: the originals' row shows each test image in its own colours at the right pixels.
    const r = await reconCommand({ run: out, n: 6, png: join(dir, 'r.png'), cols: 6, scale: 1 });
    const img = PNG.sync.read(readFileSync(r.png));
    const test = (await loadRunData(config)).test;
    for (let e = 0; e < 6; e++) {
      const x = test.get(e).x;
      for (const [y, xx] of [
        [0, 0],
        [7, 4],
        [H - 1, W - 1],
      ] as const) {
        const o = ((1 + y) * img.width + 1 + e * (W + 1) + xx) * 4;
        const i = y * W + xx;
        expect([img.data[o], img.data[o + 1], img.data[o + 2]]).toEqual([
          x[i],
          x[H * W + i],
          x[2 * H * W + i],
        ]);
      }
    }

    const again = await vae(
      'train',
      '--resume',
      '--out',
      out,
      '--hidden',
      '4,16',
      '--epochs',
      '2',
      '--quiet',
    );
    expect(again.stderr).toBe(
      "vae: --hidden 4,16 differs from the run's recipe (hidden 4,8); drop the flag or start a new run\n",
    );
    const more = await vae('train', '--resume', '--out', out, '--epochs', '2', '--quiet', '--threads', '1');
    expect(more.stderr).toBe('');
  }, 120_000);

  it('an MLP on RGB flattens C x H x W (the bundle says chw)', async () => {
    const out = freshRunDir('vae-rgb-');
    await trainCommand({ ...tiny, dataset: folder, hidden: [16], likelihood: 'continuous-bernoulli', out });
    expect(readConfig(out).data).toMatchObject({ shape: [3 * H * W], image: { h: H, w: W, c: 3 } });
    const bundle = join(mkdtempSync(join(tmpdir(), 'vae-rgb-')), 'bundle');
    await exportRun({ run: out, out: bundle, threads: 1 });
    const manifest = JSON.parse(readFileSync(join(bundle, 'manifest.json'), 'utf8'));
    expect(manifest.data.image).toEqual({ channels: 3, height: H, width: W, layout: 'chw' });
  }, 60_000);

  it('a size the convs cannot take is refused in one line', async () => {
    const r = await vae(
      'train',
      '--dataset',
      folder,
      '--model',
      'conv',
      '--hidden',
      '8,8,8',
      '--size',
      '6x6',
      '--out',
      freshRunDir('vae-rgb-'),
      '--quiet',
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'vae: --model conv: 6x6 images are too small for hidden [8, 8, 8]: each hidden width is a stride-2 conv that halves the size (6x6 -> 3x3 -> 1x1 -> 0x0); give at most 2 hidden widths or larger images (the widths are --hidden)\n',
    );
  });
});
