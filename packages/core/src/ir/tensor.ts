/**
 * `Tensor` is defined with `Graph` and `Node` in graph.ts (each refers to the others) and gets its
 * builder methods from builder.ts; this module is its import path.
 */
export { Tensor } from './graph';
