import { StoreError } from '../errors';
import { checkName, type RunStorage, type RunStore } from './run-store';

/** The folder under the origin's OPFS root that holds one sub-folder per run. */
export const OPFS_FOLDER = 'vae-train-web';

type Dir = FileSystemDirectoryHandle & {
  keys(): AsyncIterableIterator<string>;
};

/**
 * Whether this scope has the origin private file system with `createWritable()` (the atomic write
 * this store relies on; some Safari versions have OPFS without it, and get IndexedDB instead).
 */
export const hasOpfs = (): boolean => {
  const g = globalThis as {
    navigator?: { storage?: { getDirectory?: unknown } };
    FileSystemFileHandle?: { prototype: object };
  };
  return (
    typeof g.navigator?.storage?.getDirectory === 'function' &&
    g.FileSystemFileHandle !== undefined &&
    'createWritable' in g.FileSystemFileHandle.prototype
  );
};

const fail = (what: string, e: unknown) =>
  new StoreError(`OPFS ${what} failed: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`, {
    cause: e,
  });

const isNotFound = (e: unknown) => e instanceof Error && e.name === 'NotFoundError';

/**
 * Runs in the origin private file system: `<root>/vae-train-web/<runId>/<file>`. A write goes
 * through `createWritable()`, which writes to a swap file and replaces the target only on
 * `close()`; on any failure the writable is aborted, so the old file stays whole.
 */
export function opfsStorage(): RunStorage {
  const top = async (): Promise<Dir> => {
    try {
      const root = await navigator.storage.getDirectory();
      return (await root.getDirectoryHandle(OPFS_FOLDER, { create: true })) as Dir;
    } catch (e) {
      throw fail('open', e);
    }
  };
  return {
    kind: 'opfs',
    async listRuns() {
      const ids: string[] = [];
      for await (const k of (await top()).keys()) ids.push(k);
      return ids.sort();
    },
    async open(runId): Promise<RunStore> {
      checkName('run id', runId);
      const dir = async (create: boolean): Promise<Dir | null> => {
        try {
          return (await (await top()).getDirectoryHandle(runId, { create })) as Dir;
        } catch (e) {
          if (!create && isNotFound(e)) return null;
          throw fail(`open run ${runId}`, e);
        }
      };
      return {
        runId,
        kind: 'opfs',
        async write(name, bytes) {
          checkName('file name', name);
          const d = (await dir(true))!;
          let w: FileSystemWritableFileStream | undefined;
          try {
            const handle = await d.getFileHandle(name, { create: true });
            w = await handle.createWritable();
            await w.write(bytes as Uint8Array<ArrayBuffer>);
            await w.close(); // the swap file replaces the target here, and only here
          } catch (e) {
            await w?.abort().catch(() => {});
            throw fail(`write ${runId}/${name}`, e);
          }
        },
        async read(name) {
          checkName('file name', name);
          const d = await dir(false);
          if (!d) return null;
          try {
            const file = await (await d.getFileHandle(name)).getFile();
            return new Uint8Array(await file.arrayBuffer());
          } catch (e) {
            if (isNotFound(e)) return null;
            throw fail(`read ${runId}/${name}`, e);
          }
        },
        async list() {
          const d = await dir(false);
          const names: string[] = [];
          // Chromium's swap files of writes in flight (`<name>.crswap`) are not the run's files.
          if (d) for await (const k of d.keys()) if (!k.endsWith('.crswap')) names.push(k);
          return names.sort();
        },
        async remove() {
          try {
            await (await top()).removeEntry(runId, { recursive: true });
          } catch (e) {
            if (!isNotFound(e)) throw fail(`remove run ${runId}`, e);
          }
        },
      };
    },
  };
}
