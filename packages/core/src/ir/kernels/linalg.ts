import { type HostTensor, sizeOf } from '../dtype';
import { broadcastShapes, stridesOf } from '../shape';
import { arg, type Kernel } from './kernel';

/** C[m,n] = sum_k A[m,k] B[k,n] accumulated in float64 (the oracle is more exact than float32 BLAS). */
function gemmCore(
  a: Float32Array,
  aOff: number,
  b: Float32Array,
  bOff: number,
  out: Float64Array,
  oOff: number,
  m: number,
  k: number,
  n: number,
  ta: boolean,
  tb: boolean,
): void {
  const row = new Float64Array(n);
  for (let i = 0; i < m; i++) {
    row.fill(0);
    for (let p = 0; p < k; p++) {
      const av = a[aOff + (ta ? p * m + i : i * k + p)]!;
      if (av === 0) continue;
      if (tb) for (let j = 0; j < n; j++) row[j]! += av * b[bOff + j * k + p]!;
      else {
        const base = bOff + p * n;
        for (let j = 0; j < n; j++) row[j]! += av * b[base + j]!;
      }
    }
    out.set(row, oOff + i * n);
  }
}

export const matmulKernel: Kernel = (ins) => {
  const [A, B] = [arg(ins, 0, 'MatMul'), arg(ins, 1, 'MatMul')];
  const as = A.shape.length === 1 ? [1, A.shape[0]!] : [...A.shape];
  const bs = B.shape.length === 1 ? [B.shape[0]!, 1] : [...B.shape];
  const [m, k, n] = [as[as.length - 2]!, as[as.length - 1]!, bs[bs.length - 1]!];
  const batch = broadcastShapes('MatMul', as.slice(0, -2), bs.slice(0, -2)) as number[];
  const nb = sizeOf(batch);
  const out = new Float64Array(nb * m * n);
  const bStr = stridesOf(batch);
  const offset = (s: number[], b: number, mat: number) => {
    const own = s.slice(0, -2);
    const pad = batch.length - own.length;
    const st = stridesOf(own);
    let off = 0;
    for (let d = 0; d < batch.length; d++) {
      const q = Math.floor(b / bStr[d]!) % batch[d]!;
      if (d >= pad && own[d - pad] !== 1) off += q * st[d - pad]!;
    }
    return off * mat;
  };
  for (let b = 0; b < nb; b++) {
    gemmCore(
      A.data as Float32Array,
      offset(as, b, m * k),
      B.data as Float32Array,
      offset(bs, b, k * n),
      out,
      b * m * n,
      m,
      k,
      n,
      false,
      false,
    );
  }
  const shape = [...batch, m, n];
  if (A.shape.length === 1) shape.splice(shape.length - 2, 1);
  if (B.shape.length === 1) shape.splice(shape.length - 1, 1);
  return [{ dtype: 'float32', shape, data: Float32Array.from(out) }];
};

export const gemmKernel: Kernel = (ins, a) => {
  const [A, B] = [arg(ins, 0, 'Gemm'), arg(ins, 1, 'Gemm')];
  const ta = a.transA === 1;
  const tb = a.transB === 1;
  const [m, k] = ta ? [A.shape[1]!, A.shape[0]!] : [A.shape[0]!, A.shape[1]!];
  const n = tb ? B.shape[0]! : B.shape[1]!;
  const out = new Float64Array(m * n);
  gemmCore(A.data as Float32Array, 0, B.data as Float32Array, 0, out, 0, m, k, n, ta, tb);
  const alpha = a.alpha as number;
  const beta = a.beta as number;
  const C = ins[2] as HostTensor<'float32'> | null;
  const cs = C ? C.shape : [];
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let v = alpha * out[i * n + j]!;
      if (C) {
        const ci =
          cs.length === 2
            ? (cs[0] === 1 ? 0 : i) * cs[1]! + (cs[1] === 1 ? 0 : j)
            : cs.length === 1
              ? cs[0] === 1
                ? 0
                : j
              : 0;
        v += beta * C.data[ci]!;
      }
      out[i * n + j] = v;
    }
  }
  return [{ dtype: 'float32', shape: [m, n], data: Float32Array.from(out) }];
};
