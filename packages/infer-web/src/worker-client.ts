/** The page side of worker mode: the same model API, each call a message to the worker. */
import type { BundleManifest } from '@vae/core/bundle';
import type { LoadOptions, VaeModel } from './api';
import { InferError } from './errors';
import { ModelBase } from './model-base';
import type { Backend, RuntimeOptions } from './runtime';
import { type BundleSource, bundleBaseUrl, readBundle } from './source';
import type {
  LoadedInfo,
  MessageEndpoint,
  RemoteMethod,
  UnnumberedRequest,
  WorkerResponse,
} from './worker-protocol';

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };
type Rpc = <M extends RemoteMethod>(method: M, args: Parameters<VaeModel[M]>) => ReturnType<VaeModel[M]>;

/** Wraps an endpoint (a Worker) in request/response calls; a dead worker rejects every pending call. */
export class WorkerConnection {
  private next = 1;
  private readonly pending = new Map<number, Pending>();
  private failure: InferError | undefined;

  constructor(
    readonly endpoint: MessageEndpoint & { terminate?: () => void },
    errorTarget?: { addEventListener(type: 'error' | 'messageerror', l: (e: Event) => void): void },
  ) {
    endpoint.addEventListener('message', (e: MessageEvent) => {
      const r = e.data as WorkerResponse;
      const p = this.pending.get(r.id);
      if (!p) return;
      this.pending.delete(r.id);
      if (r.ok) p.resolve(r.value);
      else p.reject(new InferError(r.error.reason, r.error.message, r.error.path));
    });
    const die = (e: Event) =>
      this.fail(new InferError('worker', `model worker failed: ${(e as ErrorEvent).message ?? e.type}`));
    errorTarget?.addEventListener('error', die);
    errorTarget?.addEventListener('messageerror', die);
  }

  fail(err: InferError): void {
    this.failure = err;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  request(msg: UnnumberedRequest, transfer: Transferable[] = []): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.endpoint.postMessage({ ...msg, id }, transfer);
    });
  }
}

/** The model API over a worker connection. */
export class WorkerModel extends ModelBase implements VaeModel {
  readonly manifest: BundleManifest;
  readonly backend: Backend;
  readonly threads: number;
  readonly fallback?: string;
  private readonly call: Rpc;

  constructor(
    private readonly conn: WorkerConnection,
    info: LoadedInfo,
  ) {
    super();
    this.manifest = info.manifest;
    this.backend = info.backend;
    this.threads = info.threads;
    if (info.fallback) this.fallback = info.fallback;
    this.call = ((method, args) => conn.request({ type: 'call', method, args } as UnnumberedRequest)) as Rpc;
  }

  sample: VaeModel['sample'] = (...a) => this.call('sample', a);
  decode: VaeModel['decode'] = (...a) => this.call('decode', a);
  encode: VaeModel['encode'] = (...a) => this.call('encode', a);
  reconstruct: VaeModel['reconstruct'] = (...a) => this.call('reconstruct', a);
  interpolate: VaeModel['interpolate'] = (...a) => this.call('interpolate', a);
  traverse: VaeModel['traverse'] = (...a) => this.call('traverse', a);
  score: VaeModel['score'] = (...a) => this.call('score', a);
  toData: VaeModel['toData'] = (...a) => this.call('toData', a);
  sampleRows: VaeModel['sampleRows'] = (...a) => this.call('sampleRows', a);
  reconstructRows: VaeModel['reconstructRows'] = (...a) => this.call('reconstructRows', a);
  imputeRows: VaeModel['imputeRows'] = (...a) => this.call('imputeRows', a);
  inpaint: VaeModel['inpaint'] = (...a) => this.call('inpaint', a);
  sampleText: VaeModel['sampleText'] = (...a) => this.call('sampleText', a);
  encodeText: VaeModel['encodeText'] = (...a) => this.call('encodeText', a);
  decodeText: VaeModel['decodeText'] = (...a) => this.call('decodeText', a);
  interpolateText: VaeModel['interpolateText'] = (...a) => this.call('interpolateText', a);
  reconstructWindows: VaeModel['reconstructWindows'] = (...a) => this.call('reconstructWindows', a);
  scoreWindows: VaeModel['scoreWindows'] = (...a) => this.call('scoreWindows', a);

  async dispose(): Promise<void> {
    try {
      await this.call('dispose', []);
    } finally {
      this.conn.fail(new InferError('disposed', 'this model was disposed'));
      this.conn.endpoint.terminate?.();
    }
  }
}

/** Loads the bundle inside a worker (started here when `options.worker` is true). */
export async function loadInWorker(source: BundleSource, options: LoadOptions): Promise<VaeModel> {
  let worker: Worker;
  if (typeof options.worker === 'object') worker = options.worker;
  else {
    if (typeof Worker === 'undefined') throw new InferError('worker', 'Web Workers are not available here');
    try {
      worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
    } catch (e) {
      throw new InferError('worker', `could not start the model worker: ${(e as Error).message}`, undefined, {
        cause: e,
      });
    }
  }
  const conn = new WorkerConnection(worker, worker);
  // URLs are resolved here (a worker's base URL is its script); dropped files are read and transferred.
  let src: string | Record<string, Uint8Array>;
  if (typeof source === 'string' || source instanceof URL) src = bundleBaseUrl(source).href;
  else {
    const { files } = await readBundle(source); // copies below: the caller's arrays stay usable
    src = Object.fromEntries(Object.entries(files).map(([n, b]) => [n, b.slice()]));
  }
  const opts: RuntimeOptions = {
    ...(options.executionProviders ? { executionProviders: [...options.executionProviders] } : {}),
    ...(options.threads !== undefined ? { threads: options.threads } : {}),
    ...(options.wasmPaths !== undefined ? { wasmPaths: options.wasmPaths } : {}),
    ...(options.int8Float32Rows !== undefined ? { int8Float32Rows: options.int8Float32Rows } : {}),
  };
  const transfer = typeof src === 'string' ? [] : Object.values(src).map((b) => b.buffer as ArrayBuffer);
  try {
    const info = (await conn.request({ type: 'load', source: src, options: opts }, transfer)) as LoadedInfo;
    return new WorkerModel(conn, info);
  } catch (e) {
    (worker as { terminate?: () => void }).terminate?.();
    throw e;
  }
}
