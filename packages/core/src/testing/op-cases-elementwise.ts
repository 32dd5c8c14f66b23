/** Op cases of the element-wise ops (one input, broadcasting arithmetic and comparisons, Where, Clip). */
import type { OpName } from '../ir/ops';
import type { OpCase } from './harness';
import { away, bin, binaryCases, pos, s, sym, un } from './op-case-builders';

export const elementwiseOpCases = {
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
} satisfies Partial<Record<OpName, OpCase[]>>;
