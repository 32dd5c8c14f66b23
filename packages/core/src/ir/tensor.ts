import { type DType, onnxTypeCode } from './dtype';
import { ShapeError } from './errors';
import type { Graph, Node } from './graph';
import type { Attrs, OpName } from './ops';
import { type Dim, formatShape, type Shape } from './shape';

type Operand = Tensor | number;

/**
 * A symbolic tensor in a graph: dtype and static shape (one symbolic batch dim allowed), and the
 * node that produces it. Methods build ops so code reads like math: `x.matmul(w).add(b).relu()`.
 */
export class Tensor {
  constructor(
    readonly graph: Graph,
    readonly id: number,
    readonly dtype: DType,
    readonly shape: Shape,
    readonly producer: Node | null,
    readonly outputIndex: number,
    /** Statically known element values (shape tensors, constants), symbols allowed. */
    readonly known: readonly Dim[] | undefined,
    readonly name: string,
  ) {}

  get rank(): number {
    return this.shape.length;
  }

  toString(): string {
    return `Tensor(${this.name}: ${this.dtype}${formatShape(this.shape)})`;
  }

  /** Builds into the innermost graph among the operands, so Loop bodies can use outer tensors. */
  private op(op: OpName, inputs: readonly (Tensor | null)[], attrs?: Attrs): Tensor {
    let g = this.graph;
    for (const t of inputs) if (t && t.graph.depth > g.depth) g = t.graph;
    return g.apply1(op, inputs, attrs);
  }

  /** Numbers become scalar constants of this tensor's dtype. */
  lift(v: Operand): Tensor {
    return typeof v === 'number' ? this.graph.scalar(v, this.dtype) : v;
  }

  // element-wise arithmetic (ONNX broadcasting)
  add(o: Operand): Tensor {
    return this.op('Add', [this, this.lift(o)]);
  }
  sub(o: Operand): Tensor {
    return this.op('Sub', [this, this.lift(o)]);
  }
  mul(o: Operand): Tensor {
    return this.op('Mul', [this, this.lift(o)]);
  }
  div(o: Operand): Tensor {
    return this.op('Div', [this, this.lift(o)]);
  }
  pow(o: Operand): Tensor {
    return this.op('Pow', [this, this.lift(o)]);
  }
  /** `o - this` (handy for `1 - p`). */
  rsub(o: Operand): Tensor {
    return this.op('Sub', [this.lift(o), this]);
  }
  maximum(o: Operand): Tensor {
    return this.op('Max', [this, this.lift(o)]);
  }
  minimum(o: Operand): Tensor {
    return this.op('Min', [this, this.lift(o)]);
  }
  greater(o: Operand): Tensor {
    return this.op('Greater', [this, this.lift(o)]);
  }
  less(o: Operand): Tensor {
    return this.op('Less', [this, this.lift(o)]);
  }
  equal(o: Operand): Tensor {
    return this.op('Equal', [this, this.lift(o)]);
  }
  clip(min?: number, max?: number): Tensor {
    const lo = min === undefined ? null : this.lift(min);
    const hi = max === undefined ? null : this.lift(max);
    return this.op('Clip', hi ? [this, lo, hi] : lo ? [this, lo] : [this]);
  }

