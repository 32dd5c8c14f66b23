import type { Node } from '../../ir/graph';
import type { Tensor } from '../../ir/tensor';
import type { NodeProto } from '../onnx-types';

/** What a pass can ask of the lowerer about the graph being lowered. */
export interface PassContext {
  nameOf(t: Tensor): string;
  /** The live nodes of the graph being lowered that read `t` (a Loop reading it from its body counts). */
  consumers(t: Tensor): readonly Node[];
  /** Whether `t` is an output of the graph being lowered. */
  isOutput(t: Tensor): boolean;
}

/**
 * A match: the ONNX nodes that stand for `root` (written where `root` would be), and the nodes it
 * absorbs (written as nothing: the replacement computes what they fed to `root`).
 */
export interface Rewrite {
  readonly nodes: NodeProto[];
  readonly absorbs: readonly Node[];
}

/**
 * A rewrite pass over one graph before lowering (a fusion, or an op written as several ONNX ops).
 * `match` is offered every live node not yet taken by an earlier pass, in graph order; the nodes a
 * pass does not take are lowered 1:1 by the lowering rules (lower-rules.ts).
 */
export interface LowerPass {
  readonly name: string;
  match(root: Node, ctx: PassContext): Rewrite | null;
}

/** What the passes decided for one graph: per node, its ONNX nodes (empty when absorbed). */
export type Rewritten = ReadonlyMap<Node, readonly NodeProto[]>;

/** Runs `passes` in order over the live `nodes` of one graph. */
export function runPasses(passes: readonly LowerPass[], nodes: readonly Node[], ctx: PassContext): Rewritten {
  const out = new Map<Node, readonly NodeProto[]>();
  for (const pass of passes) {
    for (const node of nodes) {
      if (out.has(node)) continue;
      const r = pass.match(node, ctx);
      if (!r || r.absorbs.some((n) => out.has(n))) continue;
      out.set(node, r.nodes);
      for (const n of r.absorbs) out.set(n, []);
    }
  }
  return out;
}
