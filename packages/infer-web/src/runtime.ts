/**
 * onnxruntime-web sessions: the /wasm build by default, the /webgpu build only when asked for
 * (dynamic imports, so a page downloads only what it uses), threads from cross-origin isolation.
 */
import type * as OrtWeb from 'onnxruntime-web';
import { InferError } from './errors';

export type Ort = typeof OrtWeb;
export type Session = OrtWeb.InferenceSession;
export type Backend = 'wasm' | 'webgpu';

export interface RuntimeOptions {
  /** Execution providers in order of preference; `webgpu` falls back to `wasm`. Default `['wasm']`. */
  executionProviders?: readonly Backend[];
  /** WASM threads; default: `navigator.hardwareConcurrency` (at most 8) when the page is cross-origin isolated, else 1. */
  threads?: number;
  /** Where onnxruntime-web's .wasm/.mjs files are served (a URL prefix or per-file URLs). */
  wasmPaths?: string | { wasm?: string; mjs?: string };
  /**
   * int8 bundles only: decoder batches of at most this many rows run on a float32 copy of the
   * decoder (weights dequantised once at load; activations not quantised), which is faster than the
   * integer kernels for a single row. Larger batches run the int8 graph. Default 1; 0 keeps every
   * batch on the int8 graph (and saves the float32 copy's memory).
   */
  int8Float32Rows?: number;
}

export interface Runtime {
  ort: Ort;
  backend: Backend;
  threads: number;
  /** Why WebGPU was asked for but not used. */
  fallback?: string;
  create(bytes: Uint8Array, file: string): Promise<Session>;
}

/** Threads each loaded ORT build was initialised with (env settings freeze at the first session). */
const initialised = new WeakMap<object, number>();

/** Default cap on threads: small decoders gain nothing from more, and idle ORT threads spin. */
const MAX_DEFAULT_THREADS = 8;

/**
 * Threads onnxruntime-web can use here: 1 unless the page is cross-origin isolated (threads need
 * SharedArrayBuffer); then `requested`, or `navigator.hardwareConcurrency` capped at 8.
 */
export function chooseThreads(requested?: number): number {
  const g = globalThis as { crossOriginIsolated?: boolean; navigator?: { hardwareConcurrency?: number } };
  if (g.crossOriginIsolated !== true) return 1;
  const n = requested ?? Math.min(MAX_DEFAULT_THREADS, g.navigator?.hardwareConcurrency ?? 1);
  return Math.max(1, Math.floor(n));
}

function configure(ort: Ort, opts: RuntimeOptions): number {
  const done = initialised.get(ort.env);
  if (done !== undefined) return done; // too late to change: report what it runs with
  const threads = chooseThreads(opts.threads);
  ort.env.wasm.numThreads = threads;
  if (opts.wasmPaths !== undefined) ort.env.wasm.wasmPaths = opts.wasmPaths;
  return threads;
}

function sessionFactory(ort: Ort, ep: Backend, threads: number): Runtime['create'] {
  return async (bytes, file) => {
    try {
      const s = await ort.InferenceSession.create(bytes, {
        executionProviders: [ep],
        graphOptimizationLevel: 'all',
      });
      initialised.set(ort.env, threads);
      return s;
    } catch (e) {
      throw new InferError(
        'session',
        `${file}: onnxruntime-web (${ep}) could not create a session: ${(e as Error).message ?? e}`,
        undefined,
        { cause: e },
      );
    }
  };
}

/** Loads onnxruntime-web and picks the backend: the webgpu build when asked for and available, else wasm. */
export async function loadRuntime(opts: RuntimeOptions): Promise<Runtime> {
  const eps = opts.executionProviders ?? ['wasm'];
  let fallback: string | undefined;
  if (eps[0] === 'webgpu') {
    const nav = (globalThis as { navigator?: { gpu?: unknown } }).navigator;
    if (!nav?.gpu) fallback = 'navigator.gpu is not available';
    else {
      try {
        const ort = (await import('onnxruntime-web/webgpu')) as unknown as Ort;
        const threads = configure(ort, opts);
        return { ort, backend: 'webgpu', threads, create: sessionFactory(ort, 'webgpu', threads) };
      } catch (e) {
        fallback = `onnxruntime-web/webgpu failed to load: ${(e as Error).message ?? e}`;
      }
    }
  }
  let ort: Ort;
  try {
    ort = (await import('onnxruntime-web/wasm')) as unknown as Ort;
  } catch (e) {
    throw new InferError(
      'session',
      `onnxruntime-web/wasm failed to load: ${(e as Error).message ?? e}`,
      undefined,
      { cause: e },
    );
  }
  const threads = configure(ort, opts);
  return {
    ort,
    backend: 'wasm',
    threads,
    ...(fallback ? { fallback } : {}),
    create: sessionFactory(ort, 'wasm', threads),
  };
}

/** Creates a session on the runtime's backend; a WebGPU failure retries on the same build's wasm EP. */
export async function createSession(rt: Runtime, bytes: Uint8Array, file: string): Promise<Session> {
  try {
    return await rt.create(bytes, file);
  } catch (e) {
    if (rt.backend !== 'webgpu') throw e;
    rt.fallback = (e as Error).message;
    rt.backend = 'wasm';
    rt.create = sessionFactory(rt.ort, 'wasm', rt.threads);
    return rt.create(bytes, file);
  }
}
