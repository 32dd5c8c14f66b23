import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { encode as encodeJpeg } from 'jpeg-js';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetArgumentError, DatasetError, FileAccessError, ImageFormatError } from '../errors';
import { DEBIAN_FASHION_MNIST_DIR } from './fashion-mnist-node';
import { readIdxFile } from './idx-node';
import { type ImageFolder, loadImageFolder } from './image-folder-node';

/** PNG colour types: 0 grey, 2 RGB, 4 grey + alpha, 6 RGBA. */
type ColorType = 0 | 2 | 4 | 6;
const CHANNELS: Record<ColorType, number> = { 0: 1, 2: 3, 4: 2, 6: 4 };

/** Encodes `values` (`h * w * channels(colorType)`) as a PNG of that colour type, 8 bits. */
function png(w: number, h: number, colorType: ColorType, values: ArrayLike<number>): Buffer {
  const c = CHANNELS[colorType];
  const image = new PNG({ width: w, height: h });
  for (let p = 0; p < w * h; p++) {
    const px = Array.from({ length: c }, (_, k) => values[p * c + k]!);
    const rgba =
      c === 1
        ? [px[0]!, px[0]!, px[0]!, 255]
        : c === 2
          ? [px[0]!, px[0]!, px[0]!, px[1]!]
          : c === 3
            ? [...px, 255]
            : px;
    image.data.set(rgba, p * 4);
  }
  return PNG.sync.write(image, { colorType, inputColorType: 6, inputHasAlpha: true, bitDepth: 8 });
}

function jpeg(w: number, h: number, rgb: (p: number) => [number, number, number]): Buffer {
  const data = Buffer.alloc(w * h * 4);
  for (let p = 0; p < w * h; p++) data.set([...rgb(p), 255], p * 4);
  return encodeJpeg({ width: w, height: h, data }, 95).data;
}

const ramp = (n: number, seed: number) => Array.from({ length: n }, (_, i) => (i * 37 + seed * 11) % 256);

let root: string;
let counter = 0;
/** A fresh folder with `files` (relative path -> content) written in it. */
async function folder(files: Record<string, Uint8Array | string>): Promise<string> {
  const dir = join(root, `case-${counter++}`);
  await mkdir(dir, { recursive: true });
  for (const [rel, content] of Object.entries(files)) {
    await mkdir(join(dir, rel, '..'), { recursive: true });
    await writeFile(join(dir, rel), content);
  }
  return dir;
}

