import { ShapeError } from './errors';
import type { Attrs } from './ops';

/** Resolved 2-D window parameters of Conv / ConvTranspose / pooling (defaults filled in). */
export interface Window2d {
  kernel: [number, number];
  strides: [number, number];
  dilations: [number, number];
  /** [top, left, bottom, right], ONNX order (x1_begin, x2_begin, x1_end, x2_end). */
  pads: [number, number, number, number];
  group: number;
}

function pair(op: string, name: string, v: readonly number[] | undefined, dflt: number): [number, number] {
  if (v === undefined) return [dflt, dflt];
  if (v.length !== 2 || !v.every((x) => Number.isInteger(x) && x >= 1)) {
    throw new ShapeError(op, `${name} must be two positive integers (2-D), got [${v}]`);
  }
  return [v[0]!, v[1]!];
}

/** Reads window attributes; `kernelFromWeight` is used when kernel_shape is absent (Conv). */
export function window2d(op: string, attrs: Attrs, kernelFromWeight?: readonly number[]): Window2d {
  if (attrs.auto_pad !== undefined && attrs.auto_pad !== 'NOTSET') {
    throw new ShapeError(op, `auto_pad ${String(attrs.auto_pad)} is not supported; give explicit pads`);
  }
  const ks = (attrs.kernel_shape as readonly number[] | undefined) ?? kernelFromWeight;
  if (!ks) throw new ShapeError(op, 'kernel_shape is required');
  const pads = (attrs.pads as readonly number[] | undefined) ?? [0, 0, 0, 0];
  if (pads.length !== 4 || !pads.every((p) => Number.isInteger(p) && p >= 0)) {
    throw new ShapeError(op, `pads must be four non-negative integers, got [${pads}]`);
  }
  return {
    kernel: pair(op, 'kernel_shape', ks, 1),
    strides: pair(op, 'strides', attrs.strides as readonly number[] | undefined, 1),
    dilations: pair(op, 'dilations', attrs.dilations as readonly number[] | undefined, 1),
    pads: [pads[0]!, pads[1]!, pads[2]!, pads[3]!],
    group: (attrs.group as number | undefined) ?? 1,
  };
}

/** Output length of a strided window over `size` (floor, or ceil for pooling's ceil_mode). */
export function convOutLength(
  size: number,
  k: number,
  s: number,
  d: number,
  padBegin: number,
  padEnd: number,
  ceil = false,
): number {
  const span = size + padBegin + padEnd - d * (k - 1) - 1;
  const n = (ceil ? Math.ceil(span / s) : Math.floor(span / s)) + 1;
  // ONNX/PyTorch (and the pooling kernel): with ceil_mode, the last window must start inside the
  // input or left padding.
  return ceil && (n - 1) * s >= size + padBegin ? n - 1 : n;
}

/** Output length of a transposed convolution. */
export function convTransposeOutLength(
  size: number,
  k: number,
  s: number,
  d: number,
  padBegin: number,
  padEnd: number,
  outPad: number,
): number {
  return s * (size - 1) + outPad + (k - 1) * d + 1 - padBegin - padEnd;
}
