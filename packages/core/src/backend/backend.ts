import type { HostTensor } from '../ir/dtype';
import type { Graph } from '../ir/graph';
import type { Tensor } from '../ir/tensor';

/**
 * A graph to compile: the graph, the outputs it computes by name, and graph inputs bound to fixed
 * values (e.g. trained weights baked into an exported model). Inputs left unbound are fed per run.
 */
export interface BuiltGraph {
  readonly graph: Graph;
  readonly outputs: Readonly<Record<string, Tensor>>;
  readonly bind?: Readonly<Record<string, HostTensor>>;
}

/** Host tensors by graph input name. */
export type Feeds = Readonly<Record<string, HostTensor>>;

/** A graph a backend has compiled: run it with feeds, get its outputs by name. */
export interface CompiledGraph {
  /** What `run` must be fed: the graph's inputs that are not bound. */
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** Runs the graph. Feeds it does not take are ignored; a missing one is an error. */
  run(feeds: Feeds): Promise<Record<string, HostTensor>>;
}

/**
 * Executes IR graphs (as onnxruntime's js/common `Backend` does for ONNX models). Implementations:
 * the reference interpreter in core, onnxruntime-node in `@vae/train-node`; nothing here is tied to
 * one runtime or to Node, so an onnxruntime-web backend is a third.
 *
 * State between runs: a graph that carries values (weights, optimizer moments) through many steps
 * takes them as inputs and returns their next values as outputs; inside one run an ONNX `Loop` carries
 * them, and {@link carryState} feeds one run's outputs to the next run's inputs.
 */
export interface Backend {
  /**
   * Makes the backend ready (loads its runtime, checks it works). The registry calls it once, on
   * first use; a backend used directly works without it.
   */
  init?(): Promise<void>;
  /**
   * The compiled form of the graph `build` makes, built once per `key`: a second call with the same
   * key returns the same compiled graph without calling `build`.
   * @param key - identifies the graph (e.g. `train:K=16`); the caller keeps keys unique per graph
   */
  compile(key: string, build: () => BuiltGraph): Promise<CompiledGraph>;
  /**
   * A compiled graph for an ONNX model (e.g. an exported file).
   * @param source - where the bytes come from, for error messages, when a user gave them
   */
  load(onnx: Uint8Array, source?: string): Promise<CompiledGraph>;
  /** Releases everything the backend holds; compiled graphs are not to be run after. */
  dispose(): Promise<void>;
}

/**
 * A compiled graph with state: named inputs whose values come from the previous run's outputs.
 * `run` takes the other feeds and returns the other outputs; `state` holds the carried values.
 */
export interface StatefulGraph {
  /** The current state, by input name. */
  readonly state: Readonly<Record<string, HostTensor>>;
  /** Replaces (some of) the state, e.g. to restore a checkpoint. */
  setState(values: Feeds): void;
  /** One run: feeds plus the state in, the state replaced by its next values, the other outputs out. */
  run(feeds: Feeds): Promise<Record<string, HostTensor>>;
}