  // element-wise functions
  neg = (): Tensor => this.op('Neg', [this]);
  abs = (): Tensor => this.op('Abs', [this]);
  sign = (): Tensor => this.op('Sign', [this]);
  exp = (): Tensor => this.op('Exp', [this]);
  log = (): Tensor => this.op('Log', [this]);
  sqrt = (): Tensor => this.op('Sqrt', [this]);
  reciprocal = (): Tensor => this.op('Reciprocal', [this]);
  square = (): Tensor => this.op('Mul', [this, this]);
  relu = (): Tensor => this.op('Relu', [this]);
  sigmoid = (): Tensor => this.op('Sigmoid', [this]);
  tanh = (): Tensor => this.op('Tanh', [this]);
  identity = (): Tensor => this.op('Identity', [this]);
  cos = (): Tensor => this.op('Cos', [this]);
  sin = (): Tensor => this.op('Sin', [this]);
  floor = (): Tensor => this.op('Floor', [this]);
  leakyRelu = (alpha = 0.01): Tensor => this.op('LeakyRelu', [this], { alpha });
  elu = (alpha = 1): Tensor => this.op('Elu', [this], { alpha });
  /**
   * softplus(x) = log(1 + exp(x)) as one op: lowered to Relu(x) - Log(Sigmoid(|x|)) (stable, and
   * faster than onnxruntime's kernel), differentiated as a single Sigmoid (exact at x = 0).
   */
  softplus = (): Tensor => this.op('Softplus', [this]);
  cast = (to: DType): Tensor => this.op('Cast', [this], { to: onnxTypeCode[to] });

  // linear algebra and normalised exponentials
  matmul = (o: Tensor): Tensor => this.op('MatMul', [this, o]);
  softmax = (axis = -1): Tensor => this.op('Softmax', [this], { axis });
  logSoftmax = (axis = -1): Tensor => this.op('LogSoftmax', [this], { axis });

  // reductions: `axes` omitted = all axes
  sum(axes?: readonly number[], keepdims = false): Tensor {
    const ax = axes ?? this.shape.map((_, i) => i);
    return this.op('ReduceSum', [this, this.graph.ints(ax)], { keepdims: keepdims ? 1 : 0 });
  }
  mean(axes?: readonly number[], keepdims = false): Tensor {
    return this.op('ReduceMean', [this], {
      axes: axes ?? this.shape.map((_, i) => i),
      keepdims: keepdims ? 1 : 0,
    });
  }
  max(axes?: readonly number[], keepdims = false): Tensor {
    return this.op('ReduceMax', [this], {
      axes: axes ?? this.shape.map((_, i) => i),
      keepdims: keepdims ? 1 : 0,
    });
  }
  logSumExp(axes?: readonly number[], keepdims = false): Tensor {
    const a = axes ?? this.shape.map((_, i) => i);
    return this.op('ReduceLogSumExp', [this], { axes: a, keepdims: keepdims ? 1 : 0 });
  }

  // shape and data movement
  shapeOf = (): Tensor => this.op('Shape', [this]);
  /** ONNX Reshape: 0 copies the input dim, -1 is inferred. */
  reshape = (shape: readonly number[] | Tensor): Tensor =>
    this.op('Reshape', [this, Array.isArray(shape) ? this.graph.ints(shape as number[]) : (shape as Tensor)]);
  flatten = (axis = 1): Tensor => this.op('Flatten', [this], { axis });
  transpose = (perm?: readonly number[]): Tensor => this.op('Transpose', [this], perm ? { perm } : {});
  /** Transpose of the last two axes. */
  get T(): Tensor {
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
  ): Tensor {
    const g = this.graph;
    const ins = [this, g.ints(starts), g.ints(ends)];
    if (axes || steps) ins.push(g.ints(axes ?? starts.map((_, i) => i)));
    if (steps) ins.push(g.ints(steps));
    return this.op('Slice', ins);
  }
  gather = (indices: Tensor, axis = 0): Tensor => this.op('Gather', [this, indices], { axis });
  expand = (shape: readonly number[] | Tensor): Tensor =>
    this.op('Expand', [this, Array.isArray(shape) ? this.graph.ints(shape as number[]) : (shape as Tensor)]);
  unsqueeze = (axes: readonly number[]): Tensor => this.op('Unsqueeze', [this, this.graph.ints(axes)]);
  squeeze = (axes?: readonly number[]): Tensor =>
    this.op('Squeeze', axes ? [this, this.graph.ints(axes)] : [this]);
  pad = (pads: readonly number[], value = 0): Tensor =>
    this.op('Pad', [this, this.graph.ints(pads), this.lift(value)]);
}
