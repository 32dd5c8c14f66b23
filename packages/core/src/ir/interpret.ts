import type { HostTensor } from './dtype';
import { FeedError, IRError } from './errors';
import type { Graph, Node } from './graph';
import { type KernelContext, kernels } from './kernels/index';
import type { Kernel } from './kernels/kernel';
import { formatShape } from './shape';
import { outerReads } from './subgraph';
import type { Tensor } from './tensor';

/** Values known in one scope; sub-graphs chain to their parent's scope (outer-scope reads). */
class Scope {
  readonly values = new Map<number, HostTensor>();
  constructor(readonly parent: Scope | null) {}
  get(t: Tensor): HostTensor | undefined {
    return this.values.get(t.id) ?? this.parent?.get(t);
  }
}

/** The nodes of `graph` that `targets` depend on, in graph order. */
function needed(graph: Graph, targets: readonly Tensor[]): Node[] {
  const want = new Set<Node>();
  const stack = targets.map((t) => t.producer).filter((n): n is Node => n !== null && n.graph === graph);
  while (stack.length) {
    const n = stack.pop()!;
    if (want.has(n)) continue;
    want.add(n);
    for (const t of n.inputs) if (t?.producer && t.producer.graph === graph) stack.push(t.producer);
    // a Loop body may read this graph's tensors
    if (n.op === 'Loop')
      for (const t of outerReads(n.attrs.body as Graph))
        if (t.producer?.graph === graph) stack.push(t.producer);
  }
  return graph.nodes.filter((n) => want.has(n));
}

function checkFeed(input: Tensor, value: HostTensor | undefined, symbols: Map<string, number>): HostTensor {
  if (!value) throw new FeedError(`missing feed for input ${input.name}`);
  if (value.dtype !== input.dtype)
    throw new FeedError(`input ${input.name}: expected ${input.dtype}, got ${value.dtype}`);
  const bad = () =>
    new FeedError(
      `input ${input.name}: expected shape ${formatShape(input.shape)}, got ${formatShape(value.shape)}`,
    );
  if (value.shape.length !== input.shape.length) throw bad();
  input.shape.forEach((d, i) => {
    const got = value.shape[i]!;
    if (typeof d === 'number' && d !== got) throw bad();
    if (typeof d === 'string') {
      if (symbols.has(d) && symbols.get(d) !== got) {
        throw new FeedError(
          `input ${input.name}: dim ${d} is ${got} here but ${symbols.get(d)} in another input`,
        );
      }
      symbols.set(d, got);
    }
  });
  return value;
}

function runGraph(
  graph: Graph,
  targets: readonly Tensor[],
  inputs: readonly HostTensor[],
  parent: Scope | null,
): HostTensor[] {
  const scope = new Scope(parent);
  graph.inputs.forEach((t, i) => scope.values.set(t.id, inputs[i]!));
  const ctx: KernelContext = { runSubgraph: (g, ins) => runGraph(g, g.outputs, ins, scope) };
  for (const node of needed(graph, targets)) {
    const ins = node.inputs.map((t) => {
      if (!t) return null;
      const v = scope.get(t);
      if (!v)
        throw new IRError(`${node.op}: input ${t.name} has no value (not fed, or from an unrelated graph)`);
      return v;
    });
    const kernel = kernels[node.op] as Kernel;
    const outs = kernel(ins, node.attrs, ctx);
    node.outputs.forEach((t, i) => scope.values.set(t.id, outs[i]!));
  }
  return targets.map((t) => {
    const v = scope.get(t);
    if (!v) throw new IRError(`output ${t.name} was not computed`);
    return v;
  });
}

/**
 * The reference interpreter: evaluates `outputs` of `graph` on the host, in float64 arithmetic
 * rounded to float32 after each op. Slow and exact; the oracle every backend is tested against.
 */
export function interpret(
  graph: Graph,
  outputs: readonly Tensor[],
  feeds: Readonly<Record<string, HostTensor>>,
): HostTensor[] {
  const symbols = new Map<string, number>();
  const used = new Set(graph.inputs.map((t) => t.name));
  for (const name of Object.keys(feeds)) if (!used.has(name)) throw new FeedError(`unknown feed ${name}`);
  const reach = new Set<number>(outputs.map((t) => t.id));
  for (const n of needed(graph, outputs))
    for (const t of [...n.inputs, ...(n.op === 'Loop' ? outerReads(n.attrs.body as Graph) : [])])
      if (t) reach.add(t.id);
  // inputs the outputs do not depend on may be left unfed
  const inputs = graph.inputs.map((t) =>
    reach.has(t.id) || feeds[t.name] ? checkFeed(t, feeds[t.name], symbols) : (null as unknown as HostTensor),
  );
  return runGraph(graph, outputs, inputs, null);
}
