/**
 * NumPy `.npz` archives: a zip of `.npy` files (`np.savez` stores them, `np.savez_compressed`
 * deflates them), read with `fflate`. Only the members asked for are decompressed, and their
 * declared sizes are checked against the limit first. Pure: no Node built-ins.
 */
import { unzipSync } from 'fflate';
import { NpyFormatError } from '../errors';
import { NPY_DEFAULT_MAX_BYTES, NPY_MAX_HEADER_BYTES, type NpyReadOptions } from './npy-header';
import { type NpyArray, parseNpy } from './npy-parser';

/** Arrays read from an `.npz` archive. */
export interface NpzContents {
  /** The array names in the archive (member names without `.npy`), in archive order. */
  readonly keys: readonly string[];
  /** The arrays that were asked for and present, by name. */
  readonly arrays: ReadonlyMap<string, NpyArray>;
}

/** Options of {@link parseNpz}: per-array limits and accepted dtypes, keyed by array name. */
export interface NpzReadOptions {
  /** Arrays to decode (others are listed in `keys` but not decompressed). */
  readonly keys: readonly string[];
  /** Read options per array name (e.g. `{ x: { dtypes: [...] } }`). */
  readonly options?: Readonly<Record<string, NpyReadOptions>>;
}

/**
 * The source label of an archive member in messages: `data.npz[x.npy]`.
 *
 * @param source - the archive
 * @param key - the array name
 * @returns the label
 */
export function npzMemberSource(source: string, key: string): string {
  return `${source}[${key}.npy]`;
}

/**
 * Reads the named arrays of an `.npz` archive held in memory.
 *
 * @param bytes - the whole archive
 * @param source - file name for error messages
 * @param read - which arrays to decode, and how
 * @returns the archive's keys and the decoded arrays
 * @throws NpyFormatError when the archive or a member is malformed (`bad-zip`, or a member's problem)
 */
export function parseNpz(bytes: Uint8Array, source: string, read: NpzReadOptions): NpzContents {
  const keys: string[] = [];
  const wanted = new Set(read.keys.map((k) => `${k}.npy`));
  let members: Record<string, Uint8Array>;
  try {
    members = unzipSync(bytes, {
      filter: (file) => {
        if (file.name.endsWith('.npy')) keys.push(file.name.slice(0, -4));
        if (!wanted.has(file.name)) return false;
        const key = file.name.slice(0, -4);
        const limit = (read.options?.[key]?.maxBytes ?? NPY_DEFAULT_MAX_BYTES) + NPY_MAX_HEADER_BYTES + 12;
        if (file.originalSize > limit) {
          throw new NpyFormatError(
            npzMemberSource(source, key),
            'too-large',
            `member declares ${file.originalSize} bytes uncompressed, over the limit of ${limit}`,
          );
        }
        return true;
      },
    });
  } catch (error) {
    if (error instanceof NpyFormatError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    const hint = bytes[0] === 0x93 && bytes[1] === 0x4e ? ' (this is an .npy file, not an .npz archive)' : '';
    throw new NpyFormatError(source, 'bad-zip', `not a readable .npz (zip) archive: ${message}${hint}`, {
      cause: error,
    });
  }
  const arrays = new Map<string, NpyArray>();
  for (const key of read.keys) {
    const member = members[`${key}.npy`];
    if (member === undefined) continue;
    arrays.set(key, parseNpy(member, npzMemberSource(source, key), read.options?.[key]));
  }
  return { keys, arrays };
}
