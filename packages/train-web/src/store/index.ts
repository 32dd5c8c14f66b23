import { StoreError } from '../errors';
import { hasIndexedDb, idbStorage } from './idb-store';
import { hasOpfs, opfsStorage } from './opfs-store';
import type { RunStorage, RunStore } from './run-store';

export { hasIndexedDb, IDB_NAME, idbStorage } from './idb-store';
export { memoryStorage } from './memory-store';
export { hasOpfs, OPFS_FOLDER, opfsStorage } from './opfs-store';
export type { RunStorage, RunStore } from './run-store';

/**
 * The browser's storage for runs: OPFS where it exists (`navigator.storage.getDirectory`), else
 * IndexedDB. Memory only when asked (`memoryStorage()`): runs there do not survive a reload.
 * @throws StoreError when the scope has neither
 */
export function defaultStorage(): RunStorage {
  if (hasOpfs()) return opfsStorage();
  if (hasIndexedDb()) return idbStorage();
  throw new StoreError('this browser has neither OPFS nor IndexedDB: runs cannot be stored');
}

/**
 * The files of run `runId` (created on first write).
 * @param storage - where (default {@link defaultStorage})
 */
export function openRunStore(runId: string, storage: RunStorage = defaultStorage()): Promise<RunStore> {
  return storage.open(runId);
}

/** Ids of the stored runs, so a reloaded page can offer one to resume. */
export function listRuns(storage: RunStorage = defaultStorage()): Promise<string[]> {
  return storage.listRuns();
}
