/**
 * The IR's three data types, which refer to each other and so live in one file: a `Tensor` knows
 * its `Graph` and producing `Node`, a `Node` its input and output tensors, a `Graph` its nodes.
 * Below this file: the op table (ops.ts), shape rules, and the builder methods (builder.ts).
 */
import { TensorBuilder } from './builder';
import type { DType, HostTensor } from './dtype';
import { IRError, ShapeError } from './errors';
import { type Attrs, type OpName, ops } from './ops';
import { type Dim, formatShape, type Shape } from './shape';
import { shapeRules, type TensorMeta } from './shape-rules';

let nextId = 0;
/** Ids are unique across all graphs so tensors can key maps without clashing. */
export const freshId = (): number => nextId++;

/**
 * A symbolic tensor in a graph: dtype and static shape (one symbolic batch dim allowed), and the
 * node that produces it. Its builder methods (builder.ts) add ops: `x.matmul(w).add(b).relu()`.
 */
export class Tensor extends TensorBuilder<Tensor> {
  constructor(
    readonly graph: Graph,
    readonly id: number,
    override readonly dtype: DType,
    override readonly shape: Shape,
    readonly producer: Node | null,
    readonly outputIndex: number,
    /** Statically known element values (shape tensors, constants), symbols allowed. */
    readonly known: readonly Dim[] | undefined,
    readonly name: string,
  ) {
    super();
  }

  override toString(): string {
    return `Tensor(${this.name}: ${this.dtype}${formatShape(this.shape)})`;
  }

  /** Builds into the innermost graph among the operands, so Loop bodies can use outer tensors. */
  protected override op(op: OpName, inputs: readonly (Tensor | null)[], attrs?: Attrs): Tensor {
    let g = this.graph;
    for (const t of inputs) if (t && t.graph.depth > g.depth) g = t.graph;
    return g.apply1(op, inputs, attrs);
  }

  protected override ints(values: readonly number[]): Tensor {
    return this.graph.ints(values);
  }

  override lift(v: Tensor | number): Tensor {
    return typeof v === 'number' ? this.graph.scalar(v, this.dtype) : v;
  }
}

/** One application of an op: inputs (null = an omitted optional ONNX input), attributes, outputs. */
export class Node {
  outputs: Tensor[] = [];
  constructor(
    readonly op: OpName,
    readonly inputs: readonly (Tensor | null)[],
    readonly attrs: Attrs,
    readonly graph: Graph,
  ) {}
}

/**
 * A graph under construction. Nodes are appended as they are built, so `nodes` is always in
 * topological order. A sub-graph (a Loop body) has a `parent` and may read its ancestors' tensors.
 */
export class Graph {
  readonly nodes: Node[] = [];
  readonly inputs: Tensor[] = [];
  /** Outputs of a sub-graph (a Loop body); top-level graphs name outputs when lowered or run. */
  outputs: Tensor[] = [];
  private readonly names = new Set<string>();
  /** Nesting depth: 0 for a top-level graph, parent's + 1 for a Loop body. */
  readonly depth: number;

  constructor(
    readonly name = 'main',
    readonly parent: Graph | null = null,
  ) {
    this.depth = parent ? parent.depth + 1 : 0;
  }

  /** A named graph input (a placeholder fed at run time). `'N'` in the shape is the batch symbol. */
  input(name: string, shape: Shape, dtype: DType = 'float32'): Tensor {
    if (this.names.has(name)) throw new IRError(`graph ${this.name} already has an input named ${name}`);
    this.names.add(name);
    const t = new Tensor(this, freshId(), dtype, [...shape], null, 0, undefined, name);
    this.inputs.push(t);
    return t;
  }

  /** A constant tensor (lowered to an initializer, or a Constant node inside sub-graphs). */
  constant(value: HostTensor): Tensor {
    return this.apply1('Constant', [], { value });
  }

  /** A float32 (or other dtype) scalar constant. */
  scalar(v: number, dtype: DType = 'float32'): Tensor {
    const data =
      dtype === 'float32'
        ? Float32Array.of(v)
        : dtype === 'int64'
          ? BigInt64Array.of(BigInt(v))
          : Uint8Array.of(v ? 1 : 0);
    return this.constant({ dtype, shape: [], data } as HostTensor);
  }

  /** A 1-D int64 constant (shapes, axes, pads). */
  ints(values: readonly number[]): Tensor {
    return this.constant({
      dtype: 'int64',
      shape: [values.length],
      data: BigInt64Array.from(values, BigInt),
    });
  }

  /** True when `t` belongs to this graph or an ancestor (ONNX outer-scope reference). */
  canRead(t: Tensor): boolean {
    for (let g: Graph | null = this; g; g = g.parent) if (t.graph === g) return true;
    return false;
  }

  /** Applies an op: checks arity and attributes, runs its shape rule, appends the node. */
  apply(op: OpName, inputs: readonly (Tensor | null)[], attrs: Attrs = {}): Tensor[] {
    const spec = ops[op];
    const [min, max] = spec.inputs;
    if (inputs.length < min || inputs.length > max) {
      throw new ShapeError(op, `takes ${min}..${max} inputs, got ${inputs.length}`);
    }
    for (const t of inputs) {
      if (t && !this.canRead(t)) throw new IRError(`${op}: input ${t.name} belongs to another graph`);
    }
    const full: Record<string, Attrs[string]> = {};
    for (const [name, a] of Object.entries(spec.attrs) as [
      string,
      { default?: Attrs[string]; required?: boolean },
    ][]) {
      const v = attrs[name] ?? a.default;
      if (v !== undefined) full[name] = v;
      else if (a.required) throw new ShapeError(op, `attribute ${name} is required`);
    }
    for (const name of Object.keys(attrs)) {
      if (!(name in spec.attrs)) throw new ShapeError(op, `unknown attribute ${name}`);
    }
    const metas: (TensorMeta | null)[] = inputs.map(
      (t) => t && { dtype: t.dtype, shape: t.shape, known: t.known },
    );
    const rule = shapeRules[op] as (m: readonly (TensorMeta | null)[], a: Attrs) => TensorMeta[];
    const outMetas = rule(metas, full);
    const node = new Node(op, inputs, full, this);
    node.outputs = outMetas.map(
      (m, i) =>
        new Tensor(this, freshId(), m.dtype, m.shape, node, i, m.known, `${op.toLowerCase()}_${nextId}`),
    );
    this.nodes.push(node);
    return node.outputs;
  }

  /** `apply` for single-output ops. */
  apply1(op: OpName, inputs: readonly (Tensor | null)[], attrs: Attrs = {}): Tensor {
    return this.apply(op, inputs, attrs)[0]!;
  }
}

export type { Dim };
