/**
 * An onnxruntime session (onnxruntime-node's or onnxruntime-web's: the same js/common API) as a
 * {@link CompiledGraph}: host tensors in and out, missing feeds named, and a run that fails on a
 * user's file reported as that runtime's typed error. Both onnxruntime backends use it.
 */
import type { HostTensor } from '../ir/dtype';
import type { CompiledGraph } from './backend';

/** What a session of either onnxruntime package offers (structurally; core imports no runtime). */
export interface OrtSessionLike<T> {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: Record<string, T>): Promise<Record<string, T>>;
}

/** A tensor of either onnxruntime package, as read back. */
export interface OrtTensorLike {
  readonly type: string;
  readonly dims: readonly number[];
  readonly data: unknown;
}

/** How a backend wraps its sessions: its tensor type, its error and its name in messages. */
export interface SessionGraphOptions<T> {
  /** A host tensor as the runtime's tensor (e.g. `new ort.Tensor(dtype, data, shape)`). */
  readonly toRuntime: (t: HostTensor) => T;
  /** The backend's error for bad feeds (a user error). */
  readonly feedError: (message: string, cause?: unknown) => Error;
  /** The runtime's name in messages, e.g. `onnxruntime` or `onnxruntime-web`. */
  readonly runtime: string;
  /** The file the model came from, when a user gave it; without it a failed run is a bug, passed on. */
  readonly source?: string;
}

/** An error's message on one line. */
const oneLine = (e: unknown) => (e instanceof Error ? e.message : String(e)).replace(/\s+/g, ' ').trim();

/** A runtime's tensor as a host tensor (its data array is used as is, not copied). */
const fromRuntime = (t: OrtTensorLike): HostTensor =>
  ({ dtype: t.type, shape: t.dims.map(Number), data: t.data }) as HostTensor;

/** `session` as a compiled graph that also carries the ONNX bytes it runs. */
export function sessionGraph<T extends OrtTensorLike>(
  session: OrtSessionLike<T>,
  onnx: Uint8Array,
  o: SessionGraphOptions<T>,
): CompiledGraph & { readonly onnx: Uint8Array } {
  const inputNames = [...session.inputNames];
  const outputNames = [...session.outputNames];
  return {
    inputNames,
    outputNames,
    onnx,
    async run(feeds) {
      const missing = inputNames.filter((n) => !(n in feeds));
      if (missing.length) throw o.feedError(`missing feeds: ${missing.join(', ')}`);
      const runtimeFeeds: Record<string, T> = {};
      for (const n of inputNames) runtimeFeeds[n] = o.toRuntime(feeds[n]!);
      let out: Record<string, T>;
      try {
        out = await session.run(runtimeFeeds);
      } catch (e) {
        if (o.source === undefined) throw e;
        throw o.feedError(`${o.source}: ${o.runtime} cannot run it on these inputs: ${oneLine(e)}`, e);
      }
      return Object.fromEntries(outputNames.map((n) => [n, fromRuntime(out[n]!)]));
    },
  };
}
