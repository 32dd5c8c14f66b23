import { NotDifferentiableError } from '../ir/errors';
import type { Node } from '../ir/graph';
import type { OpName } from '../ir/ops';
import type { Tensor } from '../ir/tensor';
import {
  countOver,
  expandLike,
  keepDims,
  mulCotangent,
  negCotangent,
  reducedAxes,
  reshapeLike,
  unbroadcast,
  zerosLike,
} from './helpers';
import { nnVjpRules } from './vjp-rules-nn';
import type { VjpRule } from './vjp-types';

export type { VjpRule } from './vjp-types';

/** Ops whose outputs carry no gradient (comparisons, shapes, constants): the path stops here. */
export const zeroGradient: VjpRule = (_g, node) => node.inputs.map(() => null);
/** Ops that have no gradient at all: asking for one is an error naming the op. */
export const notDifferentiable: VjpRule = (_g, node) => {
  throw new NotDifferentiableError(node.op);
};

const x0 = (n: Node): Tensor => n.inputs[0]!;
const y0 = (n: Node): Tensor => n.outputs[0]!;
const where = (c: Tensor, a: Tensor | number, b: Tensor | number): Tensor => {
  const g = c.graph;
  const t = (v: Tensor | number) => (typeof v === 'number' ? g.scalar(v) : v);
  return g.apply1('Where', [c, t(a), t(b)]);
};
/** Element-wise rule: the cotangent times a local derivative. */
const elementwise =
  (dydx: (x: Tensor, y: Tensor, node: Node) => Tensor): VjpRule =>
  ([g], node) => [mulCotangent(g!, dydx(x0(node), y0(node), node))];

const matmulVjp: VjpRule = ([g], node, wants) => {
  const [a, b] = node.inputs as [Tensor, Tensor];
  // 1-D operands are promoted to matrices, as MatMul does, then squeezed back.
  const A = a.rank === 1 ? a.unsqueeze([0]) : a;
  const B = b.rank === 1 ? b.unsqueeze([1]) : b;
  let G = g!;
  if (a.rank === 1) G = G.unsqueeze([G.rank - 1]);
  if (b.rank === 1) G = G.unsqueeze([G.rank]);
  const da = wants[0] ? unbroadcast(G.matmul(B.T), A.shape) : null;
  const db = wants[1] ? unbroadcast(A.T.matmul(G), B.shape) : null;
  return [da && a.rank === 1 ? da.squeeze([0]) : da, db && b.rank === 1 ? db.squeeze([1]) : db];
};

const gemmVjp: VjpRule = ([g], node, wants) => {
  const [a, b, c] = node.inputs as [Tensor, Tensor, Tensor | null];
  const { alpha, beta, transA, transB } = node.attrs as Record<string, number>;
  const opB = transB ? b.T : b;
  const opA = transA ? a.T : a;
  const G = alpha === 1 ? g! : g!.mul(alpha!);
  const da = wants[0] ? (transA ? opB.matmul(G.T) : G.matmul(opB.T)) : null;
  const db = wants[1] ? (transB ? G.T.matmul(opA) : opA.T.matmul(G)) : null;
  const dc = c && wants[2] ? unbroadcast(beta === 1 ? g! : g!.mul(beta!), c.shape) : null;
  return [da, db, dc];
};

const reduceAxesOf = (node: Node): number[] => {
  const x = x0(node);
  if (node.op === 'ReduceSum') return reducedAxes(x, node.inputs[1]?.known as number[] | undefined);
  return reducedAxes(x, node.attrs.axes as number[] | undefined);
};

