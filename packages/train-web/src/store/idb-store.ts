import { StoreError } from '../errors';
import { checkName, own, type RunStorage, type RunStore } from './run-store';

/** The IndexedDB database and object store that hold runs' files, keyed `<runId>/<name>`. */
export const IDB_NAME = 'vae-train-web';
const FILES = 'files';

/** Whether this scope has IndexedDB. */
export const hasIndexedDb = (): boolean =>
  typeof (globalThis as { indexedDB?: unknown }).indexedDB === 'object';

const fail = (what: string, e: unknown) =>
  new StoreError(`IndexedDB ${what} failed: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`, {
    cause: e,
  });

const done = <T>(r: IDBRequest<T>): Promise<T> =>
  new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });

/** Settles when a transaction commits (rejects when it aborts): one transaction, all or nothing. */
const committed = (tx: IDBTransaction): Promise<void> =>
  new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = tx.onerror = () => reject(tx.error ?? new Error('transaction aborted'));
  });

/** The keys of one run: `<runId>/` up to `<runId>/\uffff`. */
const runRange = (runId: string) => IDBKeyRange.bound(`${runId}/`, `${runId}/\uffff`);

/** Runs in IndexedDB (the fallback where OPFS is missing): each write is one transaction. */
export function idbStorage(): RunStorage {
  let db: Promise<IDBDatabase> | undefined;
  const open = () => {
    db ??= new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open(IDB_NAME, 1);
      r.onupgradeneeded = () => r.result.createObjectStore(FILES);
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(fail('open', r.error));
      r.onblocked = () => reject(new StoreError('IndexedDB open is blocked by another tab'));
    });
    db.catch(() => {
      db = undefined;
    });
    return db;
  };
  const tx = async (mode: IDBTransactionMode) => (await open()).transaction(FILES, mode);
  const keys = async (range?: IDBKeyRange) =>
    (await done((await tx('readonly')).objectStore(FILES).getAllKeys(range))) as string[];
  return {
    kind: 'indexeddb',
    async listRuns() {
      try {
        return [...new Set((await keys()).map((k) => k.slice(0, k.indexOf('/'))))].sort();
      } catch (e) {
        throw fail('list runs', e);
      }
    },
    async open(runId): Promise<RunStore> {
      checkName('run id', runId);
      return {
        runId,
        kind: 'indexeddb',
        async write(name, bytes) {
          checkName('file name', name);
          try {
            const t = await tx('readwrite');
            t.objectStore(FILES).put(own(bytes), `${runId}/${name}`);
            await committed(t);
          } catch (e) {
            throw fail(`write ${runId}/${name}`, e);
          }
        },
        async read(name) {
          checkName('file name', name);
          try {
            const v = await done((await tx('readonly')).objectStore(FILES).get(`${runId}/${name}`));
            return v instanceof Uint8Array ? v : null;
          } catch (e) {
            throw fail(`read ${runId}/${name}`, e);
          }
        },
        async list() {
          try {
            return (await keys(runRange(runId))).map((k) => k.slice(runId.length + 1)).sort();
          } catch (e) {
            throw fail(`list ${runId}`, e);
          }
        },
        async remove() {
          try {
            const t = await tx('readwrite');
            t.objectStore(FILES).delete(runRange(runId));
            await committed(t);
          } catch (e) {
            throw fail(`remove run ${runId}`, e);
          }
        },
      };
    },
  };
}
