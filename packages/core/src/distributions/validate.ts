/**
 * Parameter handling shared by the distributions: numbers become constants, shapes are broadcast
 * (torch's `broadcast_all`), and values are checked against constraints when they are statically
 * known, i.e. when a parameter is a Constant node (a number, or `graph.constant(...)`). Values
 * computed at run time cannot be checked while building a graph, as in a jitted JAX program.
 */
import { type HostTensor, toNumbers } from '../ir/dtype';
import type { Graph } from '../ir/graph';
import { broadcastShapes, type Dim, formatShape, isStatic, type Shape } from '../ir/shape';
import type { Tensor } from '../ir/tensor';
import type { Constraint } from './constraints';
import { DistributionError } from './errors';

/** A distribution parameter: a tensor, or a number that becomes a scalar constant. */
export type Param = Tensor | number;

/** Options every distribution constructor takes. */
export interface DistributionOptions {
  /** Check constant parameter values (and constant `logProb` inputs); default {@link getValidateArgs}. */
  readonly validateArgs?: boolean;
}

let validateDefault = true;

/**
 * Turns value checks on or off for distributions built afterwards without an explicit
 * `validateArgs` (torch's `Distribution.set_default_validate_args`). Shape checks always run.
 */
export function setValidateArgs(on: boolean): void {
  validateDefault = on;
}

/** Whether value checks run by default (true unless {@link setValidateArgs} turned them off). */
export function getValidateArgs(): boolean {
  return validateDefault;
}

/** Resolves the per-instance switch against the module default. */
export const validating = (opts: DistributionOptions | undefined): boolean =>
  opts?.validateArgs ?? validateDefault;

/** The graph that number parameters are built into: the innermost graph among the tensor parameters. */
export function graphOf(kind: string, params: readonly Param[]): Graph {
  let g: Graph | null = null;
  for (const p of params) if (typeof p !== 'number' && (!g || p.graph.depth > g.depth)) g = p.graph;
  if (!g) throw new DistributionError(kind, 'needs at least one Tensor parameter to know its graph');
  return g;
}

/** A parameter as a float32 tensor in `g`. */
export function toTensor(kind: string, name: string, g: Graph, p: Param): Tensor {
  if (typeof p === 'number') return g.scalar(p);
  if (p.dtype !== 'float32') throw new DistributionError(kind, `${name} must be float32, got ${p.dtype}`);
  return p;
}

/** Element values of a tensor when they are known while building (a Constant node), else undefined. */
export function constantValues(t: Tensor): ArrayLike<number> | undefined {
  if (t.producer?.op !== 'Constant') return undefined;
  return toNumbers(t.producer.attrs.value as HostTensor);
}

/**
 * Throws when a statically known `t` has an element outside `c`, naming the constraint, e.g.
 * `normal: scale must be > 0, got -1 at index 0`. Does nothing when `on` is false or `t` is not constant.
 */
export function checkValues(kind: string, name: string, t: Tensor, c: Constraint, on: boolean): void {
  if (!on) return;
  const vs = constantValues(t);
  if (!vs) return;
  for (let i = 0; i < vs.length; i++) {
    if (!c.check(vs[i]!))
      throw new DistributionError(kind, `${name} must be ${c.describe}, got ${vs[i]} at index ${i}`);
  }
}

/**
 * One parameter of an alternative parameterisation (Normal's logVar, Bernoulli's probs) as a
 * float32 tensor in the graph of `all` (the parameters it is given with), checked against `c`.
 */
export function paramTensor(
  kind: string,
  name: string,
  p: Param,
  all: readonly Param[],
  c: Constraint | undefined,
  opts: DistributionOptions | undefined,
): Tensor {
  const t = toTensor(kind, name, graphOf(kind, all), p);
  if (c) checkValues(kind, name, t, c, validating(opts));
  return t;
}

/** Broadcast shape of the parameters, or a DistributionError naming every parameter's shape. */
export function batchShapeOf(kind: string, params: Readonly<Record<string, Tensor>>): Dim[] {
  const entries = Object.entries(params);
  try {
    return entries.reduce<Dim[]>((s, [, t]) => broadcastShapes(kind, s, t.shape), []);
  } catch {
    const shapes = entries.map(([n, t]) => `${n}${formatShape(t.shape)}`).join(', ');
    throw new DistributionError(kind, `parameter shapes do not broadcast: ${shapes}`);
  }
}

const sameShape = (a: Shape, b: Shape): boolean => a.length === b.length && a.every((d, i) => d === b[i]);

/**
 * Broadcasts every parameter to their common shape (torch's `broadcast_all`), so `mean`,
 * `variance` and samples have the full batch shape. Parameters already of that shape are untouched.
 */
export function broadcastAll<K extends string>(
  kind: string,
  params: Readonly<Record<K, Tensor>>,
): { shape: Dim[]; params: Record<K, Tensor> } {
  const shape = batchShapeOf(kind, params);
  const all = Object.values(params) as Tensor[];
  const out = {} as Record<K, Tensor>;
  for (const name of Object.keys(params) as K[]) {
    const p = params[name];
    if (sameShape(p.shape, shape)) out[name] = p;
    else if (isStatic(shape)) out[name] = p.expand(p.graph.ints(shape));
    // ONNX Expand broadcasts both ways, so expanding by each other parameter's runtime shape works.
    else
      out[name] = all.reduce((acc, q) => (sameShape(q.shape, acc.shape) ? acc : acc.expand(q.shapeOf())), p);
  }
  return { shape, params: out };
}

/** `[...sampleShape, ...batchShape, ...eventShape]`, the shape of a draw. */
export const extendedShape = (sampleShape: Shape, batchShape: Shape, eventShape: Shape = []): Dim[] => [
  ...sampleShape,
  ...batchShape,
  ...eventShape,
];
