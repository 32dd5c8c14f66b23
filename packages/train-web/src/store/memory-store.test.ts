import { describe, expect, it } from 'vitest';
import { StoreError } from '../errors';
import { listRuns, memoryStorage, openRunStore } from './index';

describe('run stores (memory; OPFS and IndexedDB behave the same in a browser)', () => {
  it('writes, reads, lists and removes a run', async () => {
    const s = memoryStorage();
    const run = await openRunStore('run-1', s);
    expect(await run.read('checkpoint.safetensors')).toBeNull();
    const bytes = Uint8Array.of(1, 2, 3);
    await run.write('checkpoint.safetensors', bytes);
    bytes[0] = 9; // the store kept its own copy
    await run.write('config.json', new TextEncoder().encode('{}'));
    expect([...(await run.read('checkpoint.safetensors'))!]).toEqual([1, 2, 3]);
    expect(await run.list()).toEqual(['checkpoint.safetensors', 'config.json']);
    await (await openRunStore('run-0', s)).write('x', Uint8Array.of(0));
    expect(await listRuns(s)).toEqual(['run-0', 'run-1']);
    await run.remove();
    expect(await listRuns(s)).toEqual(['run-0']);
    expect(await run.list()).toEqual([]);
  });

  it('refuses names that are not plain file names', async () => {
    const s = memoryStorage();
    await expect(openRunStore('../x', s)).rejects.toThrow(StoreError);
    const run = await openRunStore('ok', s);
    await expect(run.write('a/b', Uint8Array.of(1))).rejects.toThrow(/file name must be/);
  });
});
