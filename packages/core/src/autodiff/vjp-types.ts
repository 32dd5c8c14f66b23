import type { Node } from '../ir/graph';
import type { Tensor } from '../ir/tensor';

/**
 * A VJP rule: given the cotangents of a node's outputs (null = zero) and which inputs need a
 * cotangent, build the input cotangents (null = zero or not needed) with the same builder.
 */
export type VjpRule = (
  cotangents: readonly (Tensor | null)[],
  node: Node,
  wants: readonly boolean[],
) => (Tensor | null)[];
