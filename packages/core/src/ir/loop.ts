import { ShapeError } from './errors';
import { Graph } from './graph';
import { formatShape } from './shape';
import type { Tensor } from './tensor';

export interface LoopBody {
  /** Next values of the loop-carried tensors (same dtypes and shapes as the initial values). */
  carried: Tensor[];
  /** Per-iteration values, stacked along a new leading axis of length tripCount. */
  scans?: Tensor[];
  /** Keep going while true (bool scalar); default: run all iterations. */
  cond?: Tensor;
}

let loopCount = 0;

/**
 * ONNX Loop: runs `body(iter, carried)` `tripCount` times. The body is built in a sub-graph that
 * may read tensors of the enclosing graph (weights, data), as ONNX outer-scope references allow.
 * Returns the final carried values and the stacked scan outputs.
 */
export function loop(
  graph: Graph,
  tripCount: number | Tensor,
  initial: readonly Tensor[],
  body: (iter: Tensor, carried: Tensor[]) => LoopBody,
): [Tensor[], Tensor[]] {
  const sub = new Graph(`loop${loopCount++}_body`, graph);
  const iter = sub.input(`${sub.name}_iter`, [], 'int64');
  const condIn = sub.input(`${sub.name}_cond`, [], 'bool');
  const carriedIn = initial.map((t, i) => sub.input(`${sub.name}_c${i}`, t.shape, t.dtype));
  const out = body(iter, carriedIn);
  if (out.carried.length !== initial.length) {
    throw new ShapeError(
      'Loop',
      `body returned ${out.carried.length} carried values for ${initial.length} inputs`,
    );
  }
  out.carried.forEach((t, i) => {
    const want = initial[i]!;
    if (t.dtype !== want.dtype || formatShape(t.shape) !== formatShape(want.shape)) {
      throw new ShapeError(
        'Loop',
        `carried value ${i} changes from ${want.dtype}${formatShape(want.shape)} to ${t.dtype}${formatShape(t.shape)}`,
      );
    }
  });
  sub.outputs = [out.cond ?? condIn, ...out.carried, ...(out.scans ?? [])];
  const trip = typeof tripCount === 'number' ? graph.scalar(tripCount, 'int64') : tripCount;
  const results = graph.apply('Loop', [trip, graph.scalar(1, 'bool'), ...initial], { body: sub });
  return [results.slice(0, initial.length), results.slice(initial.length)];
}
