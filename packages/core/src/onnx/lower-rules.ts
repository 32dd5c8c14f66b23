import type { HostTensor } from '../ir/dtype';
import type { Graph, Node } from '../ir/graph';
import { type AttrKind, type AttrValue, type OpName, ops } from '../ir/ops';
import { onnxNode } from './node-proto';
import type { AttributeProto, GraphProto, NodeProto } from './onnx-types';
import { lowerSoftplusSum, softplusSumPlan } from './softplus-sum';
import { toTensorProto } from './tensor-proto';

/** What a lowering rule can ask of the lowerer. */
export interface LowerContext {
  nameOf(t: import('../ir/tensor').Tensor): string;
  /** The lowered nodes of the current graph that read `t` (a Loop reading it from its body counts). */
  consumers(t: import('../ir/tensor').Tensor): readonly Node[];
  /** Whether `t` is an output of the graph being lowered. */
  isOutput(t: import('../ir/tensor').Tensor): boolean;
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
 * Softplus as Relu(x) - Log(Sigmoid(|x|)): stable in both tails (Sigmoid(|x|) lies in [1/2, 1], so
 * the Log never sees 0 and rounds like log(1 + exp(-|x|)) does), faster than onnxruntime's Softplus
 * kernel on CPU, and two ops shorter than Relu(x) + Log(1 + Exp(-|x|)) (onnxruntime's Sigmoid is
 * vectorised). The IR keeps one Softplus op so its gradient is a single Sigmoid.
 */
const softplusRule: LowerRule = (node, ctx) => {
  // Summed by a ReduceSum that lowers both together (softplus-sum.ts): nothing to emit here.
  const readers = ctx.consumers(node.outputs[0]!);
  if (readers.length === 1 && softplusSumPlan(readers[0]!, ctx)) return [];
  const x = ctx.nameOf(node.inputs[0]!);
  const y = ctx.nameOf(node.outputs[0]!);
  const n = onnxNode;
  return [
    n('Relu', [x], `${y}_sp_relu`),
    n('Abs', [x], `${y}_sp_abs`),
    n('Sigmoid', [`${y}_sp_abs`], `${y}_sp_sig`),
    n('Log', [`${y}_sp_sig`], `${y}_sp_log`),
    n('Sub', [`${y}_sp_relu`, `${y}_sp_log`], y),
  ];
};

const reduceSumRule: LowerRule = (node, ctx) => {
  const plan = softplusSumPlan(node, ctx);
  return plan ? lowerSoftplusSum(node, plan, ctx) : sameName(node, ctx);
};

/**
 * IR op -> ONNX nodes. Every op lowers 1:1 except Softplus (a faster, stable composite) and a
 * ReduceSum of a Softplus over trailing axes (fused, without a per-element Log: softplus-sum.ts).
 */
const special: Partial<Record<OpName, LowerRule>> = {
  Constant: constantRule,
  Softplus: softplusRule,
  ReduceSum: reduceSumRule,
};
export const lowerRules = Object.fromEntries(
  (Object.keys(ops) as OpName[]).map((op) => [op, special[op] ?? sameName]),
) as Record<OpName, LowerRule> satisfies Record<OpName, LowerRule>;
