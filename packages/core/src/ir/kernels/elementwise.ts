import { allocData, type DType, dtypeOfOnnxCode, type HostTensor, sizeOf, toNumbers } from '../dtype';
import { broadcastConcrete, stridesOf } from '../shape';
import { arg, type Kernel } from './kernel';

/**
 * For each output element, the flat index into each input under ONNX broadcasting.
 * Fast paths for equal shapes and scalars keep the oracle quick on MLP-sized tensors.
 */
export function broadcastIndex(
  op: string,
  shapes: readonly (readonly number[])[],
): { shape: number[]; index: Int32Array[] } {
  const shape = broadcastConcrete(op, shapes);
  const n = sizeOf(shape);
  const outStrides = stridesOf(shape);
  const index = shapes.map((s) => {
    const idx = new Int32Array(n);
    if (sizeOf(s) === n && s.length === shape.length) {
      for (let i = 0; i < n; i++) idx[i] = i;
      return idx;
    }
    if (sizeOf(s) === 1) return idx;
    const pad = shape.length - s.length;
    const st = stridesOf(s);
    const bs = shape.map((_, k) => (k < pad || s[k - pad] === 1 ? 0 : st[k - pad]!));
    for (let i = 0; i < n; i++) {
      let rem = i;
      let off = 0;
      for (let k = 0; k < shape.length; k++) {
        const q = Math.floor(rem / outStrides[k]!);
        rem -= q * outStrides[k]!;
        off += q * bs[k]!;
      }
      idx[i] = off;
    }
    return idx;
  });
  return { shape, index };
}

function write(dtype: DType, shape: number[], values: ArrayLike<number>): HostTensor {
  const data = allocData(dtype, values.length);
  if (dtype === 'int64')
    for (let i = 0; i < values.length; i++) (data as BigInt64Array)[i] = BigInt(Math.trunc(values[i]!));
  else for (let i = 0; i < values.length; i++) (data as Float32Array)[i] = values[i]!;
  return { dtype, shape, data };
}

/** Element-wise map of one input. */
export const map =
  (f: (x: number) => number): Kernel =>
  (ins, _a, _c) => {
    const x = arg(ins, 0, 'unary');
    const xs = toNumbers(x);
    const out = new Float64Array(xs.length);
    for (let i = 0; i < xs.length; i++) out[i] = f(xs[i]!);
    return [write(x.dtype, [...x.shape], out)];
  };

/** N-ary element-wise op with broadcasting; `outDType` overrides the output type (comparisons). */
export const zipN =
  (op: string, f: (...xs: number[]) => number, outDType?: DType): Kernel =>
  (ins) => {
    const ts = ins.map((_, i) => arg(ins, i, op));
    const { shape, index } = broadcastIndex(
      op,
      ts.map((t) => t.shape),
    );
    const vals = ts.map(toNumbers);
    const n = sizeOf(shape);
    const out = new Float64Array(n);
    const args = new Array<number>(ts.length);
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < ts.length; k++) args[k] = vals[k]![index[k]![i]!]!;
      out[i] = f(...args);
    }
    return [write(outDType ?? ts[0]!.dtype, shape, out)];
  };

/** Binary ops in float64, rounded on store; int64 Div truncates like ONNX. */
export const binary = (op: string, f: (a: number, b: number) => number, outDType?: DType): Kernel =>
  zipN(op, f as (...xs: number[]) => number, outDType);

export const whereKernel: Kernel = (ins) => {
  const [c, x, y] = [arg(ins, 0, 'Where'), arg(ins, 1, 'Where'), arg(ins, 2, 'Where')];
  const { shape, index } = broadcastIndex('Where', [c.shape, x.shape, y.shape]);
  const [cv, xv, yv] = [toNumbers(c), toNumbers(x), toNumbers(y)];
  const out = new Float64Array(sizeOf(shape));
  for (let i = 0; i < out.length; i++) out[i] = cv[index[0]![i]!] ? xv[index[1]![i]!]! : yv[index[2]![i]!]!;
  return [write(x.dtype, shape, out)];
};

export const clipKernel: Kernel = (ins) => {
  const x = arg(ins, 0, 'Clip');
  const lo = ins[1] ? toNumbers(ins[1])[0]! : Number.NEGATIVE_INFINITY;
  const hi = ins[2] ? toNumbers(ins[2])[0]! : Number.POSITIVE_INFINITY;
  return map((v) => (Number.isNaN(v) ? v : Math.min(Math.max(v, lo), hi)))([x], {}, undefined as never);
};

export const castKernel: Kernel = (ins, a) => {
  const x = arg(ins, 0, 'Cast');
  const to = dtypeOfOnnxCode(a.to as number)!;
  const xs = toNumbers(x);
  if (to === 'bool')
    return [{ dtype: 'bool', shape: [...x.shape], data: Uint8Array.from(xs, (v) => (v !== 0 ? 1 : 0)) }];
  return [write(to, [...x.shape], xs)];
};

/** Integer division truncating toward zero (ONNX int Div); float division otherwise. */
export const divKernel: Kernel = (ins, a, c) => {
  const isInt = arg(ins, 0, 'Div').dtype === 'int64';
  return binary('Div', isInt ? (p, q) => Math.trunc(p / q) : (p, q) => p / q)(ins, a, c);
};

const softplus = (x: number) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));

export const elementwiseKernels = {
  Identity: ((ins) => [arg(ins, 0, 'Identity')]) satisfies Kernel,
  Neg: map((x) => -x),
  Abs: map(Math.abs),
  Sign: map((x) => (x > 0 ? 1 : x < 0 ? -1 : 0)),
  Exp: map(Math.exp),
  Log: map(Math.log),
  Sqrt: map(Math.sqrt),
  Reciprocal: map((x) => 1 / x),
  Relu: map((x) => Math.max(x, 0)),
  Sigmoid: map((x) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)))),
  Tanh: map(Math.tanh),
  Softplus: map(softplus),
  Cos: map(Math.cos),
  Sin: map(Math.sin),
  Floor: map(Math.floor),
  LeakyRelu: ((ins, a, c) => map((x) => (x >= 0 ? x : (a.alpha as number) * x))(ins, a, c)) satisfies Kernel,
  Elu: ((ins, a, c) =>
    map((x) => (x >= 0 ? x : (a.alpha as number) * Math.expm1(x)))(ins, a, c)) satisfies Kernel,
  Cast: castKernel,
  Add: binary('Add', (p, q) => p + q),
  Sub: binary('Sub', (p, q) => p - q),
  Mul: binary('Mul', (p, q) => p * q),
  Div: divKernel,
  Pow: binary('Pow', Math.pow),
  Max: zipN('Max', Math.max),
  Min: zipN('Min', Math.min),
  Greater: binary('Greater', (p, q) => (p > q ? 1 : 0), 'bool'),
  Less: binary('Less', (p, q) => (p < q ? 1 : 0), 'bool'),
  Equal: binary('Equal', (p, q) => (p === q ? 1 : 0), 'bool'),
  Where: whereKernel,
  Clip: clipKernel,
};
