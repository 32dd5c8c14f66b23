import { ShapeError } from './errors';

/** A dimension: a fixed size, or a named symbol (the batch dimension, usually `'N'`). */
export type Dim = number | string;
export type Shape = readonly Dim[];

export const formatShape = (s: Shape): string => `[${s.join(', ')}]`;

/** True when every dim is a number. */
export function isStatic(s: Shape): s is readonly number[] {
  return s.every((d) => typeof d === 'number');
}

/** Element count as `{ symbol, count }`: `count` times the symbol (if any). One symbol at most. */
export function symbolicSize(op: string, s: Shape): { symbol: string | null; count: number } {
  let symbol: string | null = null;
  let count = 1;
  for (const d of s) {
    if (typeof d === 'number') count *= d;
    else if (symbol === null) symbol = d;
    else throw new ShapeError(op, `shape ${formatShape(s)} has more than one symbolic dimension`);
  }
  return { symbol, count };
}

/** Numpy/ONNX multidirectional broadcasting of two shapes. */
export function broadcastShapes(op: string, a: Shape, b: Shape): Dim[] {
  const rank = Math.max(a.length, b.length);
  const out: Dim[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da === db || db === 1) out.push(da);
    else if (da === 1) out.push(db);
    else throw new ShapeError(op, `cannot broadcast ${formatShape(a)} with ${formatShape(b)}`);
  }
  return out;
}

/** Normalises a possibly negative axis against a rank, with an error naming the op. */
export function normAxis(op: string, axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(a) || a < 0 || a >= rank) {
    throw new ShapeError(op, `axis ${axis} is out of range for rank ${rank}`);
  }
  return a;
}

/** Concrete shape of a broadcast of concrete shapes (used by kernels). */
export function broadcastConcrete(op: string, shapes: readonly (readonly number[])[]): number[] {
  return shapes.reduce<number[]>((acc, s) => broadcastShapes(op, acc, s) as number[], []);
}

/** Row-major strides of a concrete shape. */
export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}
