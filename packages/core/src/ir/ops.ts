/**
 * The op table: every op the IR knows, with its ONNX (opset 17) arity and attributes.
 * Other tables (shape rules, kernels, VJPs, ONNX lowering) are keyed by these names and typed
 * `satisfies Record<OpName, ...>`, so an op added here without its rules does not compile.
 */
import type { DType, HostTensor } from './dtype';
import type { Shape } from './shape';

export type AttrKind = 'int' | 'float' | 'ints' | 'floats' | 'string' | 'tensor' | 'graph';

/**
 * A sub-graph attribute (a Loop body) as the op table and shape rules see it: the types of its
 * inputs and outputs. The IR's `Graph` is one; rules that need more (lowering, the interpreter)
 * sit above `Graph` and read the attribute as one.
 */
export interface SubgraphAttr {
  readonly inputs: readonly { readonly dtype: DType; readonly shape: Shape }[];
  readonly outputs: readonly { readonly dtype: DType; readonly shape: Shape }[];
}

export type AttrValue = number | readonly number[] | string | HostTensor | SubgraphAttr;
export type Attrs = Readonly<Record<string, AttrValue>>;

export interface AttrSpec {
  readonly kind: AttrKind;
  /** Default when absent; `undefined` means the attribute is required (or optional without default). */
  readonly default?: AttrValue;
  readonly required?: boolean;
}

export interface OpSpec {
  /** Minimum and maximum number of inputs (ONNX optional inputs may be `null`). */
  readonly inputs: readonly [number, number];
  readonly attrs: Readonly<Record<string, AttrSpec>>;
}

const int = (d?: number): AttrSpec => (d === undefined ? { kind: 'int' } : { kind: 'int', default: d });
const float = (d: number): AttrSpec => ({ kind: 'float', default: d });
const ints = (d?: readonly number[]): AttrSpec =>
  d === undefined ? { kind: 'ints' } : { kind: 'ints', default: d };
const str = (d: string): AttrSpec => ({ kind: 'string', default: d });
const spec = (min: number, max: number, attrs: OpSpec['attrs'] = {}): OpSpec => ({
  inputs: [min, max],
  attrs,
});
const unary = spec(1, 1);
const binary = spec(2, 2);
const VARIADIC = 2 ** 31 - 1;

const convAttrs = {
  auto_pad: str('NOTSET'),
  dilations: ints(),
  group: int(1),
  kernel_shape: ints(),
  pads: ints(),
  strides: ints(),
};

export const ops = {
  // element-wise, one input
  Identity: unary,
  Neg: unary,
  Abs: unary,
  Sign: unary,
  Exp: unary,
  Log: unary,
  Sqrt: unary,
  Reciprocal: unary,
  Relu: unary,
  Sigmoid: unary,
  Tanh: unary,
  Softplus: unary,
  Cos: unary,
  Sin: unary,
  Floor: unary,
  LeakyRelu: spec(1, 1, { alpha: float(0.01) }),
  Elu: spec(1, 1, { alpha: float(1) }),
  Cast: spec(1, 1, { to: { kind: 'int', required: true } }),
  // element-wise with broadcasting
  Add: binary,
  Sub: binary,
  Mul: binary,
  Div: binary,
  Pow: binary,
  Max: spec(1, VARIADIC),
  Min: spec(1, VARIADIC),
  Greater: binary,
  Less: binary,
  Equal: binary,
  Where: spec(3, 3),
  Clip: spec(1, 3),
  // linear algebra
  MatMul: binary,
  Gemm: spec(2, 3, { alpha: float(1), beta: float(1), transA: int(0), transB: int(0) }),
  // normalised exponentials and reductions
  Softmax: spec(1, 1, { axis: int(-1) }),
  LogSoftmax: spec(1, 1, { axis: int(-1) }),
  ReduceSum: spec(1, 2, { keepdims: int(1), noop_with_empty_axes: int(0) }),
  ReduceMean: spec(1, 1, { axes: ints(), keepdims: int(1) }),
  ReduceMax: spec(1, 1, { axes: ints(), keepdims: int(1) }),
  ReduceLogSumExp: spec(1, 1, { axes: ints(), keepdims: int(1) }),
  // shape and data movement
  Shape: unary,
  Constant: spec(0, 0, { value: { kind: 'tensor', required: true } }),
  Reshape: spec(2, 2, { allowzero: int(0) }),
  Flatten: spec(1, 1, { axis: int(1) }),
  Transpose: spec(1, 1, { perm: ints() }),
  Concat: spec(1, VARIADIC, { axis: { kind: 'int', required: true } }),
  Slice: spec(3, 5),
  // `split` (int64 sizes) is required so the number of outputs is known statically
  Split: spec(2, 2, { axis: int(0) }),
  Gather: spec(2, 2, { axis: int(0) }),
  Expand: binary,
  Unsqueeze: binary,
  Squeeze: spec(1, 2),
  Pad: spec(2, 3, { mode: str('constant') }),
  // convolution family (2-D, NCHW)
  Conv: spec(2, 3, convAttrs),
  ConvTranspose: spec(2, 3, { ...convAttrs, output_padding: ints(), output_shape: ints() }),
  MaxPool: spec(1, 1, { ...convAttrs, ceil_mode: int(0), storage_order: int(0) }),
  AveragePool: spec(1, 1, { ...convAttrs, ceil_mode: int(0), count_include_pad: int(0) }),
  Resize: spec(1, 4, {
    mode: str('nearest'),
    coordinate_transformation_mode: str('asymmetric'),
    nearest_mode: str('floor'),
  }),
  // normalisation
  BatchNormalization: spec(5, 5, { epsilon: float(1e-5), momentum: float(0.9), training_mode: int(0) }),
  LayerNormalization: spec(2, 3, { axis: int(-1), epsilon: float(1e-5), stash_type: int(1) }),
  // control flow: M (int64 trip count), cond (bool), loop-carried values; `body` is a sub-graph
  Loop: spec(2, VARIADIC, { body: { kind: 'graph', required: true } }),
} as const satisfies Record<string, OpSpec>;

export type OpName = keyof typeof ops;

export const opNames = Object.keys(ops) as OpName[];

export function isOpName(name: string): name is OpName {
  return Object.hasOwn(ops, name);
}
