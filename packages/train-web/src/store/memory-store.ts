import { checkName, own, type RunStorage, type RunStore } from './run-store';

/** Runs kept in memory: lost on reload. For tests, and for pages with neither OPFS nor IndexedDB. */
export function memoryStorage(): RunStorage {
  const runs = new Map<string, Map<string, Uint8Array>>();
  return {
    kind: 'memory',
    async listRuns() {
      return [...runs.keys()].sort();
    },
    async open(runId): Promise<RunStore> {
      checkName('run id', runId);
      const files = () => {
        let f = runs.get(runId);
        if (!f) runs.set(runId, (f = new Map()));
        return f;
      };
      return {
        runId,
        kind: 'memory',
        async write(name, bytes) {
          files().set(checkName('file name', name), own(bytes));
        },
        async read(name) {
          const b = runs.get(runId)?.get(checkName('file name', name));
          return b ? own(b) : null;
        },
        async list() {
          return [...(runs.get(runId)?.keys() ?? [])].sort();
        },
        async remove() {
          runs.delete(runId);
        },
      };
    },
  };
}
