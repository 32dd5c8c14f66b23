/**
 * `.npy` and `.npz` files from disk. An `.npy` header is read and checked against the file size
 * before anything large is allocated; the data are then read once into their own buffer, which the
 * dataset views (aligned, no copy; no float copy of a uint8 set).
 */
import { open, readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Dataset } from '../dataset';
import { FileAccessError, NpyFormatError } from '../errors';
import {
  type ArrayLayoutOptions,
  arrayDataset,
  NPY_DATA_DTYPES,
  NPY_LABEL_DTYPES,
} from '../npy/array-dataset';
import { NPY_MAX_HEADER_BYTES, type NpyHeader, type NpyReadOptions, readNpyHeader } from '../npy/npy-header';
import { decodeNpyData, type NpyArray } from '../npy/npy-parser';
import { npzMemberSource, parseNpz } from '../npy/npz';
import { toDatasetError } from './fs-errors';

/** A dataset loaded from files, in the shape of the other loaders' results. */
export interface LoadedDataset {
  /** All examples of the file (or its training split). */
  readonly train: Dataset;
  /** The test split when the files hold one (IDX `t10k-` siblings), else null. */
  readonly test: Dataset | null;
  /** Class names `'0'`, `'1'`, ... when labelled, else null. */
  readonly classNames: readonly string[] | null;
  /** Conversions made while loading (one line each, naming the file). */
  readonly notes: readonly string[];
}

/** Options of {@link loadNpy} and {@link loadNpz}. */
export interface NpyLoadOptions extends ArrayLayoutOptions {
  /** A separate `.npy` of integer class ids, one per example (`--labels`). */
  readonly labels?: string;
  /** Largest data section accepted, in bytes (default 2 GiB). */
  readonly maxBytes?: number;
  /** Dataset name (default: the file's base name). */
  readonly name?: string;
}

async function readChunk(handle: import('node:fs/promises').FileHandle, into: Uint8Array, position: number) {
  let done = 0;
  while (done < into.length) {
    const { bytesRead } = await handle.read(
      into,
      done,
      Math.min(into.length - done, 1 << 26),
      position + done,
    );
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return done;
}

/**
 * Reads an `.npy` file: header first (checked against the file size), then the data in one read
 * into a buffer of exactly the data's size.
 *
 * @param path - the file
 * @param options - limits and accepted dtypes
 * @returns the array
 * @throws FileAccessError when the file cannot be read; NpyFormatError when its content is bad
 */
export async function readNpyFile(path: string, options: NpyReadOptions = {}): Promise<NpyArray> {
  try {
    const handle = await open(path, 'r');
    try {
      const stat = await handle.stat();
      if (!stat.isFile()) throw new FileAccessError(path, 'not a regular file');
      let head = new Uint8Array(Math.min(stat.size, 4096));
      let header: NpyHeader | undefined;
      for (;;) {
        head = head.subarray(0, await readChunk(handle, head, 0));
        header = readNpyHeader(head, path, options);
        if (header !== undefined || head.length >= stat.size || head.length >= NPY_MAX_HEADER_BYTES + 12)
          break;
        head = new Uint8Array(Math.min(stat.size, head.length * 16));
      }
      if (header === undefined) {
        throw new NpyFormatError(
          path,
          'truncated',
          `truncated .npy header: the file has only ${stat.size} bytes`,
        );
      }
      const have = stat.size - header.dataOffset;
      if (have !== header.dataBytes) return decodeNpyData(header, new Uint8Array(Math.max(0, have)), path);
      const data = new Uint8Array(header.dataBytes);
      const read = await readChunk(handle, data, header.dataOffset);
      return decodeNpyData(header, data.subarray(0, read), path);
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw toDatasetError(path, error);
  }
}

async function readWhole(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (error) {
    throw toDatasetError(path, error);
  }
}

async function readLabels(
  path: string | undefined,
): Promise<{ array: NpyArray; source: string } | undefined> {
  if (path === undefined) return undefined;
  return { array: await readNpyFile(path, { dtypes: NPY_LABEL_DTYPES, role: 'labels' }), source: path };
}

function result(built: { dataset: Dataset; notes: readonly string[] }): LoadedDataset {
  return {
    train: built.dataset,
    test: null,
    classNames: built.dataset.classNames ?? null,
    notes: built.notes,
  };
}

/**
 * Loads an `.npy` array (uint8 or float32; float64 is converted) as a dataset, with labels from a
 * separate `.npy` when given.
 *
 * @param path - the data file: `N x D`, `N x H x W`, `N x H x W x C` (or `N x C x H x W` with `channelsFirst`)
 * @param options - labels file, layout, limit, name
 * @returns `{ train, test: null, classNames, notes }`
 * @throws FileAccessError / NpyFormatError naming the file
 */
export async function loadNpy(path: string, options: NpyLoadOptions = {}): Promise<LoadedDataset> {
  const [x, y] = await Promise.all([
    readNpyFile(path, { dtypes: NPY_DATA_DTYPES, role: 'data', maxBytes: options.maxBytes }),
    readLabels(options.labels),
  ]);
  return result(arrayDataset(options.name ?? basename(path), { array: x, source: path }, y, options));
}

/**
 * Loads an `.npz` archive (`np.savez` or `np.savez_compressed`): data under key `x`, labels under
 * the optional key `y` (or from `options.labels`).
 *
 * @param path - the archive
 * @param options - labels file (instead of `y`), layout, limit, name
 * @returns `{ train, test: null, classNames, notes }`
 * @throws FileAccessError / NpyFormatError naming the file (a missing `x` lists the keys present)
 */
export async function loadNpz(path: string, options: NpyLoadOptions = {}): Promise<LoadedDataset> {
  const bytes = await readWhole(path);
  const contents = parseNpz(bytes, path, {
    keys: options.labels === undefined ? ['x', 'y'] : ['x'],
    options: {
      x: { dtypes: NPY_DATA_DTYPES, role: 'data', maxBytes: options.maxBytes },
      y: { dtypes: NPY_LABEL_DTYPES, role: 'labels' },
    },
  });
  const x = contents.arrays.get('x');
  if (x === undefined) {
    const present = contents.keys.length === 0 ? 'none' : contents.keys.join(', ');
    throw new NpyFormatError(
      path,
      'missing-key',
      `no array 'x' in the archive (arrays present: ${present}); save with np.savez(file, x=data, y=labels)`,
    );
  }
  const yArray = contents.arrays.get('y');
  const y =
    yArray === undefined
      ? await readLabels(options.labels)
      : { array: yArray, source: npzMemberSource(path, 'y') };
  const xSource = npzMemberSource(path, 'x');
  return result(arrayDataset(options.name ?? basename(path), { array: x, source: xSource }, y, options));
}
