/**
 * Test oracles shared by the op tests: onnxruntime-node (the real runtime) and central finite
 * differences (for VJPs). Test-only; not part of the package API.
 */
import { fold, normal, key as prngKey, uniform } from '@vae/random';
import * as ort from 'onnxruntime-node';
import { grad } from '../autodiff/grad';
import type { DType, HostTensor } from '../ir/dtype';
import { Graph } from '../ir/graph';
import { interpret } from '../ir/interpret';
import type { Dim } from '../ir/shape';
import type { Tensor } from '../ir/tensor';
import { toOnnx } from '../onnx/lower';

export type Gen =
  | 'normal'
  | 'positive'
  | 'awayFromZero'
  | 'unit'
  | { ints: [number, number] }
  | 'bool'
  | number[];

export interface InputSpec {
  /** Shape fed at run time. */
  shape: number[];
  /** Declared shape when it differs (e.g. 'N' for a symbolic batch dim). */
  declared?: Dim[];
  dtype?: DType;
  gen?: Gen;
  /** Not a graph input but a constant baked into the graph (e.g. axes). */
  constant?: boolean;
}

export interface OpCase {
  name: string;
  inputs: InputSpec[];
  build: (g: Graph, xs: Tensor[]) => Tensor | Tensor[];
  /** Inputs whose VJP is checked (default: every float32 graph input); false = no gradient check. */
  grad?: boolean | number[];
  /** Relative tolerance for the finite-difference check (default 2e-3). */
  gradTol?: number;
}

export function makeInput(spec: InputSpec, seed: number): HostTensor {
  const n = spec.shape.reduce((p, d) => p * d, 1);
  const k = fold(prngKey(1234), seed);
  const gen = spec.gen ?? 'normal';
  const dtype =
    spec.dtype ?? (typeof gen === 'object' && 'ints' in gen ? 'int64' : gen === 'bool' ? 'bool' : 'float32');
  let values: ArrayLike<number>;
  if (Array.isArray(gen)) values = gen;
  else if (gen === 'normal') values = normal(k, n);
  else if (gen === 'positive') values = uniform(k, n, { low: 0.5, high: 2 });
  else if (gen === 'unit') values = uniform(k, n, { low: 0.05, high: 0.95 });
  else if (gen === 'awayFromZero') values = Array.from(normal(k, n), (v) => (v >= 0 ? v + 0.1 : v - 0.1));
  else if (gen === 'bool') values = Array.from(uniform(k, n), (v) => (v < 0.5 ? 1 : 0));
  else values = Array.from(uniform(k, n), (v) => gen.ints[0] + Math.floor(v * (gen.ints[1] - gen.ints[0])));
  if (dtype === 'int64')
    return { dtype, shape: spec.shape, data: BigInt64Array.from(Array.from(values), (v) => BigInt(v)) };
  if (dtype === 'bool') return { dtype, shape: spec.shape, data: Uint8Array.from(values) };
  return { dtype, shape: spec.shape, data: Float32Array.from(values) };
}

export interface BuiltCase {
  graph: Graph;
  inputs: Tensor[];
  outputs: Tensor[];
  feeds: Record<string, HostTensor>;
}

/** Builds a case's graph: graph inputs for fed specs, constants for `constant` specs. */
export function buildCase(c: OpCase): BuiltCase {
  const graph = new Graph(c.name.replace(/\W/g, '_'));
  const feeds: Record<string, HostTensor> = {};
  const xs = c.inputs.map((spec, i) => {
    const value = makeInput(spec, i);
    if (spec.constant) return graph.constant(value);
    const t = graph.input(`x${i}`, spec.declared ?? spec.shape, value.dtype);
    feeds[t.name] = value;
    return t;
  });
  const out = c.build(graph, xs);
  return { graph, inputs: xs, outputs: Array.isArray(out) ? out : [out], feeds };
}

const toOrt = (t: HostTensor) => new ort.Tensor(t.dtype, t.data as Float32Array, [...t.shape]);

