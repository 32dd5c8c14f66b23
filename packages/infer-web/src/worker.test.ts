import { type BundleTabularColumn, createBundle, key, mlpVAE, tabularVAE, uniform } from '@vae/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { InferError } from './errors';
import { loadModel } from './load';
import { type Built, build } from './test-helpers';
import { serveModel } from './worker-host';
import type { MessageEndpoint } from './worker-protocol';

/** A worker stand-in: the host serves one end of a MessageChannel in this thread (structured clone, transfers). */
function channelWorker(): Worker {
  const { port1, port2 } = new MessageChannel();
  serveModel(port2 as unknown as MessageEndpoint);
  port1.start();
  port2.start();
  return Object.assign(port1, { terminate: () => port1.close() }) as unknown as Worker;
}

let built: Built;
beforeAll(async () => {
  built = await build(mlpVAE({ inputSize: 784, hidden: [16], latent: 4 }), 3);
});

describe('worker mode (the message protocol, over a MessageChannel)', () => {
  it('answers every call like the in-page model', async () => {
    const remote = await loadModel(built.bundle.files, { worker: channelWorker() });
    const local = await loadModel(built.bundle.files);
    expect(remote.manifest).toEqual(local.manifest);
    expect([remote.backend, remote.threads]).toEqual([local.backend, local.threads]);
    const x = uniform(key(1), 2 * 784);
    const same = async (f: (m: typeof local) => Promise<unknown>) =>
      expect(await f(remote)).toEqual(await f(local));
    await same((m) => m.sample(8, 5, { temperature: 0.7 }));
    await same((m) => m.decode([[0, 1, 2, 3]]));
    await same((m) => m.encode(x));
    await same((m) => m.reconstruct(x));
    await same((m) => m.interpolate([1, 0, 0, 0], [0, 1, 0, 0], 5, 'slerp'));
    await same((m) => m.traverse([0, 0, 0, 0], 1, [-1, 1]));
    await same((m) => m.score(x, 4, key(2)));
    await same((m) =>
      m.inpaint(
        x,
        Float32Array.from(x, (_, j) => (j % 784 >= 392 ? 1 : 0)),
        { iters: 3 },
      ),
    );
    const d = await remote.sample(2, 1);
    expect(Array.from(await remote.toRGBA(d.params))).toEqual(Array.from(await local.toRGBA(d.params)));
    await local.dispose();
    await remote.dispose();
  });

  it('answers the tabular row methods like the in-page model', async () => {
    const vae = tabularVAE(
      [
        { name: 'w', type: 'continuous' },
        { name: 'c', type: 'categorical', categories: 2 },
      ],
      { latent: 2, hidden: [4] },
    );
    const tabular: BundleTabularColumn[] = [
      { name: 'w', type: 'continuous', offset: 0, mean: 10, std: 2 },
      { name: 'c', type: 'categorical', offset: 1, categories: ['x', 'y'] },
    ];
    const files = (await createBundle(vae, vae.init(key(2)), { tabular })).files;
    const remote = await loadModel(files, { worker: channelWorker() });
    const local = await loadModel(files);
    const rows = [
      { w: 11, c: 'y' },
      { w: null, c: 'x' },
    ];
    expect(await remote.sampleRows(5, 3)).toEqual(await local.sampleRows(5, 3));
    expect(await remote.reconstructRows(rows)).toEqual(await local.reconstructRows(rows));
    expect(await remote.imputeRows(rows, { samples: 8 })).toEqual(
      await local.imputeRows(rows, { samples: 8 }),
    );
    await expect(remote.imputeRows([{ c: 'z' }])).rejects.toMatchObject({ reason: 'input' });
    await local.dispose();
    await remote.dispose();
  });

  it('passes typed errors back: bad arguments, a bad bundle, a disposed model', async () => {
    const remote = await loadModel(built.bundle.files, { worker: channelWorker() });
    const e = await remote.decode(new Float32Array(5)).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(InferError);
    expect(e).toMatchObject({ reason: 'input', message: expect.stringMatching(/z has 5 values/) });
    expect((await remote.decode(new Float32Array(4))).n).toBe(1); // still alive
    await remote.dispose();
    await expect(remote.decode(new Float32Array(4))).rejects.toMatchObject({ reason: 'disposed' });
    const flipped = built.bundle.files['decoder.onnx']!.slice();
    flipped[7]! ^= 1;
    const files = { ...built.bundle.files, 'decoder.onnx': flipped };
    await expect(loadModel(files, { worker: channelWorker() })).rejects.toMatchObject({ reason: 'hash' });
    // the caller's arrays are not detached by the transfer to the worker
    expect(built.bundle.files['encoder.onnx']!.byteLength).toBeGreaterThan(0);
  });

  it('a worker that dies rejects what is pending with reason worker (nothing hangs)', async () => {
    const dead = Object.assign(new EventTarget(), { postMessage: () => {}, terminate: () => {} });
    const loading = loadModel(built.bundle.files, { worker: dead as unknown as Worker });
    setTimeout(() => dead.dispatchEvent(Object.assign(new Event('error'), { message: 'boom' })), 10);
    await expect(loading).rejects.toMatchObject({ reason: 'worker', message: expect.stringMatching(/boom/) });
  });
});
