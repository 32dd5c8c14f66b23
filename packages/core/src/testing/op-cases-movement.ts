/** Op cases of shape and data-movement ops (Shape, Constant, Reshape ... Pad). */
import type { OpName } from '../ir/ops';
import type { OpCase } from './harness';
import { s, sym, un } from './op-case-builders';

export const movementOpCases = {
  Shape: [un('Shape', sym(3, 2), (x) => x.shapeOf().cast('float32'), false)],
  Constant: [
    un('Constant', s(2), (x) =>
      x.add(x.graph.constant({ dtype: 'float32', shape: [2], data: Float32Array.of(1.5, -2) })),
    ),
  ],
  Reshape: [
    un('Reshape', s(2, 6), (x) => x.reshape([3, -1])),
    un('Reshape batch', sym(4, 6), (x) => x.reshape([-1, 2, 3])),
    un('Reshape copy dim', sym(4, 6), (x) => x.reshape([0, 3, 2])),
  ],
  Flatten: [
    un('Flatten', sym(2, 3, 4), (x) => x.flatten()),
    un('Flatten axis2', s(2, 3, 4), (x) => x.flatten(2)),
  ],
  Transpose: [
    un('Transpose', s(2, 3, 4), (x) => x.transpose([2, 0, 1])),
    un('Transpose default', s(3, 4), (x) => x.transpose()),
  ],
  Concat: [
    {
      name: 'Concat',
      inputs: [s(2, 3), s(2, 1), s(2, 2)],
      build: (g, xs) => g.apply1('Concat', xs, { axis: 1 }),
    },
    {
      name: 'Concat batch',
      inputs: [sym(4, 3), sym(4, 2)],
      build: (g, xs) => g.apply1('Concat', xs, { axis: -1 }),
    },
  ],
  Slice: [
    un('Slice', s(4, 5), (x) => x.slice([1, 0], [3, 4])),
    un('Slice neg', s(4, 5), (x) => x.slice([-3], [100], [1])),
    un('Slice batch', sym(4, 5), (x) => x.slice([1], [4], [1])),
    un('Slice step', s(6), (x) => x.slice([5], [0], [0], [-2]), false),
  ],
  Split: [
    {
      name: 'Split uneven, one output unused',
      inputs: [s(3, 7)],
      // Concat in another order, leaving out the middle part: its cotangent is zero.
      build: (g, [x]) => {
        const [a, , c] = g.apply('Split', [x!, g.ints([2, 1, 4])], { axis: 1 });
        return g.apply1('Concat', [c!, a!.mul(2)], { axis: 1 });
      },
    },
    {
      name: 'Split batch steps',
      inputs: [sym(2, 3, 4)],
      build: (g, [x]) => g.apply('Split', [x!, g.ints([1, 1, 1])], { axis: -2 }),
    },
  ],
  Gather: [
    {
      name: 'Gather rows',
      inputs: [s(5, 3), { shape: [4], gen: [0, 3, 3, -1], dtype: 'int64' }],
      build: (_g, [x, i]) => x!.gather(i!),
    },
    {
      name: 'Gather 2d idx',
      inputs: [s(4, 2), { shape: [2, 3], gen: { ints: [0, 4] } }],
      build: (_g, [x, i]) => x!.gather(i!),
    },
    {
      // Ids with a symbolic batch (an embedding lookup): the VJP contracts per example.
      name: 'Gather batch ids',
      inputs: [{ shape: [3, 2], declared: ['N', 2], gen: { ints: [-4, 4] } }, s(4, 2)],
      build: (_g, [i, x]) => x!.gather(i!),
    },
    {
      name: 'Gather axis1',
      inputs: [s(3, 4), { shape: [2], gen: [1, 3], dtype: 'int64' }],
      build: (_g, [x, i]) => x!.gather(i!, 1),
      grad: false,
    },
  ],
  Expand: [
    un('Expand', s(3, 1), (x) => x.expand([2, 3, 4])),
    un('Expand shape of', s(1, 3), (x) => x.expand(x.graph.ints([4, 3]))),
  ],
  Unsqueeze: [un('Unsqueeze', s(3, 4), (x) => x.unsqueeze([0, -1]))],
  Squeeze: [
    un('Squeeze', s(3, 1, 4, 1), (x) => x.squeeze([1])),
    un('Squeeze all', s(1, 3, 1), (x) => x.squeeze()),
  ],
  Pad: [un('Pad', s(2, 3), (x) => x.pad([1, 0, 0, 2], 0.5))],
} satisfies Partial<Record<OpName, OpCase[]>>;
