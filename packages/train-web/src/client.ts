/** The page side of the training worker: `BrowserTrainer`. */
import { errorFromMessage, WorkerError } from './errors';
import type {
  FromWorker,
  MessageEndpoint,
  ReadyMessage,
  StartMessage,
  ToWorker,
  TrainerEvent,
  TrainerEventType,
  WasmPaths,
} from './trainer/protocol';

/** What {@link BrowserTrainer.start} takes: the `start` message without its type and id. */
export type StartOptions = Omit<StartMessage, 'type' | 'id'>;

/** Backend options of a resumed run. */
export interface ResumeOptions {
  readonly threads?: number;
  readonly executionProvider?: 'wasm' | 'webgpu';
  /** Where onnxruntime-web's files are served, when not where the bundler put them. */
  readonly wasmPaths?: WasmPaths;
}

type Endpoint = MessageEndpoint & { terminate?: () => void };
type Pending = { resolve: (m: FromWorker) => void; reject: (e: Error) => void };

/**
 * Trains in a Web Worker and reports to the page. Progress arrives as events (`on('progress', fn)`),
 * requests (`samples`, `exportBundle`, `listRuns`) as promises; failures as typed errors (one line).
 *
 * ```ts
 * const trainer = new BrowserTrainer();
 * trainer.on('progress', (p) => console.log(p.step, p.loss));
 * await trainer.start({ runId: 'digits-1', recipe: { epochs: 2 }, data: { kind: 'digits', bytes } });
 * ```
 */
export class BrowserTrainer {
  readonly #worker: Endpoint;
  readonly #listeners = new Map<TrainerEventType, Set<(m: FromWorker) => void>>();
  readonly #pending = new Map<number, Pending>();
  #next = 1;
  #failure: Error | undefined;

  /**
   * @param worker - the training worker; default: the module worker of this package
   *   (`new Worker(new URL('./trainer/train-worker.ts', import.meta.url), { type: 'module' })`,
   *   `.js` in the build). Any endpoint that speaks the protocol works (a MessagePort in tests).
   */
  constructor(worker?: Endpoint) {
    this.#worker =
      worker ?? new Worker(new URL('./trainer/train-worker.ts', import.meta.url), { type: 'module' });
    this.#worker.addEventListener('message', this.#onMessage);
    const target = this.#worker as Partial<EventTarget>;
    target.addEventListener?.('error', (e: Event) =>
      this.#fail(new WorkerError(`training worker failed: ${(e as ErrorEvent).message ?? e.type}`)),
    );
  }

  readonly #onMessage = (e: MessageEvent) => {
    const m = e.data as FromWorker;
    const id = 'id' in m ? m.id : undefined;
    const p = id === undefined ? undefined : this.#pending.get(id);
    if (p) {
      this.#pending.delete(id!);
      if (m.type === 'error') p.reject(errorFromMessage(m));
      else p.resolve(m);
    }
    for (const fn of this.#listeners.get(m.type) ?? []) fn(m);
  };

  #fail(e: Error): void {
    this.#failure = e;
    for (const p of this.#pending.values()) p.reject(e);
    this.#pending.clear();
  }

  #request<T extends FromWorker['type']>(msg: ToWorker, _reply: T): Promise<TrainerEvent<T>> {
    if (this.#failure) return Promise.reject(this.#failure);
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (m: FromWorker) => void, reject });
      this.#worker.postMessage({ ...msg, id });
    });
  }

  #send(msg: ToWorker): void {
    if (this.#failure) throw this.#failure;
    this.#worker.postMessage(msg);
  }

  /**
   * Starts a new run; resolves once the worker's backend is up (training then goes on, reported by
   * events). A run with this id already stored is refused: resume it or remove it first.
   */
  start(o: StartOptions): Promise<ReadyMessage> {
    return this.#request({ type: 'start', ...o }, 'ready');
  }

  /** Continues a stored run from its last checkpoint (after a reload, too). */
  resume(runId: string, o: ResumeOptions = {}): Promise<ReadyMessage> {
    return this.#request({ type: 'resume', runId, ...o }, 'ready');
  }

  /** Pauses at the next step-call boundary (a `paused` event says when). */
  pause(): void {
    this.#send({ type: 'pause' });
  }

  /** Continues a paused run. */
  continue(): void {
    this.#send({ type: 'continue' });
  }

  /** Stops at the next step-call boundary with a checkpoint (`done { finished: false }`). */
  stop(): void {
    this.#send({ type: 'stop' });
  }

  /** Decoder means of `n` prior draws with the current weights: `means` is `[n, ...shape]`. */
  async samples(n: number, seed: number): Promise<{ n: number; shape: number[]; means: Float32Array }> {
    const { n: got, shape, means } = await this.#request({ type: 'samples', n, seed }, 'samples');
    return { n: got, shape, means };
  }

  /** The bundle of the run (`encoder.onnx`, `decoder.onnx`, `manifest.json`, ...), as `vae export` writes it. */
  async exportBundle(): Promise<Record<string, Uint8Array>> {
    return (await this.#request({ type: 'export' }, 'bundle')).files;
  }

  /** Ids of the runs stored in this origin (OPFS or IndexedDB). */
  async listRuns(): Promise<string[]> {
    return (await this.#request({ type: 'listRuns' }, 'runs')).runs;
  }

  /**
   * Calls `fn` with every message of `type` (`progress`, `epoch`, `checkpoint`, `paused`, `done`,
   * `error`, ...). A training failure arrives as an `error` event without an id.
   * @returns a function that unsubscribes
   */
  on<T extends TrainerEventType>(type: T, fn: (m: TrainerEvent<T>) => void): () => void {
    let set = this.#listeners.get(type);
    if (!set) this.#listeners.set(type, (set = new Set()));
    const f = fn as (m: FromWorker) => void;
    set.add(f);
    return () => set.delete(f);
  }

  /** Stops the worker; pending requests reject with a WorkerError. */
  dispose(): void {
    this.#worker.removeEventListener?.('message', this.#onMessage);
    this.#worker.terminate?.();
    this.#fail(new WorkerError('the trainer was disposed'));
    this.#listeners.clear();
  }
}
