/**
 * core's {@link Backend} on onnxruntime-web: the `/wasm` build by default, `/webgpu` when asked for
 * and available (dynamic imports, so a page downloads only what it uses). In Node onnxruntime-web
 * runs single-threaded WASM, which the parity tests use.
 */
import {
  type Backend,
  type CompiledGraph as BackendGraph,
  type BuiltGraph,
  Graph,
  type HostTensor,
  type OrtSessionLike,
  sessionGraph,
  toOnnx,
} from '@vae/core';
import type * as OrtWeb from 'onnxruntime-web';
import { BackendError, oneLine } from './errors';
import { chooseThreads } from './threads';

type Ort = typeof OrtWeb;

/** Options of an {@link OrtWebBackend}. */
export interface OrtWebBackendOptions {
  /** WASM threads (default: see {@link chooseThreads}: 1 unless cross-origin isolated). */
  readonly threads?: number;
  /** `webgpu` falls back to `wasm` when unavailable, with the reason in `fallback`. Default `wasm`. */
  readonly executionProvider?: 'wasm' | 'webgpu';
  /** Where onnxruntime-web's .wasm/.mjs files are served (a URL prefix or per-file URLs). */
  readonly wasmPaths?: string | { wasm?: string; mjs?: string };
  /** Turn off weight prepacking (as `OrtBackend`'s option: parity checks compare exact kernels). */
  readonly noPrepacking?: boolean;
}

/** A graph compiled to an onnxruntime-web session. */
export interface CompiledGraph extends BackendGraph {
  /** The ONNX model the session runs. */
  readonly onnx: Uint8Array;
}

/** Threads each loaded ORT build was set up with: its env settings freeze at the first session. */
const configured = new WeakMap<object, number>();

const toOrt = (ort: Ort, t: HostTensor): OrtWeb.Tensor =>
  new ort.Tensor(t.dtype as 'float32', t.data as Float32Array, [...t.shape]);

/**
 * Runs IR graphs on onnxruntime-web. `compile` lowers a graph with core's `toOnnx` once per key and
 * keeps the session; `load` takes ONNX bytes (an exported file). Host tensors in and out.
 */
export class OrtWebBackend implements Backend {
  /** The execution provider in use once {@link init} (or the first compile) has run. */
  executionProvider: 'wasm' | 'webgpu' = 'wasm';
  /** WASM threads in use once loaded. */
  threads = 1;
  /** Why WebGPU was asked for but not used. */
  fallback: string | undefined;
  readonly #o: OrtWebBackendOptions;
  readonly #cache = new Map<string, Promise<CompiledGraph>>();
  readonly #sessions: OrtWeb.InferenceSession[] = [];
  #ort: Promise<Ort> | undefined;

  constructor(options: OrtWebBackendOptions = {}) {
    if (options.threads !== undefined && !(Number.isInteger(options.threads) && options.threads >= 1))
      throw new BackendError(`threads must be a positive integer, got ${options.threads}`);
    this.#o = options;
  }

  /** Loads onnxruntime-web (once) and picks the execution provider. */
  #runtime(): Promise<Ort> {
    this.#ort ??= this.#load();
    return this.#ort;
  }

  async #load(): Promise<Ort> {
    let ort: Ort | undefined;
    if (this.#o.executionProvider === 'webgpu') {
      const nav = (globalThis as { navigator?: { gpu?: unknown } }).navigator;
      if (!nav?.gpu) this.fallback = 'navigator.gpu is not available';
      else {
        try {
          ort = (await import('onnxruntime-web/webgpu')) as unknown as Ort;
          this.executionProvider = 'webgpu';
        } catch (e) {
          this.fallback = `onnxruntime-web/webgpu failed to load: ${oneLine(e)}`;
        }
      }
    }
    try {
      ort ??= (await import('onnxruntime-web/wasm')) as unknown as Ort;
    } catch (e) {
      throw new BackendError(`onnxruntime-web/wasm failed to load: ${oneLine(e)}`, { cause: e });
    }
    const done = configured.get(ort.env);
    if (done !== undefined)
      this.threads = done; // too late to change: report what it runs with
    else {
      this.threads = chooseThreads(this.#o.threads);
      ort.env.wasm.numThreads = this.threads;
      if (this.#o.wasmPaths !== undefined) ort.env.wasm.wasmPaths = this.#o.wasmPaths;
      configured.set(ort.env, this.threads);
    }
    return ort;
  }

  /** Checks that onnxruntime-web works here: creates, runs and releases a one-op session. */
  async init(): Promise<void> {
    const g = new Graph('init_check');
    const x = g.input('x', [1]);
    const compiled = await this.load(toOnnx(g, { outputs: { y: x.neg() } }), 'init_check');
    const { y } = await compiled.run({ x: { dtype: 'float32', shape: [1], data: Float32Array.of(1) } });
    if ((y!.data as Float32Array)[0] !== -1)
      throw new BackendError(`onnxruntime-web (${this.executionProvider}) computed -(1) wrongly`);
    const s = this.#sessions.pop();
    await s?.release();
  }

  /**
   * The session for `key`, building it with `build` on first use (same key, same session).
   * @param key - identifies the graph (e.g. `train:K=16`)
   * @param build - makes the graph; called only on a cache miss
   */
  compile(key: string, build: () => BuiltGraph): Promise<CompiledGraph> {
    let hit = this.#cache.get(key);
    if (!hit) {
      hit = Promise.resolve().then(() => {
        const b = build();
        return this.load(toOnnx(b.graph, { outputs: b.outputs, bind: b.bind }));
      });
      this.#cache.set(key, hit);
      hit.catch(() => this.#cache.delete(key));
    }
    return hit;
  }

  /**
   * A session for ONNX bytes.
   * @param source - where the bytes come from: failures then are {@link BackendError}s naming it
   *   (without it, a failure of a graph this package lowered is a bug and passes unchanged)
   */
  async load(onnx: Uint8Array, source?: string): Promise<CompiledGraph> {
    const ort = await this.#runtime();
    const create = (ep: 'wasm' | 'webgpu') =>
      ort.InferenceSession.create(onnx, {
        executionProviders: [ep],
        graphOptimizationLevel: 'all',
        ...(this.#o.noPrepacking ? { extra: { session: { disable_prepacking: '1' } } } : {}),
      });
    let session: OrtWeb.InferenceSession;
    try {
      try {
        session = await create(this.executionProvider);
      } catch (e) {
        if (this.executionProvider !== 'webgpu') throw e;
        // A WebGPU session that cannot be made: the same build's wasm EP, and say why.
        this.fallback = `webgpu session failed: ${oneLine(e)}`;
        this.executionProvider = 'wasm';
        session = await create('wasm');
      }
    } catch (e) {
      if (source === undefined) throw e;
      throw new BackendError(`${source}: onnxruntime-web cannot load this model: ${oneLine(e)}`, {
        cause: e,
      });
    }
    this.#sessions.push(session);
    return sessionGraph(session as OrtSessionLike<OrtWeb.Tensor>, onnx, {
      toRuntime: (t) => toOrt(ort, t),
      feedError: (message, cause) => new BackendError(message, cause === undefined ? undefined : { cause }),
      runtime: 'onnxruntime-web',
      ...(source !== undefined ? { source } : {}),
    });
  }

  /** Releases every session this backend created. */
  async dispose(): Promise<void> {
    const all = this.#sessions.splice(0);
    this.#cache.clear();
    await Promise.all(all.map((s) => s.release()));
  }
}
