import { StoreError } from '../errors';

/**
 * The files of one training run in browser storage: checkpoints, the run's recipe and data, the
 * exported bundle. Names are flat (`checkpoint.safetensors`, `config.json`, ...).
 */
export interface RunStore {
  readonly runId: string;
  /** Where the files live. */
  readonly kind: 'opfs' | 'indexeddb' | 'memory';
  /** Writes a file atomically: a reader sees the old bytes or the new, never a mix or a stub. */
  write(name: string, bytes: Uint8Array): Promise<void>;
  /** A file's bytes, or null when the run has no such file. */
  read(name: string): Promise<Uint8Array | null>;
  /** The run's file names, sorted. */
  list(): Promise<string[]>;
  /** Deletes the run and all its files. */
  remove(): Promise<void>;
}

/** A place runs are kept: OPFS, IndexedDB, or memory (tests, and pages with no storage). */
export interface RunStorage {
  readonly kind: RunStore['kind'];
  open(runId: string): Promise<RunStore>;
  /** Ids of the runs kept here, sorted. */
  listRuns(): Promise<string[]>;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * Checks a run id or file name: letters, digits, `.`, `_`, `-`, not starting with a dot, at most 128.
 * @throws StoreError
 */
export function checkName(what: 'run id' | 'file name', name: string): string {
  if (typeof name !== 'string' || !NAME.test(name))
    throw new StoreError(
      `${what} must be 1-128 letters, digits, '.', '_' or '-' (not starting with '.' or '-'), got ${JSON.stringify(name)}`,
    );
  return name;
}

/** A copy of `bytes` that owns its whole buffer (safe to keep or transfer). */
export const own = (bytes: Uint8Array): Uint8Array => new Uint8Array(bytes);