/** Runs graph outputs on onnxruntime-node (lowered through our ONNX writer). */
export async function runOrt(
  graph: Graph,
  outputs: readonly Tensor[],
  feeds: Record<string, HostTensor>,
): Promise<HostTensor[]> {
  const names = Object.fromEntries(outputs.map((t, i) => [`y${i}`, t]));
  const bytes = toOnnx(graph, { outputs: names });
  const session = await ort.InferenceSession.create(bytes, { graphOptimizationLevel: 'all' });
  const res = await session.run(Object.fromEntries(Object.entries(feeds).map(([k, v]) => [k, toOrt(v)])));
  await session.release();
  return outputs.map((_, i) => {
    const t = res[`y${i}`]!;
    return { dtype: t.type as DType, shape: [...t.dims], data: t.data } as HostTensor;
  });
}

/** Max of |a-b| / (|b| + floor) over elements, and the shapes agree. */
export function relError(a: HostTensor, b: HostTensor, floor = 1e-3): number {
  if (a.shape.join() !== b.shape.join()) return Number.POSITIVE_INFINITY;
  let worst = 0;
  for (let i = 0; i < a.data.length; i++) {
    const x = Number(a.data[i]);
    const y = Number(b.data[i]);
    if (Number.isNaN(x) && Number.isNaN(y)) continue;
    if (x === y) continue;
    worst = Math.max(worst, Math.abs(x - y) / (Math.abs(y) + floor));
  }
  return worst;
}

/**
 * Directional finite-difference check of the VJP: for a random cotangent r and direction v,
 * <grad sum(r*y), v> vs (f(x+eps v) - f(x-eps v)) / 2eps, with f accumulated in float64.
 * Returns { analytic, numeric } for each checked input.
 */
export function vjpVsFiniteDifference(
  c: OpCase,
  eps = 1e-3,
): { input: number; analytic: number; numeric: number; scale: number }[] {
  const built = buildCase(c);
  const y = built.outputs[0]!;
  const g = built.graph;
  const rSpec: InputSpec = {
    shape: built.feeds.x0
      ? y.shape.map((d) => (typeof d === 'number' ? d : built.feeds.x0!.shape[0]!))
      : (y.shape as number[]),
  };
  const r = g.input('cotangent', y.shape);
  const rVal = makeInput(rSpec, 99);
  const loss = y.mul(r).sum();
  const checked = (
    c.grad === undefined || c.grad === true ? c.inputs.map((_, i) => i) : (c.grad as number[])
  ).filter((i) => !c.inputs[i]!.constant && built.inputs[i]!.dtype === 'float32');
  const grads = grad(
    loss,
    checked.map((i) => built.inputs[i]!),
  );
  const feeds = { ...built.feeds, cotangent: rVal };
  const gVals = interpret(g, grads, feeds);
  const f = (fd: Record<string, HostTensor>) => {
    const [out] = interpret(g, [y], fd);
    let s = 0;
    for (let i = 0; i < out!.data.length; i++)
      s += (out!.data as Float32Array)[i]! * (rVal.data as Float32Array)[i]!;
    return s;
  };
  return checked.map((i, k) => {
    const name = built.inputs[i]!.name;
    const x = built.feeds[name] as HostTensor<'float32'>;
    const v = makeInput({ shape: [...x.shape] }, 1000 + i).data as Float32Array;
    const shifted = (sign: number) => ({
      ...feeds,
      [name]: { ...x, data: x.data.map((xv, j) => xv + sign * eps * v[j]!) },
    });
    const numeric = (f(shifted(1)) - f(shifted(-1))) / (2 * eps);
    const gv = gVals[k]!.data as Float32Array;
    let analytic = 0;
    let scale = 0;
    for (let j = 0; j < gv.length; j++) {
      analytic += gv[j]! * v[j]!;
      scale += Math.abs(gv[j]! * v[j]!);
    }
    return { input: i, analytic, numeric, scale };
  });
}