/** The ImageFormatError (or other DatasetError) a load throws. */
async function failure(dir: string, options = {}): Promise<DatasetError> {
  const error = await loadImageFolder(dir, options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DatasetError);
  return error as DatasetError;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'vae-image-folder-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('loadImageFolder: layout, labels, order', () => {
  it('labels from sorted class folders, files sorted by class then name, exact grey pixels', async () => {
    const dir = await folder({
      'shirt/b.png': png(3, 2, 0, ramp(6, 1)),
      'shirt/a.png': png(3, 2, 0, ramp(6, 2)),
      'boot/z.png': png(3, 2, 0, ramp(6, 3)),
      '.DS_Store': 'ignored',
    });
    const { data, classNames, files } = await loadImageFolder(dir);
    expect(classNames).toEqual(['boot', 'shirt']);
    expect(files).toEqual(['boot/z.png', 'shirt/a.png', 'shirt/b.png']);
    expect(data.exampleShape).toEqual([2, 3]);
    expect(data.dtype).toBe('uint8');
    expect(data.data).toBeInstanceOf(Uint8Array);
    expect([...data.labels!]).toEqual([0, 1, 1]);
    expect(data.classNames).toEqual(['boot', 'shirt']);
    expect([...data.data]).toEqual([...ramp(6, 3), ...ramp(6, 2), ...ramp(6, 1)]);
  });

  it('images directly in the folder give an unlabelled dataset', async () => {
    const dir = await folder({ '2.png': png(2, 2, 0, [1, 2, 3, 4]), '10.png': png(2, 2, 0, [5, 6, 7, 8]) });
    const { data, classNames, files } = await loadImageFolder(dir, { name: 'flat' });
    expect(classNames).toBeNull();
    expect(data.labels).toBeUndefined();
    expect(data.name).toBe('flat');
    expect(files).toEqual(['10.png', '2.png']); // code-point order, the same on every machine
    expect([...data.data]).toEqual([5, 6, 7, 8, 1, 2, 3, 4]);
  });

  it('RGB stays RGB exactly; a grey image among colour ones is repeated in all channels', async () => {
    const rgb = ramp(12, 5);
    const dir = await folder({ 'a.png': png(2, 2, 0, [9, 8, 7, 6]), 'b.png': png(2, 2, 2, rgb) });
    const { data } = await loadImageFolder(dir);
    expect(data.exampleShape).toEqual([2, 2, 3]);
    expect([...data.data]).toEqual([9, 9, 9, 8, 8, 8, 7, 7, 7, 6, 6, 6, ...rgb]);
  });

  it('RGB files whose pixels are all grey load as 1 channel; channels forces 1 (BT.601) or 3', async () => {
    const dir = await folder({
      'a.png': png(1, 2, 2, [5, 5, 5, 200, 200, 200]),
      'b.png': png(1, 2, 0, [1, 2]),
    });
    expect([...(await loadImageFolder(dir)).data.data]).toEqual([5, 200, 1, 2]);
    const three = (await loadImageFolder(dir, { channels: 3 })).data;
    expect(three.exampleShape).toEqual([2, 1, 3]);
    expect([...three.data]).toEqual([5, 5, 5, 200, 200, 200, 1, 1, 1, 2, 2, 2]);
    const colour = await folder({ 'red.png': png(1, 1, 2, [255, 0, 0]) });
    const one = (await loadImageFolder(colour, { channels: 1 })).data;
    expect(one.exampleShape).toEqual([1, 1]);
    expect([...one.data]).toEqual([76]);
  });

  it('alpha is composited on black, for RGBA and grey + alpha', async () => {
    const dir = await folder({
      'a.png': png(2, 1, 6, [200, 100, 50, 255, 200, 100, 50, 0]),
      'b.png': png(2, 1, 4, [255, 128, 90, 255]),
    });
    const { data } = await loadImageFolder(dir);
    expect(data.exampleShape).toEqual([1, 2, 3]);
    expect([...data.data]).toEqual([200, 100, 50, 0, 0, 0, 128, 128, 128, 90, 90, 90]);
  });

  it('decodes JPEGs (grey and colour) and tells the format by content, not name', async () => {
    const dir = await folder({
      'a.jpg': jpeg(8, 8, (p) => [p * 3, p * 3, p * 3]),
      'b.JPEG': jpeg(8, 8, () => [200, 40, 40]),
      'c.png': jpeg(8, 8, () => [10, 10, 10]),
    });
    const { data, files } = await loadImageFolder(dir);
    expect(files).toEqual(['a.jpg', 'b.JPEG', 'c.png']);
    expect(data.exampleShape).toEqual([8, 8, 3]);
    const px = (i: number, p: number) => [...data.data.subarray((i * 64 + p) * 3, (i * 64 + p + 1) * 3)];
    const near = (got: number[], want: number[]) =>
      got.forEach((v, k) => expect(Math.abs(v - want[k]!)).toBeLessThanOrEqual(3));
    near(px(0, 10), [30, 30, 30]);
    near(px(1, 20), [200, 40, 40]);
    near(px(2, 5), [10, 10, 10]);
    const greyOnly = await folder({ 'g.jpeg': jpeg(8, 8, (p) => [p, p, p]) });
    expect((await loadImageFolder(greyOnly)).data.exampleShape).toEqual([8, 8]);
  });
});

