import { type DType, onnxTypeCode } from './dtype';
import { ShapeError } from './errors';
import type { Attrs, OpName } from './ops';
import { formatShape, type Shape } from './shape';

/**
 * The builder methods every `Tensor` has, so graph code reads like math: `x.matmul(w).add(b).relu()`.
 * Written against the op table alone; `Tensor` (graph.ts) supplies how an op is applied, so this file
 * sits below Graph and imports nothing that imports it. `Self` is the tensor type the methods return.
 */
export abstract class TensorBuilder<Self extends TensorBuilder<Self>> {
  abstract readonly dtype: DType;
  abstract readonly shape: Shape;

  /** Applies `op` to `inputs` (null = an omitted optional input) and returns its single output. */
  protected abstract op(op: OpName, inputs: readonly (Self | null)[], attrs?: Attrs): Self;
  /** A 1-D int64 constant (axes, shapes, pads) in this tensor's graph. */
  protected abstract ints(values: readonly number[]): Self;
  /** Numbers become scalar constants of this tensor's dtype. */
  abstract lift(v: Self | number): Self;

  private get self(): Self {
    return this as unknown as Self;
  }

  get rank(): number {
    return this.shape.length;
  }

  // element-wise arithmetic (ONNX broadcasting)
  add(o: Self | number): Self {
    return this.op('Add', [this.self, this.lift(o)]);
  }
  sub(o: Self | number): Self {
    return this.op('Sub', [this.self, this.lift(o)]);
  }
  mul(o: Self | number): Self {
    return this.op('Mul', [this.self, this.lift(o)]);
  }
  div(o: Self | number): Self {
    return this.op('Div', [this.self, this.lift(o)]);
  }
  pow(o: Self | number): Self {
    return this.op('Pow', [this.self, this.lift(o)]);
  }
  /** `o - this` (handy for `1 - p`). */
  rsub(o: Self | number): Self {
    return this.op('Sub', [this.lift(o), this.self]);
  }
  maximum(o: Self | number): Self {
    return this.op('Max', [this.self, this.lift(o)]);
  }
  minimum(o: Self | number): Self {
    return this.op('Min', [this.self, this.lift(o)]);
  }
  greater(o: Self | number): Self {
    return this.op('Greater', [this.self, this.lift(o)]);
  }
  less(o: Self | number): Self {
    return this.op('Less', [this.self, this.lift(o)]);
  }
  equal(o: Self | number): Self {
    return this.op('Equal', [this.self, this.lift(o)]);
  }
  clip(min?: number, max?: number): Self {
    const lo = min === undefined ? null : this.lift(min);
    const hi = max === undefined ? null : this.lift(max);
    return this.op('Clip', hi ? [this.self, lo, hi] : lo ? [this.self, lo] : [this.self]);
  }

  // element-wise functions
  neg = (): Self => this.op('Neg', [this.self]);
  abs = (): Self => this.op('Abs', [this.self]);
  sign = (): Self => this.op('Sign', [this.self]);
  exp = (): Self => this.op('Exp', [this.self]);
  log = (): Self => this.op('Log', [this.self]);
  sqrt = (): Self => this.op('Sqrt', [this.self]);
  reciprocal = (): Self => this.op('Reciprocal', [this.self]);
  square = (): Self => this.op('Mul', [this.self, this.self]);
  relu = (): Self => this.op('Relu', [this.self]);
  sigmoid = (): Self => this.op('Sigmoid', [this.self]);
  tanh = (): Self => this.op('Tanh', [this.self]);
  identity = (): Self => this.op('Identity', [this.self]);
  cos = (): Self => this.op('Cos', [this.self]);
  sin = (): Self => this.op('Sin', [this.self]);
  floor = (): Self => this.op('Floor', [this.self]);
  leakyRelu = (alpha = 0.01): Self => this.op('LeakyRelu', [this.self], { alpha });
  elu = (alpha = 1): Self => this.op('Elu', [this.self], { alpha });
  /**
   * softplus(x) = log(1 + exp(x)) as one op, differentiated as a single Sigmoid (exact at x = 0).
   * ONNX export rewrites it to Relu(x) - Log(Sigmoid(|x|)) (stable, and faster than onnxruntime's
   * kernel), or fuses it into a ReduceSum that sums it (onnx/passes).
   */
  softplus = (): Self => this.op('Softplus', [this.self]);
  cast = (to: DType): Self => this.op('Cast', [this.self], { to: onnxTypeCode[to] });

