import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { DEBIAN_FASHION_MNIST_DIR, mnistDefault } from '@vae/datasets';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { evalCommand } from '../eval/eval-command';
import { exportRun } from '../export/export-run';
import { readConfig } from '../run/run-dir';
import { freshRunDir, vaeInProcess as vae } from '../run/test-helpers';
import { trainCommand } from '../run/train-command';
import { sampleCommand } from '../views/sample';
import { npyBytes, writePng } from './test-helpers';

// `vae train --dataset PATH`: the same pixels and labels from a PNG folder and an .npy train the
// same model to the same test ELBO; an IDX path matches the built-in loader; what is not supported
// is refused with one line naming the file. RGB data: rgb-data.test.ts.

const tmp = (p: string) => mkdtempSync(join(tmpdir(), p));
// The tiny recipe (784-32-2, one epoch, seed 3), and with batches of 32 for the 300-image sets.
const common = 'hidden 32 latent 2 epochs 1 seed 3 threads 2'
  .split(' ')
  .map((w, i) => (i % 2 ? w : `--${w}`));
const tiny = [...common, '--quiet', '--batch', '32'];

let folder: string;
let npy: string;
let labels: string;
let floatNpy: string;
let rgbFolder: string;
let rgba: string;

beforeAll(async () => {
  // 300 embedded digits: a class folder (0..9) of grey PNGs, and the same examples in folder order
  // (class, then file name) as an .npy with an .npy of labels.
  const { train } = await mnistDefault();
  const dir = tmp('vae-user-data-');
  folder = join(dir, 'digits');
  const byClass: number[][] = Array.from({ length: 10 }, () => []);
  for (let i = 0; i < 300; i++) byClass[train.labels![i]!]!.push(i);
  const pixels = new Uint8Array(300 * 784);
  const ys = new Uint8Array(300);
  let k = 0;
  for (let c = 0; c < 10; c++) {
    mkdirSync(join(folder, String(c)), { recursive: true });
    for (const i of byClass[c]!) {
      const x = train.data.subarray(i * 784, (i + 1) * 784) as Uint8Array;
      const png = new PNG({ width: 28, height: 28, colorType: 0 });
      for (let p = 0; p < 784; p++) png.data.set([x[p]!, x[p]!, x[p]!, 255], p * 4);
      writeFileSync(
        join(folder, String(c), `${String(i).padStart(5, '0')}.png`),
        PNG.sync.write(png, { colorType: 0, inputColorType: 6 }),
      );
      pixels.set(x, k * 784);
      ys[k++] = c;
    }
  }
  npy = join(dir, 'digits.npy');
  labels = join(dir, 'digits-labels.npy');
  writeFileSync(npy, npyBytes('|u1', [300, 28, 28], pixels));
  writeFileSync(labels, npyBytes('|u1', [300], ys));
  floatNpy = join(dir, 'digits-255.npy');
  writeFileSync(floatNpy, npyBytes('<f4', [300, 784], new Uint8Array(Float32Array.from(pixels).buffer)));
  rgbFolder = join(dir, 'colour');
  mkdirSync(rgbFolder);
  for (let i = 0; i < 20; i++)
    writePng(join(rgbFolder, `${i}.png`), 8, 8, (p) => [(p * 7 + i) % 256, (p * 3) % 256, 40]);
  // Four channels (RGBA): not an image layout vae trains on.
  rgba = join(dir, 'rgba.npy');
  writeFileSync(rgba, npyBytes('|u1', [5, 8, 8, 4], new Uint8Array(5 * 8 * 8 * 4)));
}, 60_000);

/** Test ELBO of a run (nats per example, no importance sampling). */
const testElbo = async (run: string) => (await evalCommand({ run, iw: 0, threads: 2 })).elbo;

