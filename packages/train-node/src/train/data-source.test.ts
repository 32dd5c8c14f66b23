import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { foldIn, permutation } from '@vae/datasets';
import { describe, expect, it } from 'vitest';
import { createDataSource, feedMaker, nodeInlineSource } from './data-source';
import { init, plain, REQUESTS } from './test-helpers';

describe('data sources', () => {
  it('inline requests match fresh-buffer feeds (the worker code path) and reuse x safely', async () => {
    const inline = nodeInlineSource(init());
    const fresh = feedMaker(init(), false);
    for (const r of REQUESTS) {
      const a = plain(await inline.request(r));
      expect(a).toEqual(plain(fresh.make(r)));
      expect(Object.keys(a).sort()).toEqual(['c', 'mask', 'noise_0_normal', 'noise_1_uniform', 'x']);
      expect(a.x!.shape).toEqual([r.steps, 4, 12]);
      expect(a.noise_0_normal!.shape).toEqual([r.steps, 4, 2]);
    }
  });

  it("shuffles with datasets' permutation and foldIn (core's FeedMaker uses @vae/random's own)", () => {
    const maker = feedMaker(init(), false);
    for (const epoch of [0, 1, 7])
      expect(maker.order(epoch)).toEqual(permutation(foldIn(init().shuffleKey, epoch), init().data.count));
  });

  it('falls back to inline when asked, or when no worker can start', async () => {
    const off = createDataSource(init(), { prefetch: false });
    expect(off.kind).toBe('inline');
    expect(await off.ready).toBe('inline');
    let reason: Error | null = null;
    const on = createDataSource(init(), { prefetch: true, onFallback: (e) => (reason = e) });
    const inline = nodeInlineSource(init());
    // Answered here while the worker starts, then by the worker (or here for good when it cannot
    // start, as with a .ts worker under vitest): the same feeds throughout.
    const early = plain(await on.request(REQUESTS[0]!));
    const where = await on.ready;
    if (where === 'inline') expect(reason).toBeInstanceOf(Error);
    expect(early).toEqual(plain(await inline.request(REQUESTS[0]!)));
    for (const r of REQUESTS) expect(plain(await on.request(r))).toEqual(plain(await inline.request(r)));
    await on.close();
  });

  it('a worker (node + tsx, as the CLI runs) gives the same feeds as inline, requests in flight together', () => {
    const at = (p: string) => JSON.stringify(fileURLToPath(new URL(p, import.meta.url)));
    const script = `
      const { workerDataSource, nodeInlineSource } = await import(${at('./data-source.ts')});
      const { init, plain, REQUESTS } = await import(${at('./test-helpers.ts')});
      const worker = await workerDataSource(init());
      const inline = nodeInlineSource(init());
      const got = await Promise.all(REQUESTS.map((r) => worker.request(r)));
      const same = [];
      for (const [i, r] of REQUESTS.entries())
        same.push(JSON.stringify(plain(got[i])) === JSON.stringify(plain(await inline.request(r))));
      await worker.close();
      console.log(JSON.stringify({ kind: worker.kind, same, buffers: got.map((f) => f.x.data.byteLength) }));
    `;
    const r = spawnSync(
      process.execPath,
      [
        '--conditions=@vae/source',
        '--import',
        import.meta.resolve('tsx'),
        '--input-type=module',
        '-e',
        script,
      ],
      { encoding: 'utf8', cwd: fileURLToPath(new URL('.', import.meta.url)), timeout: 60_000 },
    );
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(out).toEqual({
      kind: 'worker',
      same: [true, true, true],
      buffers: [3 * 4 * 12 * 4, 2 * 4 * 12 * 4, 3 * 4 * 12 * 4],
    });
  });
});
