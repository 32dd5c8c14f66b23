import { Worker } from 'node:worker_threads';
import {
  type DataRequest,
  type DataSource,
  FeedMaker,
  type HostTensor,
  inlineDataSource,
  type NoiseDraw,
  type PRNGKey,
} from '@vae/core';
import { type Dataset, Feeder, type FeedSpec, type KeyLike } from '@vae/datasets';

/** What a data source needs: the training set, how it becomes inputs, and the run's keys. */
export interface DataSourceInit {
  readonly data: Dataset;
  readonly feed: FeedSpec;
  /** Key of the per-epoch shuffle: epoch e uses `permutation(foldIn(shuffleKey, e), count)`. */
  readonly shuffleKey: KeyLike;
  /** The step graph's noise inputs (per-step shapes; the same for every K). */
  readonly draws: readonly NoiseDraw[];
  readonly noiseKey: PRNGKey;
}

/** A FeedMaker for the dataset: its Feeder fills x (c, mask), core's FeedMaker adds shuffle and noise. */
export function feedMaker(init: DataSourceInit, reuse: boolean): FeedMaker {
  const { data, feed, ...keys } = init;
  return new FeedMaker({ ...keys, filler: new Feeder(data, feed), count: data.count }, reuse);
}

// ---- worker protocol (shared with data-worker.ts) ----

/** The dataset's fields, sent once (data, labels and mask copied into fresh buffers). */
export interface WorkerDataset {
  readonly name: string;
  readonly count: number;
  readonly exampleShape: readonly number[];
  readonly dtype: Dataset['dtype'];
  readonly data: Dataset['data'];
  readonly labels: Uint8Array | undefined;
  readonly mask: Uint8Array | undefined;
}

export type ToWorker =
  | {
      readonly type: 'init';
      readonly dataset: WorkerDataset;
      readonly feed: FeedSpec;
      readonly shuffleKey: KeyLike;
      readonly draws: readonly NoiseDraw[];
      readonly noiseKey: PRNGKey;
    }
  | ({ readonly type: 'request'; readonly id: number } & DataRequest);

export type FromWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'feeds'; readonly id: number; readonly feeds: Record<string, HostTensor> }
  | { readonly type: 'error'; readonly id: number | null; readonly message: string; readonly stack?: string };

/** The worker module next to this one: `.ts` when running the sources (tsx), `.js` in dist. */
export function workerUrl(): URL | null {
  // In the CJS build `import.meta` is empty: no worker there (the inline path is used).
  const here = (import.meta as { url?: string }).url;
  if (!here) return null;
  const ext = /\.[cm]?ts$/.test(new URL(here).pathname) ? '.ts' : '.js';
  return new URL(`./data-worker${ext}`, here);
}

/**
 * The process's node options for the worker (loaders such as tsx, `--conditions`), less those
 * about the main script's input (`-e`, `--input-type`), which a worker rejects.
 */
export function workerExecArgv(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('--input-type')) continue;
    if (['-e', '--eval', '-p', '--print'].includes(a)) {
      i++; // and its script
      continue;
    }
    if (/^--(eval|print)=/.test(a)) continue;
    out.push(a);
  }
  return out;
}

class WorkerSourceError extends Error {
  constructor(message: string, stack?: string) {
    super(`data worker: ${message}`);
    this.name = 'DataWorkerError';
    if (stack) this.stack = `${this.name}: ${this.message}\n(worker) ${stack}`;
  }
}

/**
 * Starts the data worker and waits for it to load the dataset. Rejects when the worker cannot
 * start (no loader for `.ts` under a test runner, a missing file, ...).
 */
