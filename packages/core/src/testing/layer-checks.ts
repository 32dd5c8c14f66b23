/**
 * Test-only checks for layers, on the op-case harness: a layer as an OpCase (input first, then one
 * fed input per parameter), its VJPs against central finite differences, and the forward pass and
 * gradients on onnxruntime-node against the interpreter.
 */
import { expect } from 'vitest';
import { grad } from '../autodiff/grad';
import { interpret } from '../ir/interpret';
import type { Tensor } from '../ir/tensor';
import { type ApplyContext, apply } from '../layers/apply';
import { paramShapes } from '../layers/shapes';
import type { LayerSpec } from '../layers/spec';
import {
  buildCase,
  type InputSpec,
  makeInput,
  type OpCase,
  relError,
  runOrt,
  vjpVsFiniteDifference,
} from './harness';

/**
 * `spec` applied to input `x` with its parameters as inputs 1..P (normal draws times `scale`,
 * applied in the graph so finite differences see the same function), plus `extra` inputs that
 * `ctx` may read (e.g. a mask).
 */
export function layerCase(
  name: string,
  spec: LayerSpec,
  x: InputSpec,
  opts: {
    scale?: number;
    extra?: InputSpec[];
    ctx?: (extra: Tensor[]) => ApplyContext;
    grad?: number[];
  } = {},
): OpCase {
  const shapes = Object.entries(paramShapes(spec, 'm'));
  const extra = opts.extra ?? [];
  return {
    name,
    inputs: [x, ...shapes.map(([, shape]) => ({ shape })), ...extra],
    build: (_g, xs) => {
      const params = Object.fromEntries(
        shapes.map(([n], i) => [n, opts.scale ? xs[i + 1]!.mul(opts.scale) : xs[i + 1]!]),
      );
      const ctx = opts.ctx?.(xs.slice(1 + shapes.length)) ?? {};
      return apply(spec, params, xs[0]!, ctx, 'm');
    },
    ...(opts.grad ? { grad: opts.grad } : {}),
  };
}

/** Every checked input's directional derivative agrees with central differences (relative `tol`). */
export function expectGradsMatchFd(c: OpCase, tol = 2e-3): void {
  for (const r of vjpVsFiniteDifference(c)) {
    expect(
      Math.abs(r.analytic - r.numeric),
      `${c.name} input ${r.input}: analytic ${r.analytic} vs numeric ${r.numeric}`,
    ).toBeLessThanOrEqual(tol * Math.max(r.scale, 1e-2));
  }
}

/**
 * Forward output and the gradients of sum(y * r) (r a fed random cotangent) w.r.t. every float32
 * input agree between onnxruntime-node and the interpreter to `tol` (relative, 1e-2 floor).
 */
export async function expectOrtParityWithGrads(c: OpCase, tol = 1e-5): Promise<void> {
  const b = buildCase(c);
  const y = b.outputs[0]!;
  const concrete = y.shape.map((d) => (typeof d === 'number' ? d : b.feeds.x0!.shape[0]!));
  const r = b.graph.input('cotangent', y.shape);
  const wrt = b.inputs.filter((t, i) => t.dtype === 'float32' && !c.inputs[i]!.constant);
  const grads = grad(y.mul(r).sum(), wrt);
  const feeds = { ...b.feeds, cotangent: makeInput({ shape: concrete }, 77) };
  const outs = [y, ...grads];
  const ours = interpret(b.graph, outs, feeds);
  const theirs = await runOrt(b.graph, outs, feeds);
  ours.forEach((t, i) => {
    expect(theirs[i]!.shape, `${c.name} output ${i} shape`).toEqual(t.shape);
    expect(relError(theirs[i]!, t, 1e-2), `${c.name} output ${i}`).toBeLessThanOrEqual(tol);
  });
}
