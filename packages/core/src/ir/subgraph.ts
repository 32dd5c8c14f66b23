import type { Graph } from './graph';
import type { Tensor } from './tensor';

/** Tensors a sub-graph (a Loop body, and bodies nested in it) reads from enclosing graphs. */
export function outerReads(body: Graph): Tensor[] {
  const out: Tensor[] = [];
  for (const n of body.nodes) {
    for (const t of n.inputs) if (t && t.graph !== body) out.push(t);
    if (n.op === 'Loop') out.push(...outerReads(n.attrs.body as Graph).filter((t) => t.graph !== body));
  }
  for (const t of body.outputs) if (t.graph !== body) out.push(t);
  return out;
}
