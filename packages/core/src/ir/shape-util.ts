import type { DType } from './dtype';
import { ShapeError } from './errors';
import type { Attrs } from './ops';
import { type Dim, formatShape, type Shape } from './shape';

/** What shape inference knows of a tensor: dtype, static shape, and known values if any. */
export interface TensorMeta {
  readonly dtype: DType;
  readonly shape: Shape;
  readonly known?: readonly Dim[] | undefined;
}

export type ShapeRule = (inputs: readonly (TensorMeta | null)[], attrs: Attrs) => TensorMeta[];

/** The i-th input, which must be present. */
export function req(op: string, inputs: readonly (TensorMeta | null)[], i: number): TensorMeta {
  const m = inputs[i];
  if (!m) throw new ShapeError(op, `input ${i} is required`);
  return m;
}

/** Values of a statically known integer tensor (axes, pads, shapes), with symbols if `allowSymbols`. */
export function knownValues(op: string, m: TensorMeta | null | undefined, what: string): readonly Dim[] {
  if (!m) throw new ShapeError(op, `${what} is required`);
  if (!m.known)
    throw new ShapeError(op, `${what} must be statically known (a constant or derived from Shape)`);
  return m.known;
}

export function knownInts(op: string, m: TensorMeta | null | undefined, what: string): number[] {
  const v = knownValues(op, m, what);
  if (!v.every((d) => typeof d === 'number')) {
    throw new ShapeError(op, `${what} must be numeric, got [${v.join(', ')}]`);
  }
  return v as number[];
}

export function requireDType(op: string, m: TensorMeta, allowed: readonly DType[], what = 'input'): void {
  if (!allowed.includes(m.dtype))
    throw new ShapeError(op, `${what} must be ${allowed.join(' or ')}, got ${m.dtype}`);
}

export function sameDType(op: string, a: TensorMeta, b: TensorMeta): void {
  if (a.dtype !== b.dtype) {
    throw new ShapeError(
      op,
      `dtypes differ: ${a.dtype}${formatShape(a.shape)} vs ${b.dtype}${formatShape(b.shape)}`,
    );
  }
}

export const intAttr = (a: Attrs, k: string): number => a[k] as number;
export const intsAttr = (a: Attrs, k: string): readonly number[] | undefined =>
  a[k] as readonly number[] | undefined;