describe('loadImageFolder: sizes', () => {
  it('mixed sizes without size: an error naming both files, their sizes and --size', async () => {
    const dir = await folder({ 'a.png': png(3, 2, 0, ramp(6, 0)), 'b.png': png(2, 2, 0, ramp(4, 0)) });
    const error = await failure(dir);
    expect(error).toBeInstanceOf(ImageFormatError);
    expect((error as ImageFormatError).problem).toBe('size-mismatch');
    expect(error.message).toContain(join(dir, 'b.png'));
    expect(error.message).toContain(join(dir, 'a.png'));
    expect(error.message).toMatch(/2x2 .*2x3/);
    expect(error.message).toContain('--size HxW');
  });

  it('with size, every image is centre-cropped (cover) or stretched (fill) and resized', async () => {
    const dir = await folder({
      'a.png': png(4, 2, 0, [0, 1, 2, 3, 10, 11, 12, 13]),
      'b.png': png(4, 4, 0, [0, 2, 10, 20, 4, 6, 30, 40, 100, 100, 7, 7, 100, 100, 7, 9]),
    });
    const cover = await loadImageFolder(dir, { size: [2, 2] });
    expect(cover.data.exampleShape).toEqual([2, 2]);
    expect([...cover.data.data]).toEqual([1, 2, 11, 12, 3, 25, 100, 8]);
    const fill = await loadImageFolder(dir, { size: [1, 2], fit: 'fill' });
    expect([...fill.data.data.subarray(0, 2)]).toEqual([6, 8]);
  });

  it('refuses bad options with a typed error', async () => {
    const dir = await folder({ 'a.png': png(1, 1, 0, [0]) });
    for (const options of [
      { size: [0, 2] },
      { size: [2] },
      { channels: 2 },
      { fit: 'crop' },
      { maxPixels: -1 },
    ]) {
      expect(await failure(dir, options)).toBeInstanceOf(DatasetArgumentError);
    }
  });
});

describe('loadImageFolder: bad input is one typed line naming the file', () => {
  const problem = async (dir: string, want: string, file: string) => {
    const error = await failure(dir);
    expect(error).toBeInstanceOf(ImageFormatError);
    expect((error as ImageFormatError).problem).toBe(want);
    expect(error.message.startsWith(file)).toBe(true);
    expect(error.message).not.toContain('\n');
    expect((error as unknown as Record<symbol, unknown>)[Symbol.for('@vae/user-error')]).toBe(true);
    return error;
  };

  it('a truncated or bit-flipped PNG is corrupt', async () => {
    const good = png(4, 4, 0, ramp(16, 0));
    let dir = await folder({ 'a.png': good, 'b.png': good.subarray(0, good.length - 20) });
    await problem(dir, 'corrupt', join(dir, 'b.png'));
    const flipped = Buffer.from(good);
    flipped[40] = flipped[40]! ^ 0xff;
    dir = await folder({ 'a.png': flipped });
    await problem(dir, 'corrupt', join(dir, 'a.png'));
  });

  it('text named .png, a GIF, an empty file: not an image', async () => {
    const dir = await folder({ 'a.png': 'hello' });
    expect((await problem(dir, 'not-an-image', join(dir, 'a.png'))).message).toContain('68 65 6c 6c 6f');
    const gif = await folder({ 'a.png': 'GIF89a....' });
    expect((await problem(gif, 'not-an-image', join(gif, 'a.png'))).message).toContain('GIF');
    const empty = await folder({ 'x/a.jpg': '' });
    expect((await problem(empty, 'not-an-image', join(empty, 'x', 'a.jpg'))).message).toContain('empty');
  });

  it('a non-image file in the folder or in a class folder', async () => {
    const dir = await folder({ 'a.png': png(1, 1, 0, [0]), 'notes.txt': 'x' });
    await problem(dir, 'not-an-image', join(dir, 'notes.txt'));
    const classed = await folder({ 'cat/a.png': png(1, 1, 0, [0]), 'cat/labels.csv': 'x' });
    await problem(classed, 'not-an-image', join(classed, 'cat', 'labels.csv'));
  });

  it('layout errors: empty folder, empty class, images next to classes, nested folders', async () => {
    const empty = await folder({ '.hidden': 'x' });
    await problem(empty, 'empty-folder', empty);
    const emptyClass = await folder({ 'cat/a.png': png(1, 1, 0, [0]) });
    await mkdir(join(emptyClass, 'dog'));
    expect((await problem(emptyClass, 'empty-class', join(emptyClass, 'dog'))).message).toContain('"dog"');
    const mixed = await folder({ 'cat/a.png': png(1, 1, 0, [0]), 'b.png': png(1, 1, 0, [0]) });
    const error = await problem(mixed, 'mixed-layout', mixed);
    expect(error.message).toContain('b.png');
    expect(error.message).toContain('cat/');
    const nested = await folder({ 'cat/deep/a.png': png(1, 1, 0, [0]) });
    await problem(nested, 'nested-folder', join(nested, 'cat', 'deep'));
  });

  it('missing folder, a file given as folder, a dangling link: FileAccessError', async () => {
    const missing = join(root, 'no-such-folder');
    expect(await failure(missing)).toBeInstanceOf(FileAccessError);
    const dir = await folder({ 'a.png': png(1, 1, 0, [0]) });
    expect((await failure(join(dir, 'a.png'))).message).toContain('not a folder');
    await symlink(join(dir, 'nowhere.png'), join(dir, 'b.png'));
    const error = await failure(dir);
    expect(error).toBeInstanceOf(FileAccessError);
    expect(error.message.startsWith(join(dir, 'b.png'))).toBe(true);
  });

  it('fuzz: random bytes named .png, and damaged PNGs, give a typed error (or load), never a crash', async () => {
    const good = png(5, 3, 2, ramp(45, 1));
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 200 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
        fc.nat(),
        async (noise, flips, cut) => {
          const damaged = Buffer.from(good);
          for (const [at, v] of flips) damaged[at % damaged.length] = v;
          for (const sub of ['a.png', 'b.png']) {
            const only = await folder({
              [sub]: sub === 'a.png' ? noise : damaged.subarray(0, damaged.length - (cut % 8)),
            });
            const result: ImageFolder | Error = await loadImageFolder(only).then(
              (r) => r,
              (e: unknown) => e as Error,
            );
            if (result instanceof Error) {
              expect(result).toBeInstanceOf(DatasetError);
              expect(result.message.startsWith(join(only, sub))).toBe(true);
            } else {
              expect(result.data.count).toBe(1);
            }
            await rm(only, { recursive: true });
          }
        },
      ),
      { numRuns: 60, seed: 14 },
    );
  });
});

