import type { HostTensor } from '../ir/dtype';
import type { Graph, Node } from '../ir/graph';
import { type AttrKind, type AttrValue, type OpName, ops } from '../ir/ops';
import type { Tensor } from '../ir/tensor';
import type { AttributeProto, GraphProto, NodeProto } from './onnx-types';
import { toTensorProto } from './tensor-proto';

/** What a lowering rule can ask of the lowerer. */
export interface LowerContext {
  nameOf(t: Tensor): string;
  lowerSubgraph(g: Graph): GraphProto;
  /** Main-graph constants become initializers; returns true when it took the node. */
  addInitializer(node: Node): boolean;
}

export type LowerRule = (node: Node, ctx: LowerContext) => NodeProto[];

function attribute(name: string, kind: AttrKind, v: AttrValue, ctx: LowerContext): AttributeProto {
  switch (kind) {
    case 'int':
      return { name, type: 'int', i: v as number };
    case 'float':
      return { name, type: 'float', f: v as number };
    case 'ints':
      return { name, type: 'ints', ints: [...(v as number[])] };
    case 'floats':
      return { name, type: 'floats', floats: [...(v as number[])] };
    case 'string':
      return { name, type: 'string', s: v as string };
    case 'tensor':
      return { name, type: 'tensor', t: toTensorProto('', v as HostTensor) };
    case 'graph':
      return { name, type: 'graph', g: ctx.lowerSubgraph(v as Graph) };
  }
}

/** The common case: one ONNX node of the same name, attributes typed by the op table. */
export const sameName: LowerRule = (node, ctx) => {
  const specs = ops[node.op].attrs as Record<string, { kind: AttrKind; default?: AttrValue }>;
  const attribute_: AttributeProto[] = [];
  for (const [name, v] of Object.entries(node.attrs)) {
    const spec = specs[name]!;
    // Defaults are left implicit, and empty lists mean "absent" (e.g. Conv pads).
    if (Array.isArray(v) && v.length === 0) continue;
    if (spec.default !== undefined && spec.default === v) continue;
    attribute_.push(attribute(name, spec.kind, v, ctx));
  }
  return [
    {
      input: node.inputs.map((t) => (t ? ctx.nameOf(t) : '')),
      output: node.outputs.map((t) => ctx.nameOf(t)),
      name: node.outputs[0] ? `${ctx.nameOf(node.outputs[0])}_node` : node.op,
      opType: node.op,
      attribute: attribute_,
    },
  ];
};

const constantRule: LowerRule = (node, ctx) => (ctx.addInitializer(node) ? [] : sameName(node, ctx));

/**
 * IR op -> ONNX node, 1:1: every op lowers to the ONNX op of its name, and main-graph constants
 * become initializers. Rewrites (fusions, an op written as several ONNX ops) are passes that run
 * before these rules (passes/), not special cases here.
 */
const special: Partial<Record<OpName, LowerRule>> = { Constant: constantRule };
export const lowerRules = Object.fromEntries(
  (Object.keys(ops) as OpName[]).map((op) => [op, special[op] ?? sameName]),
) as Record<OpName, LowerRule> satisfies Record<OpName, LowerRule>;
