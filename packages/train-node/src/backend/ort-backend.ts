import { availableParallelism } from 'node:os';
import {
  type Backend,
  type CompiledGraph as BackendGraph,
  type BuiltGraph,
  Graph,
  type HostTensor,
  type OrtSessionLike,
  sessionGraph,
  TrainConfigError,
  toOnnx,
  UserError,
} from '@vae/core';
import * as ort from 'onnxruntime-node';
import { checkDevice, type Device, deviceFailure, probeDevice } from './device';

/** Options of an {@link OrtBackend}. */
export interface OrtBackendOptions {
  /** Intra-op threads per session (default: the machine's cores). */
  readonly threads?: number;
  /** onnxruntime graph optimisation level (default 'all'). */
  readonly optimization?: 'disabled' | 'basic' | 'extended' | 'all';
  /**
   * Turn off weight prepacking. With it on, a MatMul whose weights are initializers runs on
   * prepacked (re-blocked) weights and sums in another order than the same MatMul fed its weights
   * as inputs: equal functions, float32 results a few ulps apart. Parity checks turn it off.
   */
  readonly noPrepacking?: boolean;
  /**
   * Where sessions run (default cpu). cuda and webgpu are checked when the backend is made and on
   * its first session: a missing provider or GPU is a {@link DeviceError} saying what to install.
   */
  readonly device?: Device;
  /**
   * Record onnxruntime's profile of every session: each writes a Chrome-trace JSON file named
   * `<profile>_<timestamp>.json` when the backend is disposed (see {@link summariseProfile}).
   */
  readonly profile?: string;
}

/** A graph compiled to an onnxruntime-node session: feed host tensors, get host tensors back. */
export interface CompiledGraph extends BackendGraph {
  /** The ONNX model the session runs. */
  readonly onnx: Uint8Array;
}

/** A feed that does not match what the compiled graph takes. */
export class FeedError extends UserError {
  override name = 'FeedError';
}

/**
 * onnxruntime refused a model file a user gave (it cannot create a session for it); the message
 * names the file. Graphs this package lowers itself never throw it: their failures are bugs.
 */
export class OnnxModelError extends UserError {
  override name = 'OnnxModelError';
}

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e)).replace(/\s+/g, ' ').trim();

const toOrt = (t: HostTensor): ort.Tensor =>
  new ort.Tensor(t.dtype as 'float32', t.data as Float32Array, [...t.shape]);

/**
 * Runs IR graphs on onnxruntime-node: core's {@link Backend} interface, registered as
 * `onnxruntime-node`. `compile` lowers a graph to ONNX once and keeps the session, keyed by the
 * caller's cache key, so a training loop or an evaluation reuses one session per shape.
 */
export class OrtBackend implements Backend {
  readonly threads: number;
  readonly #optimization: NonNullable<OrtBackendOptions['optimization']>;
  readonly #noPrepacking: boolean;
  readonly #cache = new Map<string, Promise<CompiledGraph>>();
  readonly device: Device;
  readonly #profile: string | undefined;
  /** The first session on a GPU device: a one-op probe, so a missing provider fails clearly. */
  #probed: Promise<void> | null = null;

  constructor(options: OrtBackendOptions = {}) {
    this.threads = options.threads ?? availableParallelism();
    // onnxruntime's own RangeError for this names its option, not ours; 0 would mean its default.
    if (!Number.isInteger(this.threads) || this.threads < 1)
      throw new TrainConfigError(`threads must be a positive integer, got ${this.threads}`);
    this.#optimization = options.optimization ?? 'all';
    this.#noPrepacking = options.noPrepacking ?? false;
    this.device = options.device ?? 'cpu';
    this.#profile = options.profile;
    checkDevice(this.device);
  }

