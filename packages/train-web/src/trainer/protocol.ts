// The messages between a page (`BrowserTrainer`) and the training worker (`train-worker.ts`).
import type { TrainWebErrorName } from '../errors';
import type { TrainData } from './data';
import type { Recipe } from './recipe';

/** Where the worker's onnxruntime-web finds its .wasm/.mjs files (a URL prefix or per-file URLs). */
export type WasmPaths = string | { wasm?: string; mjs?: string };

/** Main -> worker: start a new run (`recipe` fields left out take `vae train`'s defaults). */
export interface StartMessage {
  readonly type: 'start';
  /** Echoed by the reply (`ready` or `error`), so a client can match them. */
  readonly id?: number;
  readonly runId: string;
  readonly recipe: Partial<Recipe>;
  readonly data: TrainData;
  readonly threads?: number;
  readonly executionProvider?: 'wasm' | 'webgpu';
  readonly wasmPaths?: WasmPaths;
}

/** Everything the page may send. `pause`, `continue` and `stop` act at the next step-call boundary. */
export type ToWorker =
  | StartMessage
  | {
      readonly type: 'resume';
      readonly id?: number;
      readonly runId: string;
      readonly threads?: number;
      readonly executionProvider?: 'wasm' | 'webgpu';
      readonly wasmPaths?: WasmPaths;
    }
  | { readonly type: 'pause' }
  | { readonly type: 'continue' }
  | { readonly type: 'stop' }
  /** Decoder means of `n` prior draws (key from `seed`), e.g. for a live grid. */
  | { readonly type: 'samples'; readonly id?: number; readonly n: number; readonly seed: number }
  /** The bundle files of the run's current (best) weights, as `vae export` writes them. */
  | { readonly type: 'export'; readonly id?: number }
  /** The ids of the stored runs (a reloaded page looks for one to resume). */
  | { readonly type: 'listRuns'; readonly id?: number };

/** The backend the worker trains on. */
export interface ReadyMessage {
  readonly type: 'ready';
  readonly id?: number;
  readonly backend: 'wasm' | 'webgpu';
  readonly threads: number;
  /** Why WebGPU was asked for but not used. */
  readonly fallback?: string;
}

/** After every step call. */
export interface ProgressMessage {
  readonly type: 'progress';
  readonly epoch: number;
  readonly stepInEpoch: number;
  readonly stepsPerEpoch: number;
  /** Global steps done. */
  readonly step: number;
  /** Mean training loss of the epoch so far (nats per example). */
  readonly loss: number;
  readonly samplesPerSecond: number;
  /** The call's per-step losses (-ELBO, nats per example), in step order. */
  readonly stepLosses: number[];
}

/** At each epoch's end (after validation and its checkpoint). */
export interface EpochMessage {
  readonly type: 'epoch';
  /** 1-based. */
  readonly epoch: number;
  readonly trainLoss: number;
  /** The validation split's -ELBO (nats per example, lower is better), as `vae train` prints it. */
  readonly valElbo?: number;
}

/** Decoder means of prior draws: `means` is `[n, ...shape]` row-major. */
export interface SamplesMessage {
  readonly type: 'samples';
  readonly id?: number;
  readonly n: number;
  readonly shape: number[];
  readonly means: Float32Array;
}

/** Everything the worker may send. */
export type FromWorker =
  | ReadyMessage
  | ProgressMessage
  | EpochMessage
  | { readonly type: 'checkpoint'; readonly step: number }
  | { readonly type: 'paused' }
  /** Training ended: `finished` when all epochs ran (or early stopping ended it), false when stopped. */
  | { readonly type: 'done'; readonly finished: boolean }
  | SamplesMessage
  | { readonly type: 'bundle'; readonly id?: number; readonly files: Record<string, Uint8Array> }
  | { readonly type: 'runs'; readonly id?: number; readonly runs: string[] }
  /**
   * A failure, on one line, with its typed name (the page rethrows it as that class); `id` names
   * the request that failed, absent for a failure of the training itself.
   */
  | {
      readonly type: 'error';
      readonly id?: number;
      readonly name: TrainWebErrorName;
      readonly message: string;
    };

/** Types of the messages a page can subscribe to. */
export type TrainerEventType = FromWorker['type'];
/** The message of one type. */
export type TrainerEvent<T extends TrainerEventType> = Extract<FromWorker, { type: T }>;

/** The parts of a Worker (or a MessagePort) the protocol uses. */
export interface MessageEndpoint {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (e: MessageEvent) => void): void;
  removeEventListener?(type: 'message', listener: (e: MessageEvent) => void): void;
}
