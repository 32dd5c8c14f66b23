import type { HostTensor } from '../dtype';
import { FeedError } from '../errors';
import type { Graph } from '../graph';
import type { Attrs } from '../ops';

/** What a kernel may ask of the interpreter: run a sub-graph (Loop bodies). */
export interface KernelContext {
  runSubgraph(graph: Graph, inputs: readonly HostTensor[]): HostTensor[];
}

/** A reference kernel: concrete inputs (null = omitted optional input) to concrete outputs. */
export type Kernel = (
  inputs: readonly (HostTensor | null)[],
  attrs: Attrs,
  ctx: KernelContext,
) => HostTensor[];

export function arg(inputs: readonly (HostTensor | null)[], i: number, op: string): HostTensor {
  const t = inputs[i];
  if (!t) throw new FeedError(`${op}: input ${i} is missing at run time`);
  return t;
}

/** int64/float tensor contents as plain numbers (axes, shapes, pads). */
export function intsOf(t: HostTensor): number[] {
  return Array.from(t.data as ArrayLike<number | bigint>, Number);
}
