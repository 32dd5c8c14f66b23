import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeIdx } from '../idx/idx-format';
import { DEBIAN_FASHION_MNIST_DIR, fashionMnist } from './fashion-mnist-node';
import { idxLabelsName, idxTestNames, loadIdxPath } from './idx-path-node';

const dir = mkdtempSync(join(tmpdir(), 'vae-idx-path-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const images = (n: number, seed: number) =>
  encodeIdx({
    dtype: 'uint8',
    shape: [n, 2, 3],
    data: Uint8Array.from({ length: n * 6 }, (_, i) => (i * 31 + seed) % 256),
  });
const labels = (values: number[]) =>
  encodeIdx({ dtype: 'uint8', shape: [values.length], data: Uint8Array.from(values) });

describe('IDX by path', () => {
  it('derives sibling names', () => {
    expect(idxLabelsName('train-images-idx3-ubyte.gz')).toBe('train-labels-idx1-ubyte');
    expect(idxLabelsName('emnist-letters-test-images-idx3-ubyte')).toBe(
      'emnist-letters-test-labels-idx1-ubyte',
    );
    expect(idxLabelsName('train-images.idx3-ubyte')).toBe('train-labels.idx1-ubyte');
    expect(idxLabelsName('pictures.idx')).toBeNull();
    expect(idxTestNames('train-images-idx3-ubyte.gz')).toEqual([
      't10k-images-idx3-ubyte',
      'test-images-idx3-ubyte',
    ]);
    expect(idxTestNames('t10k-images-idx3-ubyte')).toEqual([]);
  });

  it('finds labels with or without .gz and the test split beside a train file', async () => {
    writeFileSync(join(dir, 'train-images-idx3-ubyte'), images(4, 1));
    writeFileSync(join(dir, 'train-labels-idx1-ubyte.gz'), gzipSync(labels([0, 2, 1, 2])));
    writeFileSync(join(dir, 't10k-images-idx3-ubyte.gz'), gzipSync(images(2, 5)));
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), labels([4, 0]));
    const a = await loadIdxPath(join(dir, 'train-images-idx3-ubyte'));
    expect(a.train.count).toBe(4);
    expect(a.train.exampleShape).toEqual([2, 3]);
    expect([...a.train.labels!]).toEqual([0, 2, 1, 2]);
    expect(a.test?.count).toBe(2);
    expect(a.classNames).toEqual(['0', '1', '2', '3', '4']);
    const t = await loadIdxPath(join(dir, 't10k-images-idx3-ubyte.gz'));
    expect(t.test).toBeNull();
    expect([...t.train.labels!]).toEqual([4, 0]);
  });

  it('an images file without a labels sibling is unlabelled; mismatched labels name the labels file', async () => {
    writeFileSync(join(dir, 'solo-images-idx3-ubyte'), images(3, 0));
    const a = await loadIdxPath(join(dir, 'solo-images-idx3-ubyte'));
    expect(a.train.labels).toBeUndefined();
    expect(a.classNames).toBeNull();
    writeFileSync(join(dir, 'bad-images-idx3-ubyte'), images(3, 0));
    writeFileSync(join(dir, 'bad-labels-idx1-ubyte'), labels([1, 2]));
    await expect(loadIdxPath(join(dir, 'bad-images-idx3-ubyte'))).rejects.toThrow(
      `${join(dir, 'bad-labels-idx1-ubyte')}: 2 labels, but ${join(dir, 'bad-images-idx3-ubyte')} holds 3 examples`,
    );
  });

  it(`gives the same pixels and labels as fashionMnist() for ${DEBIAN_FASHION_MNIST_DIR} (Debian dataset-fashion-mnist)`, async () => {
    const path = join(DEBIAN_FASHION_MNIST_DIR, 'train-images-idx3-ubyte.gz');
    const [byPath, builtIn] = await Promise.all([
      loadIdxPath(path),
      fashionMnist({ dir: DEBIAN_FASHION_MNIST_DIR }),
    ]);
    expect(byPath.train.count).toBe(60000);
    expect(byPath.train.exampleShape).toEqual([28, 28]);
    expect(Buffer.compare(byPath.train.data as Uint8Array, builtIn.train.data)).toBe(0);
    expect(Buffer.compare(byPath.train.labels!, builtIn.train.labels!)).toBe(0);
    expect(Buffer.compare(byPath.test!.data as Uint8Array, builtIn.test.data)).toBe(0);
    expect(Buffer.compare(byPath.test!.labels!, builtIn.test.labels!)).toBe(0);
    expect(byPath.classNames).toHaveLength(10);
  });
});
