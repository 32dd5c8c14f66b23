import { window2d } from '../conv-params';
import type { HostTensor } from '../dtype';
import { normAxis } from '../shape';
import { arg, type Kernel } from './kernel';

type F32 = HostTensor<'float32'>;
const f32 = (ins: readonly (HostTensor | null)[], i: number, op: string) => arg(ins, i, op) as F32;
const out4 = (n: number, c: number, h: number, w: number) => ({
  shape: [n, c, h, w],
  data: new Float64Array(n * c * h * w),
});
const done = (o: { shape: number[]; data: Float64Array }): HostTensor[] => [
  { dtype: 'float32', shape: o.shape, data: Float32Array.from(o.data) },
];

/** Direct 2-D convolution, NCHW, with groups: the definition, not a fast algorithm. */
export const convKernel: Kernel = (ins, a, _c) => {
  const x = f32(ins, 0, 'Conv');
  const w = f32(ins, 1, 'Conv');
  const b = ins[2] as F32 | null;
  const [N, C, H, W] = x.shape as [number, number, number, number];
  const [M, Cg, KH, KW] = w.shape as [number, number, number, number];
  const p = window2d('Conv', a, [KH, KW]);
  const OH = Math.floor((H + p.pads[0] + p.pads[2] - p.dilations[0] * (KH - 1) - 1) / p.strides[0]) + 1;
  const OW = Math.floor((W + p.pads[1] + p.pads[3] - p.dilations[1] * (KW - 1) - 1) / p.strides[1]) + 1;
  const o = out4(N, M, OH, OW);
  const Mg = M / p.group;
  for (let n = 0; n < N; n++)
    for (let m = 0; m < M; m++) {
      const g = Math.floor(m / Mg);
      for (let oh = 0; oh < OH; oh++)
        for (let ow = 0; ow < OW; ow++) {
          let s = b ? b.data[m]! : 0;
          for (let cg = 0; cg < Cg; cg++) {
            const c = g * Cg + cg;
            for (let kh = 0; kh < KH; kh++) {
              const ih = oh * p.strides[0] - p.pads[0] + kh * p.dilations[0];
              if (ih < 0 || ih >= H) continue;
              for (let kw = 0; kw < KW; kw++) {
                const iw = ow * p.strides[1] - p.pads[1] + kw * p.dilations[1];
                if (iw < 0 || iw >= W) continue;
                s += x.data[((n * C + c) * H + ih) * W + iw]! * w.data[((m * Cg + cg) * KH + kh) * KW + kw]!;
              }
            }
          }
          o.data[((n * M + m) * OH + oh) * OW + ow] = s;
        }
    }
  return done(o);
};

/** Transposed convolution as the scatter that defines it (each input pixel spreads the kernel). */
export const convTransposeKernel: Kernel = (ins, a) => {
  const x = f32(ins, 0, 'ConvTranspose');
  const w = f32(ins, 1, 'ConvTranspose');
  const b = ins[2] as F32 | null;
  const [N, C, H, W] = x.shape as [number, number, number, number];
  const [, Mg, KH, KW] = w.shape as [number, number, number, number];
  const p = window2d('ConvTranspose', a, [KH, KW]);
  const op = (a.output_padding as number[] | undefined) ?? [0, 0];
  const OH = p.strides[0] * (H - 1) + (op[0] ?? 0) + (KH - 1) * p.dilations[0] + 1 - p.pads[0] - p.pads[2];
  const OW = p.strides[1] * (W - 1) + (op[1] ?? 0) + (KW - 1) * p.dilations[1] + 1 - p.pads[1] - p.pads[3];
  const M = Mg * p.group;
  const Cg = C / p.group;
  const o = out4(N, M, OH, OW);
  for (let n = 0; n < N; n++)
    for (let m = 0; m < M; m++)
      if (b) o.data.fill(b.data[m]!, (n * M + m) * OH * OW, (n * M + m + 1) * OH * OW);
  for (let n = 0; n < N; n++)
    for (let c = 0; c < C; c++) {
      const g = Math.floor(c / Cg);
      for (let ih = 0; ih < H; ih++)
        for (let iw = 0; iw < W; iw++) {
          const xv = x.data[((n * C + c) * H + ih) * W + iw]!;
          for (let mg = 0; mg < Mg; mg++) {
            const m = g * Mg + mg;
            for (let kh = 0; kh < KH; kh++) {
              const oh = ih * p.strides[0] - p.pads[0] + kh * p.dilations[0];
              if (oh < 0 || oh >= OH) continue;
              for (let kw = 0; kw < KW; kw++) {
                const ow = iw * p.strides[1] - p.pads[1] + kw * p.dilations[1];
                if (ow < 0 || ow >= OW) continue;
                o.data[((n * M + m) * OH + oh) * OW + ow]! +=
                  xv * w.data[((c * Mg + mg) * KH + kh) * KW + kw]!;
              }
            }
          }
        }
    }
  return done(o);
};