  /**
   * Resolves once the device can run a session (at once on cpu); a GPU device without its
   * provider, driver or adapter rejects with a {@link DeviceError}. Called by every session load.
   */
  ready(): Promise<void> {
    if (this.device === 'cpu') return Promise.resolve();
    this.#probed ??= (async () => {
      const g = new Graph('device_check');
      const x = g.input('x', [1]);
      // In a child process: a provider that cannot start prints native warnings (Dawn, Mesa) on
      // stderr, which must not reach the user's terminal around our one-line error.
      const failure = await probeDevice(this.device, toOnnx(g, { outputs: { y: x.neg() } }));
      if (failure !== null) throw deviceFailure(this.device, failure);
    })();
    return this.#probed;
  }

  /**
   * Checks that onnxruntime-node works here: creates, runs and releases a one-op session. The
   * backend registry calls it before first use; direct users need not.
   */
  async init(): Promise<void> {
    const g = new Graph('init_check');
    const x = g.input('x', [1]);
    const session = await ort.InferenceSession.create(toOnnx(g, { outputs: { y: x.neg() } }), {
      intraOpNumThreads: 1,
    });
    try {
      const { y } = await session.run({ x: new ort.Tensor('float32', Float32Array.of(1), [1]) });
      if ((y!.data as Float32Array)[0] !== -1) throw new Error('onnxruntime-node computed -(1) wrongly');
    } finally {
      await session.release();
    }
  }

  /**
   * The session for `key`, building it with `build` (graph + named outputs) on first use.
   * @param key - identifies the graph (e.g. `train:K=16`); same key, same session
   * @param build - makes the graph; called only on a cache miss
   */
  compile(key: string, build: () => BuiltGraph): Promise<CompiledGraph> {
    let hit = this.#cache.get(key);
    if (!hit) {
      hit = this.#create(build());
      this.#cache.set(key, hit);
      hit.catch(() => this.#cache.delete(key));
    }
    return hit;
  }

  /**
   * A session for ONNX bytes (e.g. an exported file).
   * @param source - the file the bytes come from, when a user gave it: onnxruntime's complaints
   *   about the model ({@link OnnxModelError}) or about inputs that do not fit it ({@link FeedError})
   *   then name the file. Without it, a failure is taken for a bug and passed on unchanged.
   */
  async load(onnx: Uint8Array, source?: string): Promise<CompiledGraph> {
    await this.ready();
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(onnx, {
        ...(this.device === 'cpu' ? {} : { executionProviders: [this.device] }),
        intraOpNumThreads: this.threads,
        interOpNumThreads: 1,
        graphOptimizationLevel: this.#optimization,
        ...(this.#profile !== undefined ? { enableProfiling: true, profileFilePrefix: this.#profile } : {}),
        ...(this.#noPrepacking ? { extra: { session: { disable_prepacking: '1' } } } : {}),
      });
    } catch (e) {
      if (source === undefined) throw e;
      throw new OnnxModelError(`${source}: onnxruntime cannot load this model: ${messageOf(e)}`, {
        cause: e,
      });
    }
    this.#sessions.push(session);
    return sessionGraph(session as OrtSessionLike<ort.Tensor>, onnx, {
      toRuntime: toOrt,
      feedError: (message, cause) => new FeedError(message, cause === undefined ? undefined : { cause }),
      runtime: 'onnxruntime',
      ...(source !== undefined ? { source } : {}),
    });
  }

  readonly #sessions: ort.InferenceSession[] = [];

  async #create(built: BuiltGraph): Promise<CompiledGraph> {
    const onnx = toOnnx(built.graph, { outputs: built.outputs, bind: built.bind });
    return this.load(onnx);
  }

  /** Releases every session this backend created. */
  async dispose(): Promise<void> {
    const all = this.#sessions.splice(0);
    this.#cache.clear();
    // Writes each session's profile file; it must precede release.
    if (this.#profile !== undefined) for (const s of all) s.endProfiling();
    await Promise.all(all.map((s) => s.release()));
  }
}

/**
 * Fails at once (a {@link DeviceError} saying what to install) unless `device` can run sessions
 * here: what a command calls before it reads any data. Nothing to check for cpu.
 */
export async function requireDevice(device: Device | undefined): Promise<void> {
  if (device === undefined || device === 'cpu') return;
  await new OrtBackend({ threads: 1, device }).ready();
}
