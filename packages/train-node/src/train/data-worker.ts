/**
 * Worker thread that prepares training feeds (binarised x, c, mask, noise) while the main thread
 * runs onnxruntime. Started by `workerDataSource` (data-source.ts): one `init` with the dataset,
 * then `request`s answered with the feeds, their buffers transferred (never copied).
 */
import { parentPort } from 'node:worker_threads';
import type { FeedMaker, HostTensor } from '@vae/core';
import { createDataset, type Dataset } from '@vae/datasets';
import { type FromWorker, feedMaker, type ToWorker } from './data-source';

const port = parentPort;
if (port) {
  let maker: FeedMaker | null = null;
  const send = (m: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);
  const error = (id: number | null, e: unknown) =>
    send({
      type: 'error',
      id,
      message: e instanceof Error ? e.message : String(e),
      ...(e instanceof Error && e.stack ? { stack: e.stack } : {}),
    });
  port.on('message', (m: ToWorker) => {
    if (m.type === 'init') {
      try {
        const d = m.dataset;
        const data = createDataset({
          name: d.name,
          dtype: d.dtype,
          data: d.data,
          exampleShape: d.exampleShape,
          labels: d.labels,
          mask: d.mask,
        } as Parameters<typeof createDataset>[0]) as Dataset;
        // Fresh buffers per request: the previous ones are in flight to (or in use by) the trainer.
        maker = feedMaker(
          { data, feed: m.feed, shuffleKey: m.shuffleKey, draws: m.draws, noiseKey: m.noiseKey },
          false,
        );
        send({ type: 'ready' });
      } catch (e) {
        error(null, e);
      }
      return;
    }
    try {
      if (!maker) throw new Error('request before init');
      const feeds = maker.make(m);
      send({ type: 'feeds', id: m.id, feeds }, buffersOf(feeds));
    } catch (e) {
      error(m.id, e);
    }
  });
}

function buffersOf(feeds: Record<string, HostTensor>): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const t of Object.values(feeds)) {
    const b = (t.data as ArrayBufferView).buffer;
    if (b instanceof ArrayBuffer) out.add(b);
  }
  return [...out];
}
