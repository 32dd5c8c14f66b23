/**
 * The shape-rule table: every op's output dtypes and shapes (with statically known values) from its
 * inputs' and its attributes. One file per op family, gathered here and checked complete.
 */
import { ShapeError } from './errors';
import type { Attrs, OpName, SubgraphAttr } from './ops';
import type { Dim } from './shape';
import { elementwiseShapeRules } from './shape-rules-elementwise';
import { movementShapeRules } from './shape-rules-movement';
import { convShapeRules } from './shape-rules-nn';
import { reduceShapeRules } from './shape-rules-reduce';
import type { ShapeRule, TensorMeta } from './shape-util';

export type { ShapeRule, TensorMeta };

export const shapeRules = {
  ...elementwiseShapeRules,
  ...reduceShapeRules,
  ...movementShapeRules,
  ...convShapeRules,
  Loop: (ins, a) => {
    const body = a.body as SubgraphAttr;
    const trip = ins[0];
    const steps: Dim = trip?.known && typeof trip.known[0] === 'number' ? trip.known[0] : 'K';
    const carried = ins.slice(2);
    const outs = body.outputs.slice(1);
    if (body.inputs.length !== carried.length + 2 || outs.length < carried.length) {
      throw new ShapeError(
        'Loop',
        `body takes ${body.inputs.length} inputs, loop gives ${carried.length + 2}`,
      );
    }
    return outs.map((o, i) =>
      i < carried.length
        ? { dtype: o.dtype, shape: o.shape }
        : { dtype: o.dtype, shape: [steps, ...o.shape] },
    );
  },
} satisfies Record<OpName, ShapeRule>;

export type { Attrs };