describe('loadImageFolder vs the IDX reader on real data', () => {
  it('200 Fashion-MNIST test images written as PNG class folders give the same pixels and labels', async () => {
    const imagesPath = `${DEBIAN_FASHION_MNIST_DIR}/t10k-images-idx3-ubyte.gz`;
    expect(existsSync(imagesPath), 'install the Debian package dataset-fashion-mnist').toBe(true);
    const images = await readIdxFile(imagesPath, { dtype: 'uint8', rank: 3 });
    const labels = await readIdxFile(`${DEBIAN_FASHION_MNIST_DIR}/t10k-labels-idx1-ubyte.gz`, {
      dtype: 'uint8',
    });
    const n = 200;
    const files: Record<string, Uint8Array> = {};
    for (let i = 0; i < n; i++) {
      const label = labels.data[i]!;
      files[`${label}/${String(i).padStart(5, '0')}.png`] = png(
        28,
        28,
        0,
        images.data.subarray(i * 784, (i + 1) * 784),
      );
    }
    const dir = await folder(files);
    const { data, classNames } = await loadImageFolder(dir);
    expect(classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(data.exampleShape).toEqual([28, 28]);
    // Folder order is (label, index); the IDX order sorted the same way must match exactly.
    const order = Array.from({ length: n }, (_, i) => i).sort(
      (a, b) => labels.data[a]! - labels.data[b]! || a - b,
    );
    const expected = new Uint8Array(n * 784);
    order.forEach((i, r) => expected.set(images.data.subarray(i * 784, (i + 1) * 784), r * 784));
    expect(Buffer.from(data.data).equals(Buffer.from(expected))).toBe(true);
    expect([...data.labels!]).toEqual(order.map((i) => labels.data[i]));
  });
});
