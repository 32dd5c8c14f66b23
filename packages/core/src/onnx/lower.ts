import type { HostTensor } from '../ir/dtype';
import { IRError } from '../ir/errors';
import type { Graph, Node } from '../ir/graph';
import { outerReads } from '../ir/subgraph';
import type { Tensor } from '../ir/tensor';
import { type LowerContext, lowerRules } from './lower-rules';
import { encodeModel } from './onnx-proto';
import type { GraphProto, ModelProto, NodeProto, TensorProto, ValueInfoProto } from './onnx-types';
import { type LowerPass, lowerPasses, type PassContext, runPasses } from './passes/index';
import { onnxTypeOf, toTensorProto } from './tensor-proto';

/** Opset and IR version written: opset 17 / IR 8 is checkable by Debian's onnx 1.12 and runs on ORT 1.30. */
export const OPSET = 17;
export const IR_VERSION = 8;

export interface LowerOptions {
  /** Graph outputs by ONNX name. */
  outputs: Readonly<Record<string, Tensor>>;
  /** Graph inputs to bake in as initializers (e.g. trained weights for export), by input name. */
  bind?: Readonly<Record<string, HostTensor>>;
  name?: string;
  docString?: string;
  metadata?: Readonly<Record<string, string>>;
  /** Rewrite passes run over each graph before the 1:1 rules; default {@link lowerPasses}. */
  passes?: readonly LowerPass[];
}

const valueInfo = (name: string, t: Tensor): ValueInfoProto => ({
  name,
  elemType: onnxTypeOf[t.dtype],
  shape: [...t.shape],
});

/** Nodes of `g` needed for `targets`, including what Loop bodies read from `g`. */
function liveNodes(g: Graph, targets: readonly Tensor[]): Set<Node> {
  const live = new Set<Node>();
  // An explicit stack, not recursion: unrolled recurrences are thousands of nodes deep.
  const stack: (Tensor | null)[] = [...targets];
  while (stack.length) {
    const t = stack.pop();
    if (!t || t.graph !== g) continue;
    const n = t.producer;
    if (!n || live.has(n)) continue;
    live.add(n);
    stack.push(...n.inputs);
    if (n.op === 'Loop') stack.push(...outerReads(n.attrs.body as Graph));
  }
  return live;
}

class Lowerer implements LowerContext, PassContext {
  initializers: TensorProto[] = [];
  private current: Graph | null = null;
  private readonly used = new Set<string>();
  /** Readers and outputs of the graph being lowered (for passes that replace a value's producer). */
  private readers = new Map<Tensor, Node[]>();
  private outputSet = new Set<Tensor>();

  constructor(private readonly passes: readonly LowerPass[]) {}

  nameOf(t: Tensor): string {
    return t.name;
  }

  consumers(t: Tensor): readonly Node[] {
    return this.readers.get(t) ?? [];
  }

  isOutput(t: Tensor): boolean {
    return this.outputSet.has(t);
  }

  addInitializer(node: Node): boolean {
    if (node.graph !== this.current || node.graph.parent !== null) return false;
    this.initializers.push(toTensorProto(this.nameOf(node.outputs[0]!), node.attrs.value as HostTensor));
    return true;
  }

  lowerSubgraph(g: Graph): GraphProto {
    // A body output computed by a node of the body is named directly: an Identity there would copy
    // every loop-carried tensor (all weights and optimizer state) on every iteration.
    const seen = new Set<Tensor>();
    const outs = g.outputs.map((t, i) => {
      const direct = t.graph === g && t.producer !== null && !seen.has(t);
      seen.add(t);
      return { name: direct ? this.nameOf(t) : `${g.name}_out${i}_${t.id}`, t, direct };
    });
    return this.lowerGraph(g, outs, new Set());
  }

  lowerGraph(
    g: Graph,
    outputs: { name: string; t: Tensor; direct?: boolean }[],
    bound: ReadonlySet<string>,
  ): GraphProto {
    const saved = { current: this.current, readers: this.readers, outputSet: this.outputSet };
    this.current = g;
    for (const t of g.inputs) this.claim(t.name);
    const live = liveNodes(
      g,
      outputs.map((o) => o.t),
    );
    this.readers = new Map();
    for (const n of g.nodes) {
      if (!live.has(n)) continue;
      const reads = n.op === 'Loop' ? [...n.inputs, ...outerReads(n.attrs.body as Graph)] : n.inputs;
      for (const t of reads) if (t) this.readers.set(t, [...(this.readers.get(t) ?? []), n]);
    }
    this.outputSet = new Set(outputs.map((o) => o.t));
    // Passes first (fusions and rewrites, each node taken at most once), then the 1:1 rules.
    const nodes = g.nodes.filter((n) => live.has(n));
    const rewritten = runPasses(this.passes, nodes, this);
    const node: NodeProto[] = [];
    for (const n of nodes) node.push(...(rewritten.get(n) ?? lowerRules[n.op](n, this)));
    for (const o of outputs) {
      if (o.direct) continue;
      this.claim(o.name);
      node.push({
        input: [this.nameOf(o.t)],
        output: [o.name],
        name: `${o.name}_identity`,
        opType: 'Identity',
        attribute: [],
      });
    }
    ({ current: this.current, readers: this.readers, outputSet: this.outputSet } = saved);
    return {
      name: g.name,
      node,
      initializer: [],
      input: g.inputs.filter((t) => !bound.has(t.name)).map((t) => valueInfo(t.name, t)),
      output: outputs.map((o) => valueInfo(o.name, o.t)),
    };
  }

  private claim(name: string): void {
    if (this.used.has(name)) throw new IRError(`ONNX name ${name} is used twice; rename an input or output`);
    this.used.add(name);
  }
}

/**
 * Lowers a graph to an ONNX ModelProto (plain object): the rewrite passes run over each graph (the
 * main one and Loop bodies) first, then every node they left becomes one ONNX node.
 */
export function lowerToModel(graph: Graph, opts: LowerOptions): ModelProto {
  if (graph.parent) throw new IRError('lowerToModel: give the top-level graph, not a sub-graph');
  const bind = opts.bind ?? {};
  const names = new Set(graph.inputs.map((t) => t.name));
  for (const name of Object.keys(bind))
    if (!names.has(name)) throw new IRError(`bind: graph has no input named ${name}`);
  const lw = new Lowerer(opts.passes ?? lowerPasses);
  const outputs = Object.entries(opts.outputs).map(([name, t]) => ({ name, t }));
  const g = lw.lowerGraph(graph, outputs, new Set(Object.keys(bind)));
  for (const t of graph.inputs) {
    const v = bind[t.name];
    if (v) lw.initializers.push(toTensorProto(t.name, v));
  }
  g.name = opts.name ?? graph.name;
  g.initializer = lw.initializers;
  return {
    irVersion: IR_VERSION,
    opsetImport: [{ domain: '', version: OPSET }],
    producerName: '@vae/core',
    producerVersion: '0',
    docString: opts.docString,
    graph: g,
    metadataProps: Object.entries(opts.metadata ?? {}).map(([key, value]) => ({ key, value })),
  };
}

/** Lowers a graph to ONNX bytes (`.onnx` file contents). */
export function toOnnx(graph: Graph, opts: LowerOptions): Uint8Array {
  return encodeModel(lowerToModel(graph, opts));
}
