import { IRError } from '../ir/errors';
import type { Graph, Node } from '../ir/graph';
import type { Tensor } from '../ir/tensor';
import { zerosLike } from './helpers';
import { type VjpRule, vjpRules } from './vjp-rules';

/** Nodes of `graph` on some path from a `wrt` tensor to `loss`, in graph order. */
function pathNodes(graph: Graph, loss: Tensor, wrt: readonly Tensor[]): Node[] {
  const fromWrt = new Set<number>(wrt.map((t) => t.id));
  const forward = graph.nodes.filter((n) => {
    const hit = n.inputs.some((t) => t && fromWrt.has(t.id));
    if (hit) for (const o of n.outputs) fromWrt.add(o.id);
    return hit;
  });
  const toLoss = new Set<number>([loss.id]);
  const path: Node[] = [];
  for (let i = forward.length - 1; i >= 0; i--) {
    const n = forward[i]!;
    if (n.outputs.some((o) => toLoss.has(o.id))) {
      path.push(n);
      for (const t of n.inputs) if (t) toLoss.add(t.id);
    }
  }
  return path.reverse();
}

/**
 * Reverse-mode gradient: builds, in the same graph, d(loss)/d(w) for each `w` in `wrt`.
 * `loss` must be a float32 scalar unless a `seed` cotangent of its shape is given. Fan-out is
 * accumulated with Add; broadcasting is undone by each rule; inputs the loss does not depend on
 * get zeros.
 */
export function grad(loss: Tensor, wrt: readonly Tensor[], seed?: Tensor): Tensor[] {
  const graph = loss.graph;
  if (loss.dtype !== 'float32') throw new IRError(`grad: loss must be float32, got ${loss.dtype}`);
  if (!seed && loss.rank !== 0)
    throw new IRError(`grad: loss must be a scalar (got rank ${loss.rank}); pass a seed cotangent`);
  for (const w of wrt) {
    if (w.graph !== graph) throw new IRError(`grad: ${w.name} is not in the loss's graph`);
    if (w.dtype !== 'float32')
      throw new IRError(`grad: cannot differentiate with respect to ${w.dtype} ${w.name}`);
  }
  const cot = new Map<number, Tensor>();
  const accumulate = (t: Tensor, g: Tensor) => {
    const prev = cot.get(t.id);
    cot.set(t.id, prev ? prev.add(g) : g);
  };
  accumulate(loss, seed ?? graph.scalar(1));
  const path = pathNodes(graph, loss, wrt);
  const onPath = new Set<number>(wrt.map((t) => t.id));
  for (const n of path) for (const o of n.outputs) onPath.add(o.id);
  for (let i = path.length - 1; i >= 0; i--) {
    const node = path[i]!;
    const gs = node.outputs.map((o) => cot.get(o.id) ?? null);
    if (gs.every((g) => g === null)) continue;
    const wants = node.inputs.map((t) => t !== null && t.dtype === 'float32' && onPath.has(t.id));
    if (!wants.some(Boolean)) continue;
    const rule = vjpRules[node.op] as VjpRule;
    const ins = rule(gs, node, wants);
    node.inputs.forEach((t, k) => {
      const g = ins[k];
      if (t && g && wants[k]) accumulate(t, g);
    });
  }
  return wrt.map((w) => cot.get(w.id) ?? zerosLike(w));
}
