import { type HostTensor, sizeOf } from '../dtype';
import { normAxis } from '../shape';
import { arg, intsOf, type Kernel } from './kernel';

/**
 * Splits a shape around a set of reduced axes: each output element gathers the inputs whose
 * non-reduced coordinates match. Returns, per input element, the index of its output element.
 */
function reductionMap(
  shape: readonly number[],
  axes: ReadonlySet<number>,
): { outShapeKeep: number[]; target: Int32Array } {
  const outShapeKeep = shape.map((d, i) => (axes.has(i) ? 1 : d));
  const n = sizeOf(shape);
  const target = new Int32Array(n);
  const coords = new Array<number>(shape.length).fill(0);
  for (let i = 0; i < n; i++) {
    let t = 0;
    for (let d = 0; d < shape.length; d++) t = t * outShapeKeep[d]! + (axes.has(d) ? 0 : coords[d]!);
    target[i] = t;
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++coords[d]! < shape[d]!) break;
      coords[d] = 0;
    }
  }
  return { outShapeKeep, target };
}

const reduceWith =
  (
    op: string,
    init: number,
    step: (acc: number, x: number) => number,
    finish: (acc: number, count: number) => number,
  ) =>
  (x: HostTensor<'float32'>, axesIn: readonly number[], keepdims: boolean): HostTensor => {
    const axes = new Set(
      (axesIn.length ? axesIn : x.shape.map((_, i) => i)).map((a) => normAxis(op, a, x.shape.length)),
    );
    const { outShapeKeep, target } = reductionMap(x.shape, axes);
    const out = new Float64Array(sizeOf(outShapeKeep)).fill(init);
    for (let i = 0; i < x.data.length; i++) out[target[i]!] = step(out[target[i]!]!, x.data[i]!);
    const count = x.data.length / Math.max(out.length, 1);
    const shape = keepdims ? outShapeKeep : x.shape.filter((_, i) => !axes.has(i));
    return { dtype: 'float32', shape, data: Float32Array.from(out, (v) => finish(v, count)) };
  };

const sum = reduceWith(
  'ReduceSum',
  0,
  (a, x) => a + x,
  (a) => a,
);
const mean = reduceWith(
  'ReduceMean',
  0,
  (a, x) => a + x,
  (a, c) => a / c,
);
const max = reduceWith(
  'ReduceMax',
  Number.NEGATIVE_INFINITY,
  (a, x) => (x > a || Number.isNaN(x) ? x : a),
  (a) => a,
);

function logSumExp(x: HostTensor<'float32'>, axesIn: readonly number[], keepdims: boolean): HostTensor {
  const axes = new Set(
    (axesIn.length ? axesIn : x.shape.map((_, i) => i)).map((a) =>
      normAxis('ReduceLogSumExp', a, x.shape.length),
    ),
  );
  const m = max(x, [...axes], true);
  const { target } = reductionMap(x.shape, axes);
  const acc = new Float64Array(m.data.length);
  const mv = m.data as Float32Array;
  for (let i = 0; i < x.data.length; i++) {
    const t = target[i]!;
    acc[t]! += Number.isFinite(mv[t]!) ? Math.exp(x.data[i]! - mv[t]!) : 1;
  }
  const data = Float32Array.from(acc, (s, t) => (Number.isFinite(mv[t]!) ? mv[t]! + Math.log(s) : mv[t]!));
  return { dtype: 'float32', shape: keepdims ? [...m.shape] : x.shape.filter((_, i) => !axes.has(i)), data };
}

/** Softmax / LogSoftmax along one axis (opset 13 semantics), max-shifted for stability. */
const softmaxLike =
  (op: string, log: boolean): Kernel =>
  (ins, a) => {
    const x = arg(ins, 0, op) as HostTensor<'float32'>;
    const axis = normAxis(op, a.axis as number, x.shape.length);
    // logsumexp kept in float64 (not rounded to float32) before the subtraction.
    const { target } = reductionMap(x.shape, new Set([axis]));
    const n = x.data.length / x.shape[axis]!;
    const mx = new Float64Array(n).fill(Number.NEGATIVE_INFINITY);
    for (let i = 0; i < x.data.length; i++) mx[target[i]!] = Math.max(mx[target[i]!]!, x.data[i]!);
    const acc = new Float64Array(n);
    for (let i = 0; i < x.data.length; i++) acc[target[i]!]! += Math.exp(x.data[i]! - mx[target[i]!]!);
    const lse = Float64Array.from(acc, (s, t) => mx[t]! + Math.log(s));
    const out = new Float32Array(x.data.length);
    for (let i = 0; i < out.length; i++) {
      const v = x.data[i]! - lse[target[i]!]!;
      out[i] = log ? v : Math.exp(v);
    }
    return [{ dtype: 'float32', shape: [...x.shape], data: out }];
  };

export const reduceKernels = {
  Softmax: softmaxLike('Softmax', false),
  LogSoftmax: softmaxLike('LogSoftmax', true),
  ReduceSum: ((ins, a) => {
    const x = arg(ins, 0, 'ReduceSum') as HostTensor<'float32'>;
    const axes = ins[1] ? intsOf(ins[1]) : [];
    if (axes.length === 0 && a.noop_with_empty_axes === 1) return [x];
    return [sum(x, axes, a.keepdims === 1)];
  }) satisfies Kernel,
  ReduceMean: ((ins, a) => [
    mean(arg(ins, 0, 'ReduceMean') as HostTensor<'float32'>, (a.axes as number[]) ?? [], a.keepdims === 1),
  ]) satisfies Kernel,
  ReduceMax: ((ins, a) => [
    max(arg(ins, 0, 'ReduceMax') as HostTensor<'float32'>, (a.axes as number[]) ?? [], a.keepdims === 1),
  ]) satisfies Kernel,
  ReduceLogSumExp: ((ins, a) => [
    logSumExp(
      arg(ins, 0, 'ReduceLogSumExp') as HostTensor<'float32'>,
      (a.axes as number[]) ?? [],
      a.keepdims === 1,
    ),
  ]) satisfies Kernel,
};
