/**
 * Test cases for every op, keyed by op name: `satisfies Record<OpName, ...>` means an op added
 * to the table without cases does not compile. Each case runs on the interpreter and on
 * onnxruntime-node, and (unless `grad: false`) its VJP is checked by finite differences.
 */
import { loop } from '../ir/loop';
import type { OpName } from '../ir/ops';
import type { Tensor } from '../ir/tensor';
import type { InputSpec, OpCase } from './harness';

const s = (...shape: number[]): InputSpec => ({ shape });
const sym = (...shape: number[]): InputSpec => ({ shape, declared: ['N', ...shape.slice(1)] });
const pos = (...shape: number[]): InputSpec => ({ shape, gen: 'positive' });
const away = (...shape: number[]): InputSpec => ({ shape, gen: 'awayFromZero' });
const un = (name: string, shape: InputSpec, f: (x: Tensor) => Tensor, grad = true): OpCase => ({
  name,
  inputs: [shape],
  build: (_g, [x]) => f(x!),
  grad,
});
const bin = (
  name: string,
  a: InputSpec,
  b: InputSpec,
  f: (x: Tensor, y: Tensor) => Tensor,
  grad: OpCase['grad'] = true,
): OpCase => ({
  name,
  inputs: [a, b],
  build: (_g, [x, y]) => f(x!, y!),
  grad,
});

/** The broadcasting cases every binary element-wise op is tried on. */
const broadcastPairs: [string, InputSpec, InputSpec][] = [
  ['same', s(3, 4), s(3, 4)],
  ['row', s(3, 4), s(4)],
  ['col', s(3, 1), s(1, 4)],
  ['scalar', s(2, 3, 4), s()],
  ['batch', sym(5, 3), s(1, 3)],
];
const binaryCases = (
  op: OpName,
  f: (x: Tensor, y: Tensor) => Tensor,
  b?: (spec: InputSpec) => InputSpec,
): OpCase[] => broadcastPairs.map(([n, x, y]) => bin(`${op} ${n}`, x, b ? b(y) : y, f));

const _ints = (values: number[]): InputSpec => ({
  shape: [values.length],
  gen: values,
  dtype: 'int64',
  constant: true,
});

