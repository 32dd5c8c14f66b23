/** Shape rules of shape and data-movement ops (Shape, Constant, Reshape ... Pad). */
import type { DType } from './dtype';
import { ShapeError } from './errors';
import type { OpName } from './ops';
import { broadcastShapes, type Dim, formatShape, normAxis, symbolicSize } from './shape';
import {
  intAttr,
  intsAttr,
  knownInts,
  knownValues,
  req,
  requireDType,
  type ShapeRule,
  sameDType,
  type TensorMeta,
} from './shape-util';

function reshapeShape(input: TensorMeta, target: readonly Dim[], allowzero: boolean): Dim[] {
  const op = 'Reshape';
  const out = target.map((d, i) => (d === 0 && !allowzero ? (input.shape[i] ?? 0) : d));
  const infer = out.indexOf(-1);
  if (out.filter((d) => d === -1).length > 1) throw new ShapeError(op, `more than one -1 in [${target}]`);
  const have = symbolicSize(op, input.shape);
  if (infer >= 0) {
    const rest = symbolicSize(
      op,
      out.filter((_, i) => i !== infer),
    );
    if (rest.symbol !== null && rest.symbol !== have.symbol) {
      throw new ShapeError(op, `cannot reshape ${formatShape(input.shape)} to [${target}]`);
    }
    const count = have.count / rest.count;
    if (!Number.isInteger(count)) {
      throw new ShapeError(op, `cannot reshape ${formatShape(input.shape)} to [${target}]`);
    }
    if (have.symbol !== null && rest.symbol === null) {
      if (count !== 1) {
        throw new ShapeError(
          op,
          `[${target}] would scale batch dim ${have.symbol} of ${formatShape(input.shape)}`,
        );
      }
      out[infer] = have.symbol;
    } else out[infer] = count;
  }
  const got = symbolicSize(op, out);
  if (got.symbol !== have.symbol || got.count !== have.count) {
    throw new ShapeError(op, `cannot reshape ${formatShape(input.shape)} to ${formatShape(out)}`);
  }
  return out;
}

const INT_MAX = 2 ** 62;

function sliceShape(x: TensorMeta, ins: readonly (TensorMeta | null)[]): Dim[] {
  const op = 'Slice';
  const starts = knownInts(op, ins[1], 'starts');
  const ends = knownInts(op, ins[2], 'ends');
  const axes = ins[3] ? knownInts(op, ins[3], 'axes') : starts.map((_, i) => i);
  const steps = ins[4] ? knownInts(op, ins[4], 'steps') : starts.map(() => 1);
  const out = [...x.shape];
  axes.forEach((ax, i) => {
    const a = normAxis(op, ax, x.shape.length);
    const dim = x.shape[a]!;
    const [s, e, st] = [starts[i]!, ends[i]!, steps[i]!];
    if (st === 0) throw new ShapeError(op, 'step must not be 0');
    if (typeof dim === 'string') {
      if (s === 0 && e >= INT_MAX && st === 1) return;
      throw new ShapeError(op, `cannot slice symbolic dim ${dim} of ${formatShape(x.shape)} statically`);
    }
    out[a] = sliceLength(dim, s, e, st);
  });
  return out;
}

/** ONNX Slice clamping for one axis. */
export function sliceLength(dim: number, start: number, end: number, step: number): number {
  const clampIdx = (v: number, lo: number, hi: number) => Math.min(Math.max(v < 0 ? v + dim : v, lo), hi);
  const s = step > 0 ? clampIdx(start, 0, dim) : clampIdx(start, 0, dim - 1);
  const e = step > 0 ? clampIdx(end, 0, dim) : clampIdx(end, -1, dim - 1);
  return Math.max(0, Math.ceil((e - s) / step));
}

