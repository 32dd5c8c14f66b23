import type { HostTensor } from '../ir/dtype';
import { FeedError, IRError } from '../ir/errors';
import { interpret } from '../ir/interpret';
import { fromOnnx, OnnxImportError } from '../onnx/read';
import type { Backend, BuiltGraph, CompiledGraph } from './backend';

/** A built graph ready for the interpreter: bound inputs checked, feeds picked per run. */
function prepare({ graph, outputs, bind = {} }: BuiltGraph): CompiledGraph {
  const names = new Set(graph.inputs.map((t) => t.name));
  for (const name of Object.keys(bind))
    if (!names.has(name)) throw new IRError(`bind: graph has no input named ${name}`);
  const inputNames = graph.inputs.map((t) => t.name).filter((n) => !(n in bind));
  const outputNames = Object.keys(outputs);
  const targets = Object.values(outputs);
  return {
    inputNames,
    outputNames,
    async run(feeds) {
      const missing = inputNames.filter((n) => !(n in feeds));
      if (missing.length) throw new FeedError(`missing feeds: ${missing.join(', ')}`);
      const all: Record<string, HostTensor> = { ...bind };
      for (const n of inputNames) all[n] = feeds[n]!;
      const values = interpret(graph, targets, all);
      return Object.fromEntries(outputNames.map((n, i) => [n, values[i]!]));
    },
  };
}

/**
 * The reference interpreter ({@link interpret}) as a {@link Backend}: float64 arithmetic rounded to
 * float32 after every op, on the host, in any JS runtime. Slow, and the oracle the fast backends are
 * tested against. It runs ONNX `Loop` itself, so a K-step training graph is one call here too.
 */
export class InterpreterBackend implements Backend {
  readonly #cache = new Map<string, Promise<CompiledGraph>>();

  compile(key: string, build: () => BuiltGraph): Promise<CompiledGraph> {
    let hit = this.#cache.get(key);
    if (!hit) {
      // A failing build rejects this call, and the next call with the key tries again.
      hit = new Promise<CompiledGraph>((resolve) => resolve(prepare(build())));
      this.#cache.set(key, hit);
      hit.catch(() => this.#cache.delete(key));
    }
    return hit;
  }

  /** Reads the model into the IR ({@link fromOnnx}); it runs if every op in it is an IR op. */
  async load(onnx: Uint8Array, source?: string): Promise<CompiledGraph> {
    let model: ReturnType<typeof fromOnnx>;
    try {
      model = fromOnnx(onnx);
    } catch (e) {
      if (source === undefined) throw e;
      const message = e instanceof Error ? e.message : String(e);
      throw new OnnxImportError(`${source}: the interpreter cannot load this model: ${message}`, {
        cause: e,
      });
    }
    return prepare({ graph: model.graph, outputs: model.outputs });
  }

  async dispose(): Promise<void> {
    this.#cache.clear();
  }
}