export const opCases = {
  Identity: [un('Identity', s(3, 4), (x) => x.identity())],
  Neg: [un('Neg', sym(4, 3), (x) => x.neg())],
  Abs: [un('Abs', away(3, 4), (x) => x.abs())],
  Sign: [un('Sign', away(3, 4), (x) => x.sign(), false)],
  Exp: [un('Exp', s(3, 4), (x) => x.exp())],
  Log: [un('Log', pos(3, 4), (x) => x.log())],
  Sqrt: [un('Sqrt', pos(3, 4), (x) => x.sqrt())],
  Reciprocal: [un('Reciprocal', pos(3, 4), (x) => x.reciprocal())],
  Relu: [
    un('Relu', away(3, 4), (x) => x.relu()),
    un('Relu batch', { ...away(5, 2), declared: ['N', 2] }, (x) => x.relu()),
  ],
  Sigmoid: [
    un('Sigmoid', s(3, 4), (x) => x.sigmoid()),
    un('Sigmoid extreme', { shape: [4], gen: [-90, -20, 20, 90] }, (x) => x.sigmoid(), false),
  ],
  Tanh: [un('Tanh', s(3, 4), (x) => x.tanh())],
  Softplus: [
    un('Softplus op', s(3, 4), (x) => x.graph.apply1('Softplus', [x])),
    un(
      'Softplus tails (lowered as Relu(x) - Log(Sigmoid(|x|)))',
      { shape: [12], gen: [-80, -20, -9, -3, -0.5, 0, 0.5, 3, 9, 16, 20, 80] },
      (x) => x.softplus(),
    ),
  ],
  Cos: [un('Cos', s(3, 4), (x) => x.cos())],
  Sin: [un('Sin', s(3, 4), (x) => x.sin())],
  Floor: [un('Floor', { shape: [5], gen: [-1.5, -0.2, 0.3, 2.7, 4] }, (x) => x.floor(), false)],
  LeakyRelu: [un('LeakyRelu', away(3, 4), (x) => x.leakyRelu(0.2))],
  Elu: [un('Elu', away(3, 4), (x) => x.elu(0.7))],
  Cast: [
    un('Cast f->f', s(3), (x) => x.cast('float32')),
    {
      name: 'Cast i64->f',
      inputs: [{ shape: [4], gen: { ints: [-5, 5] } }],
      build: (_g, [x]) => x!.cast('float32'),
      grad: false,
    },
    {
      name: 'Cast bool->f',
      inputs: [{ shape: [4], gen: 'bool' }],
      build: (_g, [x]) => x!.cast('float32'),
      grad: false,
    },
  ],
  Add: binaryCases('Add', (x, y) => x.add(y)),
  Sub: binaryCases('Sub', (x, y) => x.sub(y)),
  Mul: binaryCases('Mul', (x, y) => x.mul(y)),
  Div: binaryCases(
    'Div',
    (x, y) => x.div(y),
    (spec) => ({ ...spec, gen: 'positive' }),
  ),
  Pow: [
    bin('Pow', pos(3, 4), s(3, 4), (x, y) => x.pow(y)),
    bin('Pow row', pos(3, 4), { shape: [4], gen: 'positive' }, (x, y) => x.pow(y)),
    un('Pow const', pos(3), (x) => x.pow(2)),
  ],
  Max: [
    bin('Max', s(3, 4), s(4), (x, y) => x.maximum(y)),
    bin('Max batch', sym(5, 2), s(2), (x, y) => x.maximum(y)),
  ],
  Min: [bin('Min', s(3, 4), s(3, 1), (x, y) => x.minimum(y))],
  Greater: [bin('Greater', s(3, 4), s(4), (x, y) => x.greater(y).cast('float32'), false)],
  Less: [bin('Less', s(3, 4), s(4), (x, y) => x.less(y).cast('float32'), false)],
  Equal: [
    bin(
      'Equal',
      { shape: [6], gen: { ints: [0, 3] } },
      { shape: [6], gen: { ints: [0, 3] } },
      (x, y) => x.equal(y).cast('float32'),
      false,
    ),
  ],
  Where: [
    {
      name: 'Where broadcast',
      inputs: [{ shape: [3, 4], gen: 'bool' }, s(3, 4), s(4)],
      build: (g, [c, x, y]) => g.apply1('Where', [c!, x!, y!]),
    },
  ],
  Clip: [
    un('Clip both', away(3, 4), (x) => x.clip(-0.5, 0.75).add(x.mul(0.1)), true),
    un('Clip min', away(3, 4), (x) => x.clip(0.05)),
  ],
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
    // ReduceSum(Softplus) over trailing axes lowers fused (onnx/softplus-sum.ts): logs of chunk products.
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
  Conv: [
    {
      name: 'Conv',
      inputs: [s(2, 3, 6, 6), s(4, 3, 3, 3), s(4)],
      build: (g, [x, w, b]) => g.apply1('Conv', [x!, w!, b!]),
    },
    {
      name: 'Conv stride pad dil group',
      inputs: [sym(2, 4, 7, 6), s(6, 2, 3, 2)],
      build: (g, [x, w]) =>
        g.apply1('Conv', [x!, w!], { strides: [2, 1], pads: [1, 0, 1, 1], dilations: [1, 2], group: 2 }),
    },
    {
      name: 'Conv dilation stride asym pads',
      inputs: [s(2, 3, 9, 8), s(4, 3, 3, 2), s(4)],
      build: (g, [x, w, b]) =>
        g.apply1('Conv', [x!, w!, b!], { strides: [2, 3], pads: [2, 0, 1, 2], dilations: [2, 1] }),
    },
    {
      name: 'Conv group 3 bias',
      inputs: [s(2, 6, 7, 7), s(6, 2, 3, 3), s(6)],
      build: (g, [x, w, b]) =>
        g.apply1('Conv', [x!, w!, b!], { strides: [2, 2], pads: [1, 1, 0, 0], dilations: [1, 2], group: 3 }),
    },
    {
      name: 'Conv batch stride remainder',
      inputs: [sym(2, 2, 8, 7), s(3, 2, 2, 3), s(3)],
      build: (g, [x, w, b]) =>
        g.apply1('Conv', [x!, w!, b!], { strides: [3, 2], pads: [0, 1, 2, 0], dilations: [2, 1] }),
    },
    {
      name: 'Conv batch depthwise',
      inputs: [sym(3, 3, 5, 5), s(6, 1, 3, 3)],
      build: (g, [x, w]) => g.apply1('Conv', [x!, w!], { strides: [2, 2], pads: [1, 1, 1, 1], group: 3 }),
    },
  ],
  ConvTranspose: [
    {
      name: 'ConvTranspose',
      inputs: [s(2, 3, 4, 4), s(3, 2, 3, 3), s(2)],
      build: (g, [x, w, b]) => g.apply1('ConvTranspose', [x!, w!, b!]),
    },
    {
      name: 'ConvTranspose stride pad outpad',
      inputs: [sym(2, 4, 3, 4), s(4, 3, 4, 3)],
      build: (g, [x, w]) =>
        g.apply1('ConvTranspose', [x!, w!], {
          strides: [2, 2],
          pads: [1, 1, 1, 0],
          output_padding: [1, 0],
          group: 2,
        }),
    },
    {
      name: 'ConvTranspose group dilation bias',
      inputs: [s(2, 4, 3, 3), s(4, 3, 2, 3), s(6)],
      build: (g, [x, w, b]) =>
        g.apply1('ConvTranspose', [x!, w!, b!], {
          strides: [2, 1],
          dilations: [2, 2],
          pads: [1, 0, 0, 2],
          output_padding: [1, 0],
          group: 2,
        }),
    },
    {
      name: 'ConvTranspose batch dilation crop',
      inputs: [sym(2, 2, 4, 3), s(2, 2, 3, 3), s(2)],
      build: (g, [x, w, b]) =>
        g.apply1('ConvTranspose', [x!, w!, b!], { strides: [1, 2], dilations: [2, 1], pads: [2, 1, 0, 1] }),
    },
  ],
  MaxPool: [
    un('MaxPool 2x2', s(2, 3, 6, 6), (x) =>
      x.graph.apply1('MaxPool', [x], { kernel_shape: [2, 2], strides: [2, 2] }),
    ),
    un('MaxPool overlap pad', s(1, 2, 5, 5), (x) =>
      x.graph.apply1('MaxPool', [x], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] }),
    ),
    un('MaxPool batch 2x3', sym(3, 2, 4, 6), (x) =>
      x.graph.apply1('MaxPool', [x], { kernel_shape: [2, 3], strides: [2, 3] }),
    ),
    un('MaxPool batch dilated ceil', sym(2, 2, 7, 6), (x) =>
      x.graph.apply1('MaxPool', [x], {
        kernel_shape: [2, 3],
        strides: [2, 2],
        dilations: [2, 1],
        pads: [1, 0, 0, 1],
        ceil_mode: 1,
      }),
    ),
    un('MaxPool stride 1', s(1, 1, 4, 4), (x) =>
      x.graph.apply1('MaxPool', [x], { kernel_shape: [2, 2], strides: [1, 1] }),
    ),
  ],
  AveragePool: [
    un('AveragePool 2x2', s(2, 3, 6, 6), (x) =>
      x.graph.apply1('AveragePool', [x], { kernel_shape: [2, 2], strides: [2, 2] }),
    ),
    un('AveragePool pad', s(1, 2, 5, 5), (x) =>
      x.graph.apply1('AveragePool', [x], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] }),
    ),
    un('AveragePool count pad', s(1, 2, 5, 5), (x) =>
      x.graph.apply1('AveragePool', [x], {
        kernel_shape: [3, 3],
        strides: [1, 1],
        pads: [1, 1, 1, 1],
        count_include_pad: 1,
      }),
    ),
    un('AveragePool batch asym ceil', sym(2, 3, 7, 5), (x) =>
      x.graph.apply1('AveragePool', [x], {
        kernel_shape: [3, 2],
        strides: [2, 2],
        pads: [1, 0, 0, 0],
        ceil_mode: 1,
      }),
    ),
    un('AveragePool ceil count pad', s(1, 2, 7, 5), (x) =>
      x.graph.apply1('AveragePool', [x], {
        kernel_shape: [3, 3],
        strides: [2, 2],
        pads: [1, 1, 0, 1],
        ceil_mode: 1,
        count_include_pad: 1,
      }),
    ),
  ],
  Resize: [
    un('Resize x2', sym(2, 3, 3, 4), (x) => {
      const scales = x.graph.constant({ dtype: 'float32', shape: [4], data: Float32Array.of(1, 1, 2, 2) });
      return x.graph.apply1('Resize', [x, null, scales]);
    }),
    un('Resize channels and width', sym(2, 2, 3, 2), (x) => {
      const scales = x.graph.constant({ dtype: 'float32', shape: [4], data: Float32Array.of(1, 2, 1, 3) });
      return x.graph.apply1('Resize', [x, null, scales]);
    }),
    un('Resize 3d', s(2, 3, 2), (x) => {
      const scales = x.graph.constant({ dtype: 'float32', shape: [3], data: Float32Array.of(2, 1, 3) });
      return x.graph.apply1('Resize', [x, null, scales]);
    }),
  ],
  BatchNormalization: [
    {
      name: 'BatchNormalization',
      inputs: [s(2, 3, 2, 2), s(3), s(3), s(3), pos(3)],
      build: (g, xs) => g.apply1('BatchNormalization', xs, { epsilon: 1e-3 }),
    },
    {
      name: 'BatchNormalization 2d batch',
      inputs: [sym(5, 3), s(3), s(3), s(3), pos(3)],
      build: (g, xs) => g.apply1('BatchNormalization', xs),
    },
    {
      name: 'BatchNormalization 3d',
      inputs: [s(2, 4, 3), s(4), s(4), s(4), pos(4)],
      build: (g, xs) => g.apply1('BatchNormalization', xs, { epsilon: 0.1 }),
    },
  ],
  LayerNormalization: [
    {
      name: 'LayerNormalization',
      inputs: [sym(4, 6), s(6), s(6)],
      build: (g, xs) => g.apply1('LayerNormalization', xs),
    },
    {
      name: 'LayerNormalization 2 axes',
      inputs: [s(2, 3, 4), s(3, 4)],
      build: (g, xs) => g.apply1('LayerNormalization', xs, { axis: 1 }),
    },
    {
      name: 'LayerNormalization all axes',
      inputs: [s(2, 3), s(2, 3), s(2, 3)],
      build: (g, xs) => g.apply1('LayerNormalization', xs, { axis: 0, epsilon: 1e-3 }),
    },
    {
      name: 'LayerNormalization batch 3d',
      inputs: [sym(3, 2, 5), s(5)],
      build: (g, xs) => g.apply1('LayerNormalization', xs, { axis: -1 }),
    },
  ],
  Loop: [
    {
      name: 'Loop carried and scan',
      inputs: [s(3), s(3)],
      build: (g, [x, w]) => {
        const [final, scan] = loop(g, 4, [x!], (i, [c]) => {
          const next = c!.mul(w!).tanh().add(i.cast('float32'));
          return { carried: [next], scans: [next.sum()] };
        });
        return [final[0]!, scan[0]!];
      },
      grad: false,
    },
  ],
} satisfies Record<OpName, OpCase[]>;
