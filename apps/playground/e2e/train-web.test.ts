/**
 * @vae/train-web's run stores in real Chromium: OPFS (atomic writes through createWritable(), an
 * aborted write leaves the old file whole and no swap file behind), the IndexedDB fallback, which
 * one `defaultStorage()` picks, and that runs survive a reload. The store module is bundled from
 * its source and put into a page at http://localhost (a secure context, as OPFS needs), which
 * Playwright answers itself: no server. Worker, training and resume are in train-here.test.ts.
 */
import { join } from 'node:path';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, launch } from './harness';
import { repoRoot } from './paths';

const ORIGIN = 'http://localhost:47811';
let browser: Browser;
let storeCode: string;

/** The store module as one IIFE script defining `window.trainWebStore`. */
async function bundleStore(): Promise<string> {
  const out = await build({
    configFile: false,
    logLevel: 'silent',
    resolve: { conditions: ['@vae/source', 'module', 'browser', 'development|production'] },
    build: {
      write: false,
      minify: false,
      lib: {
        entry: join(repoRoot, 'packages/train-web/src/store/index.ts'),
        formats: ['iife'],
        name: 'trainWebStore',
      },
    },
  });
  const chunks = (Array.isArray(out) ? out : [out]).flatMap((o) => ('output' in o ? o.output : []));
  const js = chunks.find((c) => c.type === 'chunk');
  if (js?.type !== 'chunk') throw new Error('no store bundle');
  return js.code;
}

async function openPage(): Promise<void> {
  await browser.page.goto(`${ORIGIN}/`);
  await browser.page.addScriptTag({ content: storeCode });
}

beforeAll(async () => {
  storeCode = await bundleStore();
  browser = await launch();
  await browser.context.route(`${ORIGIN}/**`, (route) =>
    route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>train-web store</title>' }),
  );
  await openPage();
});

afterAll(async () => {
  await browser?.close();
});

type Store = typeof import('@vae/train-web');
declare global {
  interface Window {
    trainWebStore: Pick<Store, 'opfsStorage' | 'idbStorage' | 'defaultStorage' | 'hasOpfs' | 'hasIndexedDb'>;
  }
}

describe('@vae/train-web run stores (real Chromium)', () => {
  it('picks OPFS where it exists', async () => {
    const r = await browser.page.evaluate(() => ({
      opfs: window.trainWebStore.hasOpfs(),
      idb: window.trainWebStore.hasIndexedDb(),
      kind: window.trainWebStore.defaultStorage().kind,
    }));
    expect(r).toEqual({ opfs: true, idb: true, kind: 'opfs' });
  });

  for (const kind of ['opfs', 'indexeddb'] as const) {
    it(`${kind}: writes, overwrites, reads, lists and removes runs`, async () => {
      const r = await browser.page.evaluate(async (kind) => {
        const s = kind === 'opfs' ? window.trainWebStore.opfsStorage() : window.trainWebStore.idbStorage();
        const run = await s.open(`run-${kind}`);
        const missing = await run.read('checkpoint.safetensors');
        await run.write('checkpoint.safetensors', Uint8Array.of(1, 2, 3));
        await run.write('checkpoint.safetensors', Uint8Array.of(4, 5));
        await run.write('config.json', new TextEncoder().encode('{}'));
        await (await s.open('other')).write('x', Uint8Array.of(9));
        const got = Array.from((await run.read('checkpoint.safetensors')) ?? []);
        const list = await run.list();
        const runs = await s.listRuns();
        await (await s.open('other')).remove();
        return { missing, got, list, runs, after: await s.listRuns() };
      }, kind);
      expect(r.missing).toBeNull();
      expect(r.got).toEqual([4, 5]);
      expect(r.list).toEqual(['checkpoint.safetensors', 'config.json']);
      expect(r.runs).toEqual(expect.arrayContaining([`run-${kind}`, 'other']));
      expect(r.after).not.toContain('other');
    });
  }

  it('opfs: a write that fails is aborted: the old file stays whole and no swap file is left', async () => {
    const r = await browser.page.evaluate(async () => {
      const run = await window.trainWebStore.opfsStorage().open('atomic');
      await run.write('checkpoint.safetensors', Uint8Array.of(7, 7, 7));
      const proto = FileSystemWritableFileStream.prototype;
      const write = proto.write;
      // The disk fills up half way: the first chunk is written to the swap file, then a failure.
      proto.write = async function (this: FileSystemWritableFileStream, data: FileSystemWriteChunkType) {
        await write.call(this, (data as Uint8Array<ArrayBuffer>).subarray(0, 1));
        throw new DOMException('disk full', 'QuotaExceededError');
      };
      let error = '';
      try {
        await run.write('checkpoint.safetensors', Uint8Array.of(1, 2, 3, 4, 5, 6));
      } catch (e) {
        error = `${(e as Error).name}: ${(e as Error).message}`;
      } finally {
        proto.write = write;
      }
      return {
        error,
        got: Array.from((await run.read('checkpoint.safetensors')) ?? []),
        list: await run.list(),
      };
    });
    expect(r.error).toMatch(
      /^StoreError: OPFS write atomic\/checkpoint\.safetensors failed: QuotaExceededError/,
    );
    expect(r.got).toEqual([7, 7, 7]);
    expect(r.list).toEqual(['checkpoint.safetensors']);
  });

  it('keeps runs across a reload (OPFS and IndexedDB)', async () => {
    await openPage(); // a fresh document on the same origin and profile
    const r = await browser.page.evaluate(async () => {
      const read = async (s: ReturnType<Window['trainWebStore']['opfsStorage']>, id: string) =>
        Array.from((await (await s.open(id)).read('checkpoint.safetensors')) ?? []);
      return {
        opfs: await read(window.trainWebStore.opfsStorage(), 'run-opfs'),
        idb: await read(window.trainWebStore.idbStorage(), 'run-indexeddb'),
      };
    });
    expect(r).toEqual({ opfs: [4, 5], idb: [4, 5] });
  });
});
