/** Shared by the bundle tests: run bundle files on onnxruntime-node and the interpreter. Test-only. */
import { fold, key, uniform } from '@vae/random';
import * as ort from 'onnxruntime-node';
import type { HostTensor } from '../ir/dtype';
import { interpret } from '../ir/interpret';
import type { VAE } from '../models/vae';

export const tensor = (shape: number[], data: Float32Array): HostTensor => ({
  dtype: 'float32',
  shape,
  data,
});

/** Random feeds for a role graph's data inputs at batch n: x in [0, 1), one-hot c, 0/1 mask, z ~ U(-2, 2). */
export function dataFeeds(
  vae: VAE,
  role: 'encoder' | 'decoder',
  n: number,
  seed: number,
): Record<string, HostTensor> {
  const s = vae.spec;
  const k = key(seed);
  const out: Record<string, HostTensor> = {};
  if (role === 'encoder') {
    const d = s.dataShape.reduce((a, b) => a * b, 1);
    out.x = tensor([n, ...s.dataShape], uniform(fold(k, 0), n * d));
    if (s.likelihood.type === 'tabular') {
      const cols = s.likelihood.columns.length;
      out.mask = tensor(
        [n, cols],
        Float32Array.from(uniform(fold(k, 1), n * cols), (u) => (u < 0.8 ? 1 : 0)),
      );
    }
  } else {
    out.z = tensor([n, s.latent], uniform(fold(k, 2), n * s.latent, { low: -2, high: 2 }));
  }
  if (s.condition) {
    const size = s.condition.size;
    const c = new Float32Array(n * size);
    for (let i = 0; i < n; i++) c[i * size + ((i * 7 + seed) % size)] = 1;
    out.c = tensor([n, size], c);
  }
  return out;
}

/** The reference: the unbound role graph on the interpreter. */
export function reference(
  vae: VAE,
  role: 'encoder' | 'decoder',
  params: Readonly<Record<string, HostTensor>>,
  feeds: Record<string, HostTensor>,
): Record<string, Float32Array> {
  const { graph, outputs } = vae.roleGraph(role);
  const names = new Set(graph.inputs.map((t) => t.name));
  const all: Record<string, HostTensor> = { ...feeds };
  for (const [n, v] of Object.entries(params)) if (names.has(n)) all[n] = v;
  const keys = Object.keys(outputs);
  const vals = interpret(
    graph,
    keys.map((k) => outputs[k]!),
    all,
  );
  return Object.fromEntries(keys.map((k, i) => [k, vals[i]!.data as Float32Array]));
}

/**
 * Runs an ONNX file on onnxruntime-node; returns outputs by name and the session's io names.
 * `optimization` 'disabled' runs the graph node by node; the default ('all') lets onnxruntime fuse
 * (e.g. DynamicQuantizeLinear + MatMulInteger + Cast + Mul into DynamicQuantizeMatMul).
 */
export async function runFile(
  bytes: Uint8Array,
  feeds: Record<string, HostTensor>,
  optimization: 'disabled' | 'all' = 'all',
): Promise<{
  out: Record<string, Float32Array>;
  inputNames: readonly string[];
  outputNames: readonly string[];
}> {
  const session = await ort.InferenceSession.create(bytes, { graphOptimizationLevel: optimization });
  try {
    const res = await session.run(
      Object.fromEntries(
        Object.entries(feeds).map(([k, v]) => [
          k,
          new ort.Tensor('float32', v.data as Float32Array, [...v.shape]),
        ]),
      ),
    );
    const out = Object.fromEntries(Object.entries(res).map(([k, t]) => [k, t.data as Float32Array]));
    return { out, inputNames: session.inputNames, outputNames: session.outputNames };
  } finally {
    await session.release();
  }
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}