export const vjpRules = {
  Identity: ([g]) => [g!],
  Neg: ([g]) => [negCotangent(g!)],
  Abs: elementwise((x) => x.sign()),
  Sign: zeroGradient,
  Exp: elementwise((_x, y) => y),
  Log: ([g], n) => [g!.div(x0(n))],
  Sqrt: ([g], n) => [g!.div(y0(n).mul(2))],
  Reciprocal: ([g], n) => [g!.mul(y0(n).square()).neg()],
  // The mask reads relu(x) > 0 (the same as x > 0), not x: the pre-activation then has the Relu as
  // its only consumer, and onnxruntime fuses MatMul + Add + Relu into one FusedGemm.
  // (g * Sign(relu(x)) is faster alone, but a whole training step ran 5% slower with it.)
  Relu: ([g], n) => [where(y0(n).greater(0), g!, 0)],
  Sigmoid: elementwise((_x, y) => y.mul(y.rsub(1))),
  Tanh: elementwise((_x, y) => y.square().rsub(1)),
  Softplus: elementwise((x) => x.sigmoid()),
  Cos: elementwise((x) => x.graph.apply1('Sin', [x]).neg()),
  Sin: elementwise((x) => x.graph.apply1('Cos', [x])),
  Floor: zeroGradient,
  LeakyRelu: ([g], n) => [where(x0(n).greater(0), g!, g!.mul(n.attrs.alpha as number))],
  Elu: ([g], n) => [where(x0(n).greater(0), g!, g!.mul(y0(n).add(n.attrs.alpha as number)))],
  Cast: ([g], n) => [x0(n).dtype === 'float32' && y0(n).dtype === 'float32' ? g! : null],
  Add: ([g], n) => [unbroadcast(g!, n.inputs[0]!.shape), unbroadcast(g!, n.inputs[1]!.shape)],
  Sub: ([g], n, w) => [
    unbroadcast(g!, n.inputs[0]!.shape),
    w[1] ? unbroadcast(negCotangent(g!), n.inputs[1]!.shape) : null,
  ],
  Mul: ([g], n, w) => {
    const [a, b] = n.inputs as [Tensor, Tensor];
    return [
      w[0] ? unbroadcast(mulCotangent(g!, b), a.shape) : null,
      w[1] ? unbroadcast(mulCotangent(g!, a), b.shape) : null,
    ];
  },
  Div: ([g], n, w) => {
    const [a, b] = n.inputs as [Tensor, Tensor];
    return [
      w[0] ? unbroadcast(g!.div(b), a.shape) : null,
      w[1] ? unbroadcast(g!.mul(y0(n)).div(b).neg(), b.shape) : null,
    ];
  },
  Pow: ([g], n, w) => {
    const [a, b] = n.inputs as [Tensor, Tensor];
    const da = w[0] ? unbroadcast(g!.mul(b).mul(a.pow(b.sub(1))), a.shape) : null;
    const db = w[1] ? unbroadcast(g!.mul(y0(n)).mul(a.log()), b.shape) : null;
    return [da, db];
  },
  // Ties share the cotangent equally (a subgradient, as PyTorch's maximum does).
  Max: ([g], n) => {
    const masks = n.inputs.map((x) => x!.equal(y0(n)).cast('float32'));
    const count = masks.reduce((s, m) => s.add(m));
    return n.inputs.map((x, i) => unbroadcast(g!.mul(masks[i]!).div(count), x!.shape));
  },
  Min: ([g], n) => {
    const masks = n.inputs.map((x) => x!.equal(y0(n)).cast('float32'));
    const count = masks.reduce((s, m) => s.add(m));
    return n.inputs.map((x, i) => unbroadcast(g!.mul(masks[i]!).div(count), x!.shape));
  },
  Greater: zeroGradient,
  Less: zeroGradient,
  Equal: zeroGradient,
  Where: ([g], n) => {
    const [c, a, b] = n.inputs as [Tensor, Tensor, Tensor];
    return [null, unbroadcast(where(c, g!, 0), a.shape), unbroadcast(where(c, 0, g!), b.shape)];
  },
  // Gradient passes where min <= x <= max (PyTorch's clamp); bounds get none.
  Clip: ([g], n) => {
    const [x, lo, hi] = n.inputs;
    let out = g!;
    if (lo) out = where(x!.less(lo), 0, out);
    if (hi) out = where(x!.greater(hi), 0, out);
    return [out, null, null];
  },
  MatMul: matmulVjp,
  Gemm: gemmVjp,
  Softmax: ([g], n) => {
    const y = y0(n);
    return [y.mul(g!.sub(g!.mul(y).sum([n.attrs.axis as number], true)))];
  },
  LogSoftmax: ([g], n) => [
    g!.sub(
      y0(n)
        .exp()
        .mul(g!.sum([n.attrs.axis as number], true)),
    ),
  ],
  ReduceSum: ([g], n) => {
    if (n.inputs[1] === undefined && n.attrs.noop_with_empty_axes === 1) return [g!, null];
    return [expandLike(keepDims(g!, reduceAxesOf(n), n.attrs.keepdims === 1), x0(n)), null];
  },
  ReduceMean: ([g], n) => {
    const axes = reduceAxesOf(n);
    return [expandLike(keepDims(g!, axes, n.attrs.keepdims === 1).div(countOver(x0(n), axes)), x0(n))];
  },
  ReduceMax: ([g], n) => {
    const axes = reduceAxesOf(n);
    const keep = n.attrs.keepdims === 1;
    const mask = x0(n)
      .equal(keepDims(y0(n), axes, keep))
      .cast('float32');
    return [mask.mul(keepDims(g!, axes, keep).div(mask.sum(axes, true)))];
  },
  ReduceLogSumExp: ([g], n) => {
    const axes = reduceAxesOf(n);
    const keep = n.attrs.keepdims === 1;
    return [
      keepDims(g!, axes, keep).mul(
        x0(n)
          .sub(keepDims(y0(n), axes, keep))
          .exp(),
      ),
    ];
  },
  Shape: zeroGradient,
  Constant: zeroGradient,
  Reshape: ([g], n) => [reshapeLike(g!, x0(n)), null],
  Flatten: ([g], n) => [reshapeLike(g!, x0(n))],
  Transpose: ([g], n) => {
    const perm = (n.attrs.perm as number[] | undefined) ?? x0(n).shape.map((_, i) => x0(n).rank - 1 - i);
    const inv = perm.map((_, i) => perm.indexOf(i));
    return [g!.transpose(inv)];
  },
  Concat: ([g], n) => {
    const axis =
      (n.attrs.axis as number) < 0 ? (n.attrs.axis as number) + x0(n).rank : (n.attrs.axis as number);
    let start = 0;
    return n.inputs.map((x) => {
      const len = x!.shape[axis] as number;
      const part = g!.slice([start], [start + len], [axis]);
      start += len;
      return part;
    });
  },
  Slice: ([g], n) => {
    const x = x0(n);
    const [starts, ends, axesIn, steps] = [1, 2, 3, 4].map((i) => n.inputs[i]?.known as number[] | undefined);
    if (steps?.some((s) => s !== 1))
      throw new NotDifferentiableError('Slice', 'only steps of 1 have a gradient here');
    const axes = (axesIn ?? starts!.map((_, i) => i)).map((a) => (a < 0 ? a + x.rank : a));
    const pads = new Array<number>(2 * x.rank).fill(0);
    axes.forEach((a, i) => {
      const dim = x.shape[a];
      if (typeof dim !== 'number') return; // symbolic dims are only sliced whole
      const clamp = (v: number) => Math.min(Math.max(v < 0 ? v + dim : v, 0), dim);
      const s = clamp(starts![i]!);
      pads[a] = s;
      pads[a + x.rank] = dim - Math.max(clamp(ends![i]!), s);
    });
    return [g!.pad(pads), null, null, null, null];
  },
  // The adjoint of a split is a concatenation; outputs without a cotangent contribute zeros.
  Split: (gs, n) => {
    const parts = n.outputs.map((o, i) => gs[i] ?? zerosLike(o));
    return [n.graph.apply1('Concat', parts, { axis: n.attrs.axis as number }), null];
  },
  Gather: ([g], n) => {
    const [x, idx] = n.inputs as [Tensor, Tensor];
    if ((n.attrs.axis as number) !== 0 || typeof x.shape[0] !== 'number') {
      throw new NotDifferentiableError('Gather', 'only axis 0 of a static-shaped table has a gradient here');
    }
    // d table = onehot(idx)^T @ g: rows of g summed into the rows they were gathered from.
    const V = x.shape[0];
    const arange = x.graph.constant({
      dtype: 'int64',
      shape: [V],
      data: BigInt64Array.from({ length: V }, (_, i) => BigInt(i)),
    });
    const wrapped = where(idx.less(x.graph.scalar(0, 'int64')), idx.add(x.graph.scalar(V, 'int64')), idx);
    const hot = wrapped.unsqueeze([idx.rank]).equal(arange).cast('float32');
    const inner = x.shape.slice(1) as number[];
    const D = inner.reduce((p, d) => p * d, 1);
    if (typeof idx.shape[0] === 'string') {
      // A symbolic batch dim cannot merge with the others: contract per example, then sum over it.
      const per = hot.reshape([0, -1, V]).T.matmul(g!.reshape([0, -1, D]));
      return [per.sum([0]).reshape([V, ...inner]), null];
    }
    const onehot = hot.reshape([-1, V]);
    const g2 = g!.reshape([-1, D]);
    return [onehot.T.matmul(g2).reshape([V, ...inner]), null];
  },
  Expand: ([g], n) => [unbroadcast(g!, x0(n).shape), null],
  Unsqueeze: ([g], n) => [reshapeLike(g!, x0(n)), null],
  Squeeze: ([g], n) => [reshapeLike(g!, x0(n)), null],
  Pad: ([g], n) => {
    const x = x0(n);
    const pads = n.inputs[1]!.known as number[];
    const r = x.rank;
    const starts = pads.slice(0, r);
    const ends = x.shape.map((d, i) => (typeof d === 'number' ? pads[i]! + d : 2 ** 62));
    return [g!.slice(starts, ends), null, null];
  },
  ...nnVjpRules,
  Loop: notDifferentiable,
} satisfies Record<OpName, VjpRule>;