const poolKernel =
  (op: 'MaxPool' | 'AveragePool'): Kernel =>
  (ins, a) => {
    const x = f32(ins, 0, op);
    const [N, C, H, W] = x.shape as [number, number, number, number];
    const p = window2d(op, a);
    const ceil = a.ceil_mode === 1;
    const len = (size: number, k: number, s: number, d: number, pb: number, pe: number) => {
      const span = size + pb + pe - d * (k - 1) - 1;
      let n = (ceil ? Math.ceil(span / s) : Math.floor(span / s)) + 1;
      // ONNX/PyTorch: with ceil_mode, the last window must start inside the input or left padding.
      if (ceil && (n - 1) * s >= size + pb) n--;
      return n;
    };
    const OH = len(H, p.kernel[0], p.strides[0], p.dilations[0], p.pads[0], p.pads[2]);
    const OW = len(W, p.kernel[1], p.strides[1], p.dilations[1], p.pads[1], p.pads[3]);
    const o = out4(N, C, OH, OW);
    const includePad = a.count_include_pad === 1;
    for (let nc = 0; nc < N * C; nc++)
      for (let oh = 0; oh < OH; oh++)
        for (let ow = 0; ow < OW; ow++) {
          let acc = op === 'MaxPool' ? Number.NEGATIVE_INFINITY : 0;
          let count = 0;
          let padCount = 0;
          for (let kh = 0; kh < p.kernel[0]; kh++) {
            const ih = oh * p.strides[0] - p.pads[0] + kh * p.dilations[0];
            for (let kw = 0; kw < p.kernel[1]; kw++) {
              const iw = ow * p.strides[1] - p.pads[1] + kw * p.dilations[1];
              const inPadded = ih < H + p.pads[2] && iw < W + p.pads[3];
              if (ih < 0 || ih >= H || iw < 0 || iw >= W) {
                if (inPadded) padCount++;
                continue;
              }
              const v = x.data[(nc * H + ih) * W + iw]!;
              acc = op === 'MaxPool' ? Math.max(acc, v) : acc + v;
              count++;
            }
          }
          o.data[(nc * OH + oh) * OW + ow] =
            op === 'MaxPool' ? acc : acc / (includePad ? count + padCount : count);
        }
    return done(o);
  };

/** Nearest-neighbour upsampling by integer scales (asymmetric coordinates, floor). */
export const resizeKernel: Kernel = (ins) => {
  const x = f32(ins, 0, 'Resize');
  const scales = Array.from(arg(ins, 2, 'Resize').data as Float32Array);
  const shape = x.shape.map((d, i) => d * scales[i]!);
  const r = shape.length;
  const out = new Float32Array(x.data.length * scales.reduce((p, s) => p * s, 1));
  const c = new Array<number>(r).fill(0);
  for (let i = 0; i < out.length; i++) {
    let off = 0;
    for (let d = 0; d < r; d++) off = off * x.shape[d]! + Math.floor(c[d]! / scales[d]!);
    out[i] = x.data[off]!;
    for (let d = r - 1; d >= 0; d--) {
      if (++c[d]! < shape[d]!) break;
      c[d] = 0;
    }
  }
  return [{ dtype: 'float32', shape, data: out }];
};

export const nnKernels = {
  Conv: convKernel,
  ConvTranspose: convTransposeKernel,
  MaxPool: poolKernel('MaxPool'),
  AveragePool: poolKernel('AveragePool'),
  Resize: resizeKernel,
  BatchNormalization: ((ins, a) => {
    const [x, s, b, mu, v] = [0, 1, 2, 3, 4].map((i) => f32(ins, i, 'BatchNormalization')) as F32[];
    const [C, inner] = [x!.shape[1]!, x!.shape.slice(2).reduce((p, d) => p * d, 1)];
    const eps = a.epsilon as number;
    const out = Float32Array.from(x!.data, (xv, i) => {
      const c = Math.floor(i / inner) % C;
      return ((xv - mu!.data[c]!) / Math.sqrt(v!.data[c]! + eps)) * s!.data[c]! + b!.data[c]!;
    });
    return [{ dtype: 'float32', shape: [...x!.shape], data: out }];
  }) satisfies Kernel,
  LayerNormalization: ((ins, a) => {
    const x = f32(ins, 0, 'LayerNormalization');
    const scale = f32(ins, 1, 'LayerNormalization');
    const bias = ins[2] as F32 | null;
    const axis = normAxis('LayerNormalization', a.axis as number, x.shape.length);
    const inner = x.shape.slice(axis).reduce((p, d) => p * d, 1);
    const out = new Float32Array(x.data.length);
    for (let r = 0; r < x.data.length / inner; r++) {
      let mean = 0;
      for (let j = 0; j < inner; j++) mean += x.data[r * inner + j]!;
      mean /= inner;
      let vr = 0;
      for (let j = 0; j < inner; j++) vr += (x.data[r * inner + j]! - mean) ** 2;
      const inv = 1 / Math.sqrt(vr / inner + (a.epsilon as number));
      for (let j = 0; j < inner; j++) {
        out[r * inner + j] =
          (x.data[r * inner + j]! - mean) * inv * scale.data[j]! + (bias ? bias.data[j]! : 0);
      }
    }
    return [{ dtype: 'float32', shape: [...x.shape], data: out }];
  }) satisfies Kernel,
};
