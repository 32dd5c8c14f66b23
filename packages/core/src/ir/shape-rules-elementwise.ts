/** Shape rules of the element-wise ops: one input, broadcasting arithmetic and comparisons, Where, Clip. */
import { type DType, dtypeOfOnnxCode } from './dtype';
import { ShapeError } from './errors';
import type { OpName } from './ops';
import { broadcastShapes, type Dim, formatShape } from './shape';
import { intAttr, req, requireDType, type ShapeRule, sameDType, type TensorMeta } from './shape-util';

export const FLOAT: readonly DType[] = ['float32'];
const NUMERIC: readonly DType[] = ['float32', 'int64'];

const unary =
  (allowed: readonly DType[]): ShapeRule =>
  (ins, _a) => {
    const x = req('unary', ins, 0);
    requireDType('unary', x, allowed);
    return [{ dtype: x.dtype, shape: x.shape }];
  };

const floatUnary = (op: string): ShapeRule => {
  return (ins) => {
    const x = req(op, ins, 0);
    requireDType(op, x, FLOAT);
    return [{ dtype: 'float32', shape: x.shape }];
  };
};

const broadcastN = (op: string, ins: readonly (TensorMeta | null)[]): Dim[] =>
  ins.reduce<Dim[]>((acc, _m, i) => broadcastShapes(op, acc, req(op, ins, i).shape), []);

const arith =
  (op: string, allowed: readonly DType[] = NUMERIC): ShapeRule =>
  (ins) => {
    const a = req(op, ins, 0);
    requireDType(op, a, allowed);
    for (const m of ins) sameDType(op, a, m ?? a);
    return [{ dtype: a.dtype, shape: broadcastN(op, ins) }];
  };

const compare =
  (op: string): ShapeRule =>
  (ins) => {
    sameDType(op, req(op, ins, 0), req(op, ins, 1));
    return [{ dtype: 'bool', shape: broadcastN(op, ins) }];
  };

export const elementwiseShapeRules = {
  Identity: (ins) => [req('Identity', ins, 0)],
  Neg: unary(NUMERIC),
  Abs: unary(NUMERIC),
  Sign: unary(NUMERIC),
  Exp: floatUnary('Exp'),
  Log: floatUnary('Log'),
  Sqrt: floatUnary('Sqrt'),
  Reciprocal: floatUnary('Reciprocal'),
  Relu: floatUnary('Relu'),
  Sigmoid: floatUnary('Sigmoid'),
  Tanh: floatUnary('Tanh'),
  Softplus: floatUnary('Softplus'),
  Cos: floatUnary('Cos'),
  Sin: floatUnary('Sin'),
  Floor: floatUnary('Floor'),
  LeakyRelu: floatUnary('LeakyRelu'),
  Elu: floatUnary('Elu'),
  Cast: (ins, a) => {
    const x = req('Cast', ins, 0);
    const dtype = dtypeOfOnnxCode(intAttr(a, 'to'));
    if (!dtype) throw new ShapeError('Cast', `unsupported target type code ${intAttr(a, 'to')}`);
    return [{ dtype, shape: x.shape, known: dtype === 'int64' ? x.known : undefined }];
  },
  Add: arith('Add'),
  Sub: arith('Sub'),
  Mul: arith('Mul'),
  Div: arith('Div'),
  Pow: arith('Pow', FLOAT),
  Max: arith('Max'),
  Min: arith('Min'),
  Greater: compare('Greater'),
  Less: compare('Less'),
  Equal: compare('Equal'),
  Where: (ins) => {
    const [c, x, y] = [req('Where', ins, 0), req('Where', ins, 1), req('Where', ins, 2)];
    requireDType('Where', c, ['bool'], 'condition');
    sameDType('Where', x, y);
    return [{ dtype: x.dtype, shape: broadcastN('Where', ins) }];
  },
  Clip: (ins) => {
    const x = req('Clip', ins, 0);
    for (const m of ins.slice(1)) {
      if (m && m.shape.length !== 0)
        throw new ShapeError('Clip', `min/max must be scalars, got ${formatShape(m.shape)}`);
      if (m) sameDType('Clip', x, m);
    }
    return [{ dtype: x.dtype, shape: x.shape }];
  },
} satisfies Partial<Record<OpName, ShapeRule>>;
