/** Shape rules of matrix products, normalised exponentials and reductions. */
import { ShapeError } from './errors';
import type { OpName } from './ops';
import { broadcastShapes, type Dim, formatShape, normAxis } from './shape';
import { FLOAT } from './shape-rules-elementwise';
import {
  intAttr,
  intsAttr,
  knownInts,
  req,
  requireDType,
  type ShapeRule,
  sameDType,
  type TensorMeta,
} from './shape-util';

/** Output shape of a reduction over `axes` (empty = all). */
function reduceShape(op: string, x: TensorMeta, axes: readonly number[], keepdims: boolean): Dim[] {
  const norm = new Set(axes.map((a) => normAxis(op, a, x.shape.length)));
  const all = norm.size === 0;
  const out: Dim[] = [];
  x.shape.forEach((d, i) => {
    if (all || norm.has(i)) {
      if (keepdims) out.push(1);
    } else out.push(d);
  });
  return out;
}

const reduceAttr =
  (op: string): ShapeRule =>
  (ins, a) => {
    const x = req(op, ins, 0);
    requireDType(op, x, FLOAT);
    return [
      { dtype: x.dtype, shape: reduceShape(op, x, intsAttr(a, 'axes') ?? [], intAttr(a, 'keepdims') === 1) },
    ];
  };

function matmulShape(a: readonly Dim[], b: readonly Dim[]): Dim[] {
  const op = 'MatMul';
  if (a.length === 0 || b.length === 0) throw new ShapeError(op, 'inputs must have rank >= 1');
  const A = a.length === 1 ? [1, a[0]!] : a;
  const B = b.length === 1 ? [b[0]!, 1] : b;
  const k1 = A[A.length - 1]!;
  const k2 = B[B.length - 2]!;
  if (k1 !== k2) throw new ShapeError(op, `inner dimensions differ: ${formatShape(a)} x ${formatShape(b)}`);
  const batch = broadcastShapes(op, A.slice(0, -2), B.slice(0, -2));
  const out = [...batch, A[A.length - 2]!, B[B.length - 1]!];
  if (a.length === 1) out.splice(out.length - 2, 1);
  if (b.length === 1) out.splice(out.length - 1, 1);
  return out;
}

export const reduceShapeRules = {
  MatMul: (ins) => {
    const [a, b] = [req('MatMul', ins, 0), req('MatMul', ins, 1)];
    requireDType('MatMul', a, FLOAT);
    sameDType('MatMul', a, b);
    return [{ dtype: a.dtype, shape: matmulShape(a.shape, b.shape) }];
  },
  Gemm: (ins, at) => {
    const [a, b] = [req('Gemm', ins, 0), req('Gemm', ins, 1)];
    if (a.shape.length !== 2 || b.shape.length !== 2) {
      throw new ShapeError(
        'Gemm',
        `A and B must be 2-D, got ${formatShape(a.shape)} and ${formatShape(b.shape)}`,
      );
    }
    const [m, k1] = intAttr(at, 'transA') ? [a.shape[1]!, a.shape[0]!] : [a.shape[0]!, a.shape[1]!];
    const [k2, n] = intAttr(at, 'transB') ? [b.shape[1]!, b.shape[0]!] : [b.shape[0]!, b.shape[1]!];
    if (k1 !== k2)
      throw new ShapeError(
        'Gemm',
        `inner dimensions differ: ${formatShape(a.shape)} x ${formatShape(b.shape)}`,
      );
    const c = ins[2];
    if (c) {
      const bc = broadcastShapes('Gemm', [m, n], c.shape);
      if (bc[0] !== m || bc[1] !== n)
        throw new ShapeError('Gemm', `C ${formatShape(c.shape)} does not broadcast to [${m}, ${n}]`);
    }
    return [{ dtype: a.dtype, shape: [m, n] }];
  },
  Softmax: (ins, a) => {
    const x = req('Softmax', ins, 0);
    normAxis('Softmax', intAttr(a, 'axis'), x.shape.length);
    return [{ dtype: x.dtype, shape: x.shape }];
  },
  LogSoftmax: (ins, a) => {
    const x = req('LogSoftmax', ins, 0);
    normAxis('LogSoftmax', intAttr(a, 'axis'), x.shape.length);
    return [{ dtype: x.dtype, shape: x.shape }];
  },
  ReduceSum: (ins, a) => {
    const x = req('ReduceSum', ins, 0);
    requireDType('ReduceSum', x, FLOAT);
    const axes = ins[1] ? knownInts('ReduceSum', ins[1], 'axes') : [];
    if (axes.length === 0 && intAttr(a, 'noop_with_empty_axes') === 1)
      return [{ dtype: x.dtype, shape: x.shape }];
    return [{ dtype: x.dtype, shape: reduceShape('ReduceSum', x, axes, intAttr(a, 'keepdims') === 1) }];
  },
  ReduceMean: reduceAttr('ReduceMean'),
  ReduceMax: reduceAttr('ReduceMax'),
  ReduceLogSumExp: reduceAttr('ReduceLogSumExp'),
} satisfies Partial<Record<OpName, ShapeRule>>;
