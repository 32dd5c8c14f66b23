import type { Graph } from '../ir/graph';
import { broadcastShapes, type Dim, isStatic, type Shape } from '../ir/shape';
import type { Tensor } from '../ir/tensor';

/** Sums a broadcast cotangent back down to `shape` (the inverse of ONNX broadcasting). */
export function unbroadcast(g: Tensor, shape: Shape): Tensor {
  if (g.shape.length === shape.length && g.shape.every((d, i) => d === shape[i])) return g;
  const lead = g.shape.length - shape.length;
  let out = g;
  if (lead > 0) out = out.sum([...Array(lead).keys()], false);
  const axes = shape.flatMap((d, i) => (d === 1 && out.shape[i] !== 1 ? [i] : []));
  if (axes.length) out = out.sum(axes, true);
  return out;
}

/** The runtime shape of `t` as an int64 tensor: a constant when static, else `Shape(t)`. */
export function shapeTensor(t: Tensor): Tensor {
  return isStatic(t.shape) ? t.graph.ints(t.shape) : t.shapeOf();
}

/** Broadcasts `g` up to the shape of `like` (used by reductions' VJPs). */
export function expandLike(g: Tensor, like: Tensor): Tensor {
  return g.expand(shapeTensor(like));
}

const sameShape = (a: Shape, b: Shape) => a.length === b.length && a.every((d, i) => d === b[i]);

/**
 * `g * f` for a cotangent `g` that may be a broadcast (Expand) of a smaller one, as reductions'
 * VJPs produce: multiplies by the smaller source when broadcasting gives the same result shape, so
 * the full-size copy is never read (and, once unused, never computed).
 */
export function mulCotangent(g: Tensor, f: Tensor): Tensor {
  const p = g.producer;
  const src = p?.op === 'Expand' ? p.inputs[0]! : null;
  if (src && sameShape(broadcastShapes('Mul', src.shape, f.shape), broadcastShapes('Mul', g.shape, f.shape)))
    return src.mul(f);
  return g.mul(f);
}

/** `-g`, negating before rather than after a broadcast (Expand) so the negation stays small. */
export function negCotangent(g: Tensor): Tensor {
  const p = g.producer;
  return p?.op === 'Expand' ? p.inputs[0]!.neg().expand(p.inputs[1]!) : g.neg();
}

/** Reshapes `g` to the shape of `like`. */
export function reshapeLike(g: Tensor, like: Tensor): Tensor {
  return g.reshape(shapeTensor(like));
}

/** Zeros shaped like `t` (static shapes become a constant; symbolic ones an Expand). */
export function zerosLike(t: Tensor): Tensor {
  const g: Graph = t.graph;
  if (isStatic(t.shape)) {
    const n = t.shape.reduce((p, d) => p * d, 1);
    return g.constant({ dtype: 'float32', shape: [...t.shape], data: new Float32Array(n) });
  }
  return g.scalar(0).expand(t.shapeOf());
}

/** Number of elements over `axes` of `x` as a float32 tensor (a constant when static). */
export function countOver(x: Tensor, axes: readonly number[]): Tensor {
  const dims: Dim[] = axes.map((a) => x.shape[a]!);
  const fixed = dims.filter((d): d is number => typeof d === 'number').reduce((p, d) => p * d, 1);
  let count = x.graph.scalar(fixed);
  for (const [i, d] of dims.entries()) {
    if (typeof d === 'string')
      count = count.mul(
        x
          .shapeOf()
          .gather(x.graph.ints([axes[i]!]))
          .cast('float32'),
      );
  }
  return count;
}

/** Axes of a reduction, normalised; empty means all. */
export function reducedAxes(x: Tensor, axes: readonly number[] | undefined): number[] {
  const r = x.shape.length;
  const list = axes?.length ? axes : [...Array(r).keys()];
  return list.map((a) => (a < 0 ? a + r : a)).sort((a, b) => a - b);
}

/** Puts reduced axes back as size-1 dims when the reduction dropped them. */
export function keepDims(g: Tensor, axes: readonly number[], keepdims: boolean): Tensor {
  return keepdims || axes.length === 0 ? g : g.unsqueeze(axes);
}