export const movementShapeRules = {
  Shape: (ins) => {
    const x = req('Shape', ins, 0);
    return [{ dtype: 'int64', shape: [x.shape.length], known: x.shape }];
  },
  Constant: (_ins, a) => {
    const v = a.value as { dtype: DType; shape: readonly number[]; data: ArrayLike<number | bigint> };
    // Small constants are tracked by value so shapes, axes, pads and scales fold statically.
    // int64 lists up to 1024 values, so Split can take one size per time step of a sequence.
    const small = v.dtype !== 'bool' && v.data.length <= (v.dtype === 'int64' ? 1024 : 64);
    return [{ dtype: v.dtype, shape: v.shape, known: small ? Array.from(v.data, Number) : undefined }];
  },
  Reshape: (ins, a) => {
    const x = req('Reshape', ins, 0);
    const target = knownValues('Reshape', ins[1], 'shape');
    return [
      { dtype: x.dtype, shape: reshapeShape(x, target, intAttr(a, 'allowzero') === 1), known: x.known },
    ];
  },
  Flatten: (ins, a) => {
    const x = req('Flatten', ins, 0);
    const axis = intAttr(a, 'axis') < 0 ? intAttr(a, 'axis') + x.shape.length : intAttr(a, 'axis');
    if (axis < 0 || axis > x.shape.length)
      throw new ShapeError('Flatten', `axis ${intAttr(a, 'axis')} out of range`);
    const part = (dims: readonly Dim[]): Dim => {
      const s = symbolicSize('Flatten', dims);
      if (s.symbol === null) return s.count;
      if (s.count === 1) return s.symbol;
      throw new ShapeError('Flatten', `would merge batch dim into ${formatShape(dims)}`);
    };
    return [{ dtype: x.dtype, shape: [part(x.shape.slice(0, axis)), part(x.shape.slice(axis))] }];
  },
  Transpose: (ins, a) => {
    const x = req('Transpose', ins, 0);
    const perm = intsAttr(a, 'perm') ?? x.shape.map((_, i) => x.shape.length - 1 - i);
    const sorted = [...perm].sort((p, q) => p - q);
    if (perm.length !== x.shape.length || sorted.some((p, i) => p !== i)) {
      throw new ShapeError(
        'Transpose',
        `perm [${perm}] is not a permutation of the axes of ${formatShape(x.shape)}`,
      );
    }
    return [{ dtype: x.dtype, shape: perm.map((p) => x.shape[p]!) }];
  },
  Concat: (ins, a) => {
    const first = req('Concat', ins, 0);
    const axis = normAxis('Concat', intAttr(a, 'axis'), first.shape.length);
    let total: Dim = 0;
    for (const m of ins) {
      if (!m) throw new ShapeError('Concat', 'inputs are required');
      sameDType('Concat', first, m);
      const bad =
        m.shape.length !== first.shape.length || m.shape.some((d, i) => i !== axis && d !== first.shape[i]);
      if (bad)
        throw new ShapeError(
          'Concat',
          `shapes ${formatShape(first.shape)} and ${formatShape(m.shape)} differ off axis ${axis}`,
        );
      const d = m.shape[axis]!;
      if (typeof d === 'string' || typeof total === 'string') {
        if (ins.length === 1) total = d;
        else throw new ShapeError('Concat', `cannot concatenate along symbolic dim ${d}`);
      } else total += d;
    }
    const known =
      ins.every((m) => m?.known) && first.shape.length === 1 ? ins.flatMap((m) => m!.known!) : undefined;
    return [{ dtype: first.dtype, shape: first.shape.map((d, i) => (i === axis ? total : d)), known }];
  },
  Slice: (ins) => {
    const x = req('Slice', ins, 0);
    return [{ dtype: x.dtype, shape: sliceShape(x, ins) }];
  },
  Split: (ins, a) => {
    const x = req('Split', ins, 0);
    const sizes = knownInts('Split', ins[1], 'split');
    const axis = normAxis('Split', intAttr(a, 'axis'), x.shape.length);
    const dim = x.shape[axis];
    if (sizes.length === 0 || sizes.some((n) => n < 0) || sizes.reduce((p, n) => p + n, 0) !== dim) {
      throw new ShapeError(
        'Split',
        `sizes [${sizes}] do not add up to axis ${axis} of ${formatShape(x.shape)}`,
      );
    }
    return sizes.map((n) => ({ dtype: x.dtype, shape: x.shape.map((d, i) => (i === axis ? n : d)) }));
  },
  Gather: (ins, a) => {
    const [x, idx] = [req('Gather', ins, 0), req('Gather', ins, 1)];
    requireDType('Gather', idx, ['int64'], 'indices');
    const axis = normAxis('Gather', intAttr(a, 'axis'), x.shape.length);
    return [{ dtype: x.dtype, shape: [...x.shape.slice(0, axis), ...idx.shape, ...x.shape.slice(axis + 1)] }];
  },
  Expand: (ins) => {
    const x = req('Expand', ins, 0);
    return [
      { dtype: x.dtype, shape: broadcastShapes('Expand', x.shape, knownValues('Expand', ins[1], 'shape')) },
    ];
  },
  Unsqueeze: (ins) => {
    const x = req('Unsqueeze', ins, 0);
    const rank = x.shape.length + knownInts('Unsqueeze', ins[1], 'axes').length;
    const axes = new Set(knownInts('Unsqueeze', ins[1], 'axes').map((ax) => normAxis('Unsqueeze', ax, rank)));
    const out: Dim[] = [];
    let j = 0;
    for (let i = 0; i < rank; i++) out.push(axes.has(i) ? 1 : x.shape[j++]!);
    return [{ dtype: x.dtype, shape: out, known: x.known }];
  },
  Squeeze: (ins) => {
    const x = req('Squeeze', ins, 0);
    const axes = ins[1]
      ? knownInts('Squeeze', ins[1], 'axes').map((ax) => normAxis('Squeeze', ax, x.shape.length))
      : x.shape.flatMap((d, i) => (d === 1 ? [i] : []));
    for (const ax of axes) {
      if (x.shape[ax] !== 1)
        throw new ShapeError('Squeeze', `axis ${ax} of ${formatShape(x.shape)} is not 1`);
    }
    return [{ dtype: x.dtype, shape: x.shape.filter((_, i) => !axes.includes(i)), known: x.known }];
  },
  Pad: (ins, a) => {
    const x = req('Pad', ins, 0);
    if (a.mode !== 'constant')
      throw new ShapeError('Pad', `only mode "constant" is supported, got ${String(a.mode)}`);
    const pads = knownInts('Pad', ins[1], 'pads');
    const r = x.shape.length;
    if (pads.length !== 2 * r)
      throw new ShapeError('Pad', `pads has ${pads.length} values, rank ${r} needs ${2 * r}`);
    const out = x.shape.map((d, i) => {
      const extra = pads[i]! + pads[i + r]!;
      if (typeof d === 'string') {
        if (extra !== 0) throw new ShapeError('Pad', `cannot pad symbolic dim ${d}`);
        return d;
      }
      return d + extra;
    });
    return [{ dtype: x.dtype, shape: out }];
  },
} satisfies Partial<Record<OpName, ShapeRule>>;
