/** Op cases of matrix products, normalised exponentials and reductions. */
import type { OpName } from '../ir/ops';
import type { OpCase } from './harness';
import { bin, s, sym, un } from './op-case-builders';

export const reduceOpCases = {
  MatMul: [
    bin('MatMul 2d', s(3, 4), s(4, 5), (x, y) => x.matmul(y)),
    bin('MatMul batch', sym(6, 4), s(4, 3), (x, y) => x.matmul(y)),
    bin('MatMul 3d x 2d', s(2, 3, 4), s(4, 5), (x, y) => x.matmul(y)),
    bin('MatMul broadcast batch', s(2, 1, 3, 4), s(3, 4, 2), (x, y) => x.matmul(y)),
    bin('MatMul vec', s(4), s(4, 3), (x, y) => x.matmul(y)),
    bin('MatMul mat-vec', s(3, 4), s(4), (x, y) => x.matmul(y)),
  ],
  Gemm: [
    {
      name: 'Gemm',
      inputs: [s(3, 4), s(4, 5), s(5)],
      build: (g, [a, b, c]) => g.apply1('Gemm', [a!, b!, c!]),
    },
    {
      name: 'Gemm transposed scaled',
      inputs: [s(4, 3), s(5, 4), s(3, 1)],
      build: (g, [a, b, c]) => g.apply1('Gemm', [a!, b!, c!], { transA: 1, transB: 1, alpha: 0.5, beta: 2 }),
    },
    { name: 'Gemm no C', inputs: [s(3, 4), s(4, 2)], build: (g, [a, b]) => g.apply1('Gemm', [a!, b!]) },
  ],
  Softmax: [un('Softmax', s(3, 5), (x) => x.softmax()), un('Softmax axis0', s(3, 5), (x) => x.softmax(0))],
  LogSoftmax: [
    un('LogSoftmax', sym(4, 5), (x) => x.logSoftmax()),
    un('LogSoftmax 3d', s(2, 3, 4), (x) => x.logSoftmax(1)),
  ],
  ReduceSum: [
    un('ReduceSum all', s(3, 4), (x) => x.sum()),
    un('ReduceSum axis keep', s(2, 3, 4), (x) => x.sum([1], true)),
    un('ReduceSum batch', sym(5, 3), (x) => x.sum([1])),
    un('ReduceSum over batch', sym(5, 3), (x) => x.sum([0])),
    // ReduceSum(Softplus) over trailing axes lowers fused (onnx/passes/softplus-sum.ts): logs of chunk products.
    un(
      'ReduceSum of Softplus, fused (7 chunks of 112), x in [-30, 30]',
      { shape: [3, 784], gen: Array.from({ length: 3 * 784 }, (_, i) => (((i * 37) % 601) - 300) / 10) },
      (x) => x.softplus().sum([-1]),
    ),
    un('ReduceSum of Softplus, fused over 3 axes, kept, batch N', sym(2, 1, 4, 7), (x) =>
      x.softplus().sum([1, 2, 3], true),
    ),
    un('ReduceSum of Softplus, fused, prime count 13', s(4, 13), (x) => x.softplus().sum([-1])),
    un('ReduceSum of a Softplus read twice (not fused)', s(3, 8), (x) => {
      const y = x.softplus();
      return y.sum([-1]).add(y.sum([-1], false).mul(2));
    }),
    un('ReduceSum of Softplus over a leading axis (not fused)', s(6, 5), (x) => x.softplus().sum([0])),
  ],
  ReduceMean: [
    un('ReduceMean', s(2, 3, 4), (x) => x.mean([0, 2])),
    un('ReduceMean batch', sym(5, 3), (x) => x.mean([0])),
  ],
  ReduceMax: [
    un('ReduceMax', s(3, 4), (x) => x.max([1])),
    un('ReduceMax keep', s(2, 3, 4), (x) => x.max([0, 2], true)),
  ],
  ReduceLogSumExp: [
    un('ReduceLogSumExp', s(3, 4), (x) => x.logSumExp([1])),
    un('ReduceLogSumExp big', { shape: [3], gen: [1000, 1001, 999] }, (x) => x.logSumExp(), false),
  ],
} satisfies Partial<Record<OpName, OpCase[]>>;
