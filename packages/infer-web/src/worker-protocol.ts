/** Messages between a page and the model worker: one request, one response, matched by id. */
import type { BundleManifest } from '@vae/core/bundle';
import type { VaeModel } from './api';
import type { InferErrorReason } from './errors';
import type { Backend, RuntimeOptions } from './runtime';

/** Model methods that run in the worker. */
export type RemoteMethod =
  | 'sample'
  | 'decode'
  | 'encode'
  | 'reconstruct'
  | 'interpolate'
  | 'traverse'
  | 'score'
  | 'toData'
  | 'sampleRows'
  | 'reconstructRows'
  | 'imputeRows'
  | 'inpaint'
  | 'sampleText'
  | 'encodeText'
  | 'decodeText'
  | 'interpolateText'
  | 'reconstructWindows'
  | 'scoreWindows'
  | 'dispose';

/** What a loaded worker reports back. */
export interface LoadedInfo {
  manifest: BundleManifest;
  backend: Backend;
  threads: number;
  fallback?: string;
}

export type WorkerRequest =
  | { id: number; type: 'load'; source: string | Record<string, Uint8Array>; options: RuntimeOptions }
  | {
      [M in RemoteMethod]: { id: number; type: 'call'; method: M; args: Parameters<VaeModel[M]> };
    }[RemoteMethod];

/** A request before the connection numbers it. */
export type UnnumberedRequest = WorkerRequest extends infer R
  ? R extends unknown
    ? Omit<R, 'id'>
    : never
  : never;

export type WorkerResponse =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: { reason: InferErrorReason; message: string; path?: string } };

/** The part of a Worker (or DedicatedWorkerGlobalScope, or a MessagePort) the protocol uses. */
export interface MessageEndpoint {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (e: MessageEvent) => void): void;
}

/** Float32/Float64 buffers in a result, to transfer rather than copy. */
export function transferables(value: unknown): Transferable[] {
  const out = new Set<ArrayBufferLike>();
  const visit = (v: unknown) => {
    if (ArrayBuffer.isView(v)) out.add(v.buffer);
    else if (v && typeof v === 'object') Object.values(v).forEach(visit);
  };
  visit(value);
  return [...out].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
}