  // linear algebra and normalised exponentials
  matmul = (o: Self): Self => this.op('MatMul', [this.self, o]);
  softmax = (axis = -1): Self => this.op('Softmax', [this.self], { axis });
  logSoftmax = (axis = -1): Self => this.op('LogSoftmax', [this.self], { axis });

  // reductions: `axes` omitted = all axes
  sum(axes?: readonly number[], keepdims = false): Self {
    const ax = axes ?? this.shape.map((_, i) => i);
    return this.op('ReduceSum', [this.self, this.ints(ax)], { keepdims: keepdims ? 1 : 0 });
  }
  mean(axes?: readonly number[], keepdims = false): Self {
    return this.op('ReduceMean', [this.self], {
      axes: axes ?? this.shape.map((_, i) => i),
      keepdims: keepdims ? 1 : 0,
    });
  }
  max(axes?: readonly number[], keepdims = false): Self {
    return this.op('ReduceMax', [this.self], {
      axes: axes ?? this.shape.map((_, i) => i),
      keepdims: keepdims ? 1 : 0,
    });
  }
  logSumExp(axes?: readonly number[], keepdims = false): Self {
    const a = axes ?? this.shape.map((_, i) => i);
    return this.op('ReduceLogSumExp', [this.self], { axes: a, keepdims: keepdims ? 1 : 0 });
  }

  // shape and data movement
  shapeOf = (): Self => this.op('Shape', [this.self]);
  /** ONNX Reshape: 0 copies the input dim, -1 is inferred. */
  reshape = (shape: readonly number[] | Self): Self =>
    this.op('Reshape', [this.self, Array.isArray(shape) ? this.ints(shape as number[]) : (shape as Self)]);
  flatten = (axis = 1): Self => this.op('Flatten', [this.self], { axis });
  transpose = (perm?: readonly number[]): Self => this.op('Transpose', [this.self], perm ? { perm } : {});
  /** Transpose of the last two axes. */
  get T(): Self {
    const perm = this.shape.map((_, i) => i);
    if (perm.length < 2)
      throw new ShapeError('Transpose', `.T needs rank >= 2, got ${formatShape(this.shape)}`);
    [perm[perm.length - 2], perm[perm.length - 1]] = [perm[perm.length - 1]!, perm[perm.length - 2]!];
    return this.transpose(perm);
  }
  slice(
    starts: readonly number[],
    ends: readonly number[],
    axes?: readonly number[],
    steps?: readonly number[],
  ): Self {
    const ins = [this.self, this.ints(starts), this.ints(ends)];
    if (axes || steps) ins.push(this.ints(axes ?? starts.map((_, i) => i)));
    if (steps) ins.push(this.ints(steps));
    return this.op('Slice', ins);
  }
  gather = (indices: Self, axis = 0): Self => this.op('Gather', [this.self, indices], { axis });
  expand = (shape: readonly number[] | Self): Self =>
    this.op('Expand', [this.self, Array.isArray(shape) ? this.ints(shape as number[]) : (shape as Self)]);
  unsqueeze = (axes: readonly number[]): Self => this.op('Unsqueeze', [this.self, this.ints(axes)]);
  squeeze = (axes?: readonly number[]): Self =>
    this.op('Squeeze', axes ? [this.self, this.ints(axes)] : [this.self]);
  pad = (pads: readonly number[], value = 0): Self =>
    this.op('Pad', [this.self, this.ints(pads), this.lift(value)]);
}
