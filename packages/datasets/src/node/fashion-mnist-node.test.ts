import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FASHION_MNIST_CLASS_NAMES } from '../mnist-family/mnist-family';
import { DEBIAN_FASHION_MNIST_DIR, fashionMnist } from './fashion-mnist-node';

// Pinned from the raw files with an independent tool (see README "Checksums"):
//   /usr/bin/python3: gzip.open(f).read()[header:] -> hashlib.sha256, and `zcat f | tail -c +17 | sha256sum`.
const PINNED = {
  trainImages: '2e487a6c89124f78f2d7521542223cafe96f7123c3ca13d447772ac6ecbb3012',
  trainLabels: '657fbd221bfc9f4198cc14b5619cc33ec57c58dd0e47af4d99d6650759e869a7',
  testImages: 'c867c93ff95360594e8ec3287995350b824dd110b11595c0e13d5423f621867a',
  testLabels: '3d0e6c6ea990b53b6f8f500a41cac93881d981b315f84578b7d915342ade01e9',
};

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function counts(labels: Uint8Array): number[] {
  const out = new Array<number>(10).fill(0);
  for (const l of labels) out[l] = out[l]! + 1;
  return out;
}

describe('fashionMnist (full dataset from the Debian package)', () => {
  it('loads 60k/10k with the pinned pixel and label checksums', async () => {
    // No silent skip: without the files this test fails and says which package provides them.
    expect(
      existsSync(`${DEBIAN_FASHION_MNIST_DIR}/train-images-idx3-ubyte.gz`),
      `Fashion-MNIST is missing: install the Debian package dataset-fashion-mnist (apt-get install -y dataset-fashion-mnist)`,
    ).toBe(true);
    const { train, test, classNames } = await fashionMnist({ env: {} });
    expect(classNames).toEqual(FASHION_MNIST_CLASS_NAMES);
    expect(classNames[9]).toBe('Ankle boot');
    expect([train.count, test.count]).toEqual([60_000, 10_000]);
    expect(train.exampleShape).toEqual([28, 28]);
    expect(test.exampleShape).toEqual([28, 28]);
    expect(train.dtype).toBe('uint8');
    expect(train.data.length).toBe(47_040_000);
    expect(counts(train.labels!)).toEqual(new Array(10).fill(6000));
    expect(counts(test.labels!)).toEqual(new Array(10).fill(1000));
    expect([...train.labels!.subarray(0, 12)]).toEqual([9, 0, 0, 3, 0, 2, 7, 2, 5, 5, 0, 9]);
    expect([...test.labels!.subarray(0, 12)]).toEqual([9, 2, 1, 1, 6, 1, 4, 6, 5, 7, 4, 5]);
    expect(train.get(0).x.reduce((s, v) => s + v, 0)).toBe(76247);
    expect(sha256(train.data)).toBe(PINNED.trainImages);
    expect(sha256(train.labels!)).toBe(PINNED.trainLabels);
    expect(sha256(test.data)).toBe(PINNED.testImages);
    expect(sha256(test.labels!)).toBe(PINNED.testLabels);
  });
});
