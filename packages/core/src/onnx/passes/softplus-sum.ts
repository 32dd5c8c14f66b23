import type { Node } from '../../ir/graph';
import { intsConstant, onnxNode } from '../node-proto';
import type { AttributeProto, NodeProto } from '../onnx-types';
import type { LowerPass, PassContext } from './pass';

/**
 * Pass `softplus-sum`: `ReduceSum(Softplus(x))` over trailing axes, without a per-element Log.
 *
 * softplus(x) = relu(x) - log(sigmoid(|x|)), and a sum of logs is the log of a product:
 *
 *   sum softplus(x) = sum relu(x) - sum_chunks log(prod_chunk sigmoid(|x|))
 *
 * sigmoid(|x|) lies in [1/2, 1], so a product of at most 112 of them stays above 2^-112, a normal
 * float32, and only one Log per chunk is left. onnxruntime's CPU Log is scalar and single-threaded
 * (~115 us for a 128 x 784 batch, the cost of ten vectorised ops), and a Bernoulli likelihood sums
 * exactly this over every pixel of every training step. The product rounds like the sum of logs it
 * replaces (about 112 float32 roundings per chunk). Gradients are unaffected: they come from the IR,
 * where Softplus and ReduceSum stay two ops (d softplus = sigmoid).
 */

/** Longest chunk: 0.5^112 > 2^-126, float32's smallest normal. */
export const MAX_CHUNK = 112;

/** How a ReduceSum over a Softplus is fused, or null when it is not (see {@link softplusSumPlan}). */
export interface SoftplusSumPlan {
  readonly softplus: Node;
  /** Leading (kept) axes of the Softplus input, and the reduced element count per row. */
  readonly lead: number;
  readonly count: number;
  readonly chunk: number;
  readonly keepdims: boolean;
}

/** Largest divisor of n that is at most `limit`. */
const chunkOf = (n: number, limit: number) => {
  for (let c = Math.min(n, limit); c > 1; c--) if (n % c === 0) return c;
  return 1;
};

/**
 * The fusion plan for ReduceSum node `sum`: its input is a Softplus read by nothing else (and not a
 * graph output), summed over static trailing axes.
 */
export function softplusSumPlan(sum: Node, ctx: PassContext): SoftplusSumPlan | null {
  if (sum.op !== 'ReduceSum') return null;
  const x = sum.inputs[0]!;
  const sp = x.producer;
  if (sp?.op !== 'Softplus' || x.dtype !== 'float32') return null;
  const readers = ctx.consumers(x);
  if (readers.length !== 1 || readers[0] !== sum || ctx.isOutput(x)) return null;
  const axesIn = sum.inputs[1]?.known as number[] | undefined;
  if (!axesIn?.length) return null;
  const r = x.rank;
  const axes = [...new Set(axesIn.map((a) => (a < 0 ? a + r : a)))].sort((a, b) => a - b);
  const lead = r - axes.length;
  if (axes.some((a, i) => a !== lead + i)) return null; // trailing axes only
  const dims = x.shape.slice(lead);
  if (!dims.every((d): d is number => typeof d === 'number')) return null;
  const count = dims.reduce((p, d) => p * d, 1);
  const chunk = chunkOf(count, MAX_CHUNK);
  if (count < 2 || chunk < 2) return null;
  return { softplus: sp, lead, count, chunk, keepdims: (sum.attrs.keepdims ?? 1) === 1 };
}

/** The fused ONNX nodes for `sum` (its plan from {@link softplusSumPlan}). */
export function lowerSoftplusSum(sum: Node, plan: SoftplusSumPlan, ctx: PassContext): NodeProto[] {
  const x = ctx.nameOf(plan.softplus.inputs[0]!);
  const y = ctx.nameOf(sum.outputs[0]!);
  const p = `${y}_sps`;
  const n = onnxNode;
  const ints = intsConstant;
  const keep: AttributeProto = { name: 'keepdims', type: 'int', i: plan.keepdims ? 1 : 0 };
  const drop: AttributeProto = { name: 'keepdims', type: 'int', i: 0 };
  const reduced = Array.from({ length: sum.inputs[0]!.rank - plan.lead }, (_, i) => plan.lead + i);
  const out: NodeProto[] = [
    // sum relu(x), over the original axes
    n('Relu', [x], `${p}_relu`),
    n('ReduceSum', [`${p}_relu`, ctx.nameOf(sum.inputs[1]!)], `${p}_relu_sum`, [keep]),
    // sum log sigmoid(|x|), as logs of chunk products: [lead..., count] -> [lead..., count/chunk, chunk]
    n('Abs', [x], `${p}_abs`),
    n('Sigmoid', [`${p}_abs`], `${p}_sig`),
    ints(`${p}_shape`, [...Array(plan.lead).fill(0), plan.count / plan.chunk, plan.chunk]),
    n('Reshape', [`${p}_sig`, `${p}_shape`], `${p}_chunks`),
    n('ReduceProd', [`${p}_chunks`], `${p}_prod`, [{ name: 'axes', type: 'ints', ints: [-1] }, drop]),
    n('Log', [`${p}_prod`], `${p}_log`),
    ints(`${p}_last`, [-1]),
    n('ReduceSum', [`${p}_log`, `${p}_last`], `${p}_log_sum`, [drop]),
  ];
  let logSum = `${p}_log_sum`;
  if (plan.keepdims) {
    out.push(ints(`${p}_kept`, reduced), n('Unsqueeze', [logSum, `${p}_kept`], `${p}_log_kept`));
    logSum = `${p}_log_kept`;
  }
  out.push(n('Sub', [`${p}_relu_sum`, logSum], y));
  return out;
}

/** The pass: a ReduceSum with a plan becomes the fused nodes, and absorbs its Softplus. */
export const softplusSum: LowerPass = {
  name: 'softplus-sum',
  match(node, ctx) {
    const plan = softplusSumPlan(node, ctx);
    return plan && { nodes: lowerSoftplusSum(node, plan, ctx), absorbs: [plan.softplus] };
  },
};