export async function workerDataSource(
  init: DataSourceInit,
  url: URL | null = workerUrl(),
): Promise<DataSource> {
  if (!url) throw new WorkerSourceError('no worker module URL (CJS build)');
  const execArgv = workerExecArgv(process.execArgv);
  // Sources (.ts, run by tsx): on Node 20 tsx's `--import` hooks do not reach worker threads, so
  // the worker registers them itself before loading the module.
  const worker = url.pathname.endsWith('.ts')
    ? new Worker(
        `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})` +
          `.then((m) => { m.register(); return import(${JSON.stringify(url.href)}); })`,
        { eval: true, execArgv },
      )
    : new Worker(url, { execArgv });
  // A worker must never keep the process alive (or hang it after a crash of the trainer).
  worker.unref();
  const pending = new Map<
    number,
    { resolve: (f: Record<string, HostTensor>) => void; reject: (e: Error) => void }
  >();
  let failure: Error | null = null;
  let closed = false;
  const fail = (e: Error) => {
    failure ??= e;
    for (const p of pending.values()) p.reject(failure);
    pending.clear();
  };
  const ready = new Promise<void>((resolve, reject) => {
    worker.on('message', (m: FromWorker) => {
      if (m.type === 'ready') resolve();
      else if (m.type === 'feeds') {
        const p = pending.get(m.id);
        pending.delete(m.id);
        p?.resolve(m.feeds);
      } else {
        const e = new WorkerSourceError(m.message, m.stack);
        if (m.id === null) {
          reject(e);
          fail(e);
        } else {
          const p = pending.get(m.id);
          pending.delete(m.id);
          p?.reject(e);
        }
      }
    });
    worker.on('error', (e) => {
      const err = new WorkerSourceError(e instanceof Error ? e.message : String(e));
      reject(err);
      fail(err);
    });
    worker.on('exit', (code) => {
      const err = new WorkerSourceError(closed ? 'closed' : `exited with code ${code}`);
      reject(err);
      fail(err);
    });
  });
  const { data } = init;
  // Copies of exactly the example storage (a view may sit on a larger buffer), transferred.
  const own = <T extends Uint8Array | Float32Array>(a: T): T => a.slice() as T;
  const dataset: WorkerDataset = {
    name: data.name,
    count: data.count,
    exampleShape: [...data.exampleShape],
    dtype: data.dtype,
    data: own(data.data),
    labels: data.labels && own(data.labels),
    mask: data.mask && own(data.mask),
  };
  const transfer = [dataset.data.buffer, dataset.labels?.buffer, dataset.mask?.buffer].filter(
    (b): b is ArrayBuffer => b !== undefined,
  );
  const msg: ToWorker = {
    type: 'init',
    dataset,
    feed: init.feed,
    shuffleKey: init.shuffleKey,
    draws: init.draws,
    noiseKey: init.noiseKey,
  };
  try {
    worker.postMessage(msg, transfer);
    await ready;
  } catch (e) {
    closed = true;
    await worker.terminate();
    throw e;
  }
  let next = 0;
  return {
    kind: 'worker',
    ready: Promise.resolve('worker'),
    request(req) {
      if (failure) return Promise.reject(failure);
      const id = next++;
      const p = new Promise<Record<string, HostTensor>>((resolve, reject) =>
        pending.set(id, { resolve, reject }),
      );
      // A request issued ahead and then dropped (early stop, an error) must not crash the process.
      p.catch(() => {});
      const m: ToWorker = {
        type: 'request',
        id,
        epoch: req.epoch,
        start: req.start,
        steps: req.steps,
        batch: req.batch,
        firstStep: req.firstStep,
      };
      worker.postMessage(m);
      return p;
    },
    async close() {
      if (closed) return;
      closed = true;
      pending.clear();
      await worker.terminate();
    },
  };
}

export interface DataSourceOptions {
  /** Prepare feeds in a worker thread (default true); falls back to inline when it cannot start. */
  readonly prefetch?: boolean;
  /** Called with the reason when the worker could not start and the inline path is used. */
  readonly onFallback?: (reason: Error) => void;
}

/** Feeds built on the calling thread when asked for (x buffer reused): core's inline source. */
export function nodeInlineSource(init: DataSourceInit): DataSource {
  const { data, feed, ...keys } = init;
  return inlineDataSource({ ...keys, filler: new Feeder(data, feed), count: data.count });
}

/**
 * With `prefetch` (default): a source that starts the worker in the background and answers on the
 * calling thread (fresh buffers) until the worker is ready, or for good when it cannot start.
 * Without: the inline source. Both paths give identical feeds, so switching is invisible.
 */
export function createDataSource(init: DataSourceInit, opts: DataSourceOptions = {}): DataSource {
  if (!(opts.prefetch ?? true)) return nodeInlineSource(init);
  let here: FeedMaker | null = null;
  let worker: DataSource | null = null;
  let closed = false;
  const ready = workerDataSource(init).then(
    (w) => {
      if (closed) void w.close();
      else worker = w;
      return closed ? ('inline' as const) : ('worker' as const);
    },
    (e: unknown) => {
      opts.onFallback?.(e instanceof Error ? e : new Error(String(e)));
      return 'inline' as const;
    },
  );
  return {
    kind: 'worker',
    ready,
    request(req) {
      if (worker) return worker.request(req);
      // Fresh buffers: a request may be issued while the previous one's feeds are still in use.
      here ??= feedMaker(init, false);
      return Promise.resolve(here.make(req));
    },
    async close() {
      closed = true;
      await worker?.close();
    },
  };
}
