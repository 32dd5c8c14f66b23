import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { DatasetNotFoundError, DatasetShapeError, IdxFormatError } from '../errors';
import { encodeIdx } from '../idx/idx-format';
import { fashionMnist, mnist } from './fashion-mnist-node';
import { loadMnistFamily } from './mnist-family-node';
import { failure } from './test-helpers';

const root = mkdtempSync(join(tmpdir(), 'vae-mnist-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function images(n: number): Uint8Array {
  return encodeIdx({
    dtype: 'uint8',
    shape: [n, 28, 28],
    data: Uint8Array.from({ length: n * 784 }, (_, i) => i % 256),
  });
}
function labels(values: number[]): Uint8Array {
  return encodeIdx({ dtype: 'uint8', shape: [values.length], data: Uint8Array.from(values) });
}

/** Writes a tiny MNIST-family directory (3 train, 2 test). */
function writeSet(dir: string, overrides: Record<string, Uint8Array | null> = {}, gzip = true): void {
  mkdirSync(dir, { recursive: true });
  const files: Record<string, Uint8Array> = {
    'train-images-idx3-ubyte': images(3),
    'train-labels-idx1-ubyte': labels([1, 2, 3]),
    't10k-images-idx3-ubyte': images(2),
    't10k-labels-idx1-ubyte': labels([9, 0]),
  };
  for (const [name, bytes] of Object.entries(files)) {
    const content = name in overrides ? overrides[name] : bytes;
    if (content === null || content === undefined) continue;
    if (gzip) writeFileSync(join(dir, `${name}.gz`), gzipSync(content));
    else writeFileSync(join(dir, name), content);
  }
}

describe('MNIST-family loaders', () => {
  it('mnist() reads $VAE_DATA_DIR/mnist, plain or gzip', async () => {
    writeSet(join(root, 'a', 'mnist'));
    const { train, test, classNames } = await mnist({ env: { VAE_DATA_DIR: join(root, 'a') } });
    expect([train.count, test.count]).toEqual([3, 2]);
    expect([...test.labels!]).toEqual([9, 0]);
    expect(classNames[3]).toBe('3');
    writeSet(join(root, 'plain'), {}, false);
    expect((await mnist({ dir: join(root, 'plain') })).train.count).toBe(3);
  });

  it('fashionMnist({ dir }) searches only that directory', async () => {
    writeSet(join(root, 'f'));
    const { train } = await fashionMnist({ dir: join(root, 'f') });
    expect(train.classNames?.[1]).toBe('Trouser');
    expect(train.name).toBe('fashion-mnist/train');
  });

  it('says where it looked and how to get the files when they are missing', async () => {
    writeSet(join(root, 'partial', 'fashion-mnist'), { 't10k-labels-idx1-ubyte': null });
    const error = await failure(fashionMnist({ dir: join(root, 'partial', 'fashion-mnist') }));
    expect(error).toBeInstanceOf(DatasetNotFoundError);
    expect(error.message).toContain(`${join(root, 'partial', 'fashion-mnist')} (the dir option)`);
    expect(error.message).toContain('missing t10k-labels-idx1-ubyte[.gz]');
    expect(error.message).toContain('apt-get install dataset-fashion-mnist');

    const none = await failure(mnist({ dir: join(root, 'does-not-exist') }));
    expect(none.message).toMatch(/does-not-exist \(the dir option\): directory does not exist/);
    expect(none.message).toContain('mnistDefault()');
    expect(none.message).toContain(`in ${join(root, 'does-not-exist')}.`);
    const nowhere = await failure(mnist({ env: {} }));
    expect(nowhere.message).toContain('Looked in no directory: VAE_DATA_DIR is not set.');
  });

  it('searches VAE_DATA_DIR/<id> first, then the system directories, in order', async () => {
    const spec = {
      id: 'toy',
      title: 'Toy',
      classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
      systemDirs: [
        { dir: join(root, 'sys-empty'), origin: 'first system dir' },
        { dir: join(root, 'sys-full'), origin: 'second system dir' },
      ],
      howToGet: 'Ask the toy shop.',
    };
    const error = await failure(loadMnistFamily(spec, { env: { VAE_DATA_DIR: join(root, 'nothing') } }));
    expect((error as DatasetNotFoundError).searched).toEqual([
      join(root, 'nothing', 'toy'),
      join(root, 'sys-empty'),
      join(root, 'sys-full'),
    ]);
    expect(error.message).toMatch(/Looked in .*nothing\/toy \(VAE_DATA_DIR\): directory does not exist; /);
    expect(error.message).not.toContain('\n');
    expect(error.message).toContain('in DIR/toy and set VAE_DATA_DIR=DIR.');
    expect(error.message).toMatch(/Ask the toy shop\.$/);
    writeSet(join(root, 'sys-full'));
    expect((await loadMnistFamily(spec, { env: {} })).train.count).toBe(3);
    writeSet(join(root, 'env', 'toy'), {
      'train-images-idx3-ubyte': images(1),
      'train-labels-idx1-ubyte': labels([4]),
    });
    expect((await loadMnistFamily(spec, { env: { VAE_DATA_DIR: join(root, 'env') } })).train.count).toBe(1);
  });

  it('rejects label files that disagree with the images, naming the label file', async () => {
    writeSet(join(root, 'bad'), { 'train-labels-idx1-ubyte': labels([1, 2]) });
    const error = await failure(mnist({ dir: join(root, 'bad') }));
    expect(error).toBeInstanceOf(DatasetShapeError);
    expect(error.source).toBe(join(root, 'bad', 'train-labels-idx1-ubyte.gz'));
    expect(error.message).toMatch(/2 labels, but .* holds 3 images/);

    writeSet(join(root, 'range'), { 't10k-labels-idx1-ubyte': labels([10, 0]) });
    expect((await failure(mnist({ dir: join(root, 'range') }))).message).toMatch(/label 10 at index 0/);

    writeSet(join(root, 'rank'), { 't10k-images-idx3-ubyte': labels([1, 2]) });
    const rank = await failure(mnist({ dir: join(root, 'rank') }));
    expect(rank).toBeInstanceOf(IdxFormatError);
    expect(rank.message).toMatch(/t10k-images-idx3-ubyte\.gz: expected an IDX array of rank 3/);
  });
});