describe('vae train --dataset PATH (your own data)', () => {
  it('a PNG class folder and the same pixels and labels as .npy give the same split and test ELBO', async () => {
    const a = freshRunDir('vae-ud-');
    const b = freshRunDir('vae-ud-');
    const r1 = await vae('train', '--dataset', folder, '--test-fraction', '0.2', '--out', a, ...tiny);
    expect(r1.stderr).toBe('');
    expect(r1.code).toBe(0);
    const r2 = await vae(
      'train',
      '--dataset',
      npy,
      '--labels',
      labels,
      '--test-fraction',
      '0.2',
      '--out',
      b,
      ...tiny,
    );
    expect(r2.stderr).toBe('');
    expect(r2.code).toBe(0);
    const [ea, eb] = [await testElbo(a), await testElbo(b)];
    console.log(`test ELBO: PNG folder ${ea}, .npy ${eb}`);
    expect(ea).toBeCloseTo(eb, 4);
    // 20% of each class held out (rounded per class), then 10% of the rest for validation.
    const nTest = (await evalCommand({ run: a, iw: 0 })).n;
    expect(nTest).toBeGreaterThanOrEqual(55);
    expect(nTest).toBeLessThanOrEqual(65);
    const valCount = Math.floor((300 - nTest) / 10);
    expect(readConfig(a).recipe).toMatchObject({ dataset: folder, testFraction: 0.2, valCount });
    expect(readConfig(b).recipe).toMatchObject({ dataset: npy, labels, testFraction: 0.2, valCount });
    expect(readConfig(a).data).toMatchObject({ shape: [784], image: { h: 28, w: 28, c: 1 }, scale: 255 });
  }, 60_000);

  it('float32 data in [0, 1] train at scale 1; outside [0, 1] is refused naming the file, min and max', async () => {
    const bad = await vae('train', '--dataset', floatNpy, '--out', freshRunDir('vae-ud-'), ...tiny);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(
      `vae: ${floatNpy}: float32 values must lie in [0, 1] (pixel intensities, binarised as Bernoulli probabilities), found min 0, max 255; divide by the maximum (e.g. 255) or save uint8 pixels\n`,
    );
    const { train } = await mnistDefault();
    const unit = join(tmp('vae-ud-'), 'unit.npy');
    const x = new Float32Array(300 * 784);
    for (let i = 0; i < x.length; i++) x[i] = train.data[i]! / 255;
    writeFileSync(unit, npyBytes('<f4', [300, 784], new Uint8Array(x.buffer)));
    const out = freshRunDir('vae-ud-');
    const r = await vae('train', '--dataset', unit, '--out', out, ...tiny);
    expect(r.stderr).toBe('');
    expect(readConfig(out).data).toMatchObject({ shape: [784], image: null, scale: 1, binarize: true });
    expect(Number.isFinite(await testElbo(out))).toBe(true);
  }, 60_000);

  it('a non-square --size run: eval, export (manifest geometry), sample --png at its size; --resume with another --size is refused', async () => {
    const out = freshRunDir('vae-ud-');
    const r = await vae('train', '--dataset', folder, '--size', '14x20', '--out', out, ...tiny);
    expect(r.stderr).toBe('');
    expect(readConfig(out).data).toMatchObject({ shape: [280], image: { h: 14, w: 20, c: 1 } });
    expect(readConfig(out).recipe).toMatchObject({ size: [14, 20], testFraction: 0.1 });
    expect(Number.isFinite(await testElbo(out))).toBe(true);

    const bundle = join(tmp('vae-ud-'), 'bundle');
    await exportRun({ run: out, out: bundle, threads: 2 });
    const manifest = JSON.parse(readFileSync(join(bundle, 'manifest.json'), 'utf8'));
    expect(manifest.data).toMatchObject({
      kind: 'image',
      shape: [280],
      image: { channels: 1, height: 14, width: 20 },
      binarized: true,
    });
    expect(manifest.recipe.dataset).toBe(basename(folder));

    const png = join(tmp('vae-ud-'), 's.png');
    const s = await sampleCommand({ run: out, n: 6, seed: 1, png, cols: 3, scale: 1 });
    const img = PNG.sync.read(readFileSync(png));
    expect([img.width, img.height]).toEqual([1 + 3 * 21, 1 + 2 * 15]);
    expect([s.width, s.height]).toEqual([img.width, img.height]);

    const again = await vae('train', '--resume', '--out', out, '--size', '16x16', '--epochs', '2', '--quiet');
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(
      "vae: --size 16x16 differs from the run's recipe (size 14x20); drop the flag or start a new run\n",
    );
  }, 90_000);

  it('an IDX path trains exactly as --dataset fashion-mnist (same split, same test ELBO)', async () => {
    const flags = [...common, '--quiet', '--val', '50000', '--batch', '100'];
    const a = freshRunDir('vae-ud-');
    const b = freshRunDir('vae-ud-');
    const idx = join(DEBIAN_FASHION_MNIST_DIR, 'train-images-idx3-ubyte.gz');
    const r1 = await vae('train', '--dataset', idx, '--out', a, ...flags);
    expect(r1.stderr).toBe('');
    const r2 = await vae('train', '--dataset', 'fashion-mnist', '--out', b, ...flags);
    expect(r2.stderr).toBe('');
    const [ea, eb] = [await testElbo(a), await testElbo(b)];
    console.log(`test ELBO: IDX path ${ea}, fashion-mnist ${eb}`);
    expect(ea).toBeCloseTo(eb, 4);
    expect(readConfig(a).recipe.testFraction).toBeUndefined();
    const tf = await vae(
      'train',
      '--dataset',
      idx,
      '--test-fraction',
      '0.2',
      '--out',
      freshRunDir('vae-ud-'),
      ...flags,
    );
    expect(tf.code).toBe(1);
    expect(tf.stderr).toBe(
      `vae: --test-fraction is for datasets without a test split; ${idx} has its own (10000 examples beside it): drop --test-fraction\n`,
    );
  }, 90_000);

  it('refuses what is not supported yet, each in one line', async () => {
    const run = async (...argv: string[]) => {
      const r = await vae('train', ...argv, '--out', freshRunDir('vae-ud-'), ...tiny);
      expect(r.code).toBe(1);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      return r.stderr.trimEnd();
    };
    expect(await run('--dataset', rgba)).toBe(
      `vae: ${rgba}: examples of shape [8, 8, 4] are not supported; save N x D vectors, N x H x W grey or N x H x W x 3 RGB images (N x 3 x H x W with --channels-first)`,
    );
    expect(await run('--dataset', folder, '--size', '1x1', '--model', 'conv')).toBe(
      'vae: --model conv: 1x1 images are too small for hidden [32]: each hidden width is a stride-2 conv that halves the size (1x1 -> 0x0); give images of at least 2x2 pixels (the widths are --hidden)',
    );
    expect(await run('--dataset', 'fashion-mnist', '--test-fraction', '0.2')).toBe(
      'vae: --test-fraction is for datasets without a test split; fashion-mnist has its own: drop --test-fraction',
    );
    expect(await run('--dataset', npy, '--size', '14x14')).toBe(
      `vae: --size resizes the images of a folder; ${npy} (an .npy file) is not one: drop --size`,
    );
    expect(await run('--dataset', folder, '--size', '14')).toBe(
      'vae: --size must be HxW with positive integers, e.g. 32x32, got 14',
    );
    expect(await run('--dataset', './no-such-folder')).toBe(
      `vae: ./no-such-folder: no such file or folder (--dataset takes fashion-mnist, mnist, mnist-default, penguins, a folder of PNG/JPEG images, FILE.npy, FILE.npz, an IDX images file (...-idx3-ubyte[.gz]) or FILE.csv)`,
    );
    const missing = join(tmpdir(), 'vae-no-such-file.npy');
    expect(await run('--dataset', missing)).toMatch(
      new RegExp(`^vae: ${missing}: [^:]*(no such|not found|does not exist)`, 'i'),
    );
    expect(await run('--dataset', labels)).toMatch(/^vae: .*digits-labels\.npy: /);
  }, 60_000);

  it('--grey trains a colour folder as grey', async () => {
    const out = freshRunDir('vae-ud-');
    await trainCommand({
      dataset: rgbFolder,
      grey: true,
      hidden: [8],
      latent: 2,
      epochs: 1,
      batch: 4,
      out,
      quiet: true,
      threads: 1,
    });
    expect(readConfig(out).data).toMatchObject({ image: { h: 8, w: 8, c: 1 } });
    expect(readConfig(out).recipe).toMatchObject({ grey: true, valCount: 1 });
  }, 30_000);
});
