import {
  adam,
  type Backend,
  type BuiltGraph,
  type CompiledGraph,
  Graph,
  grad,
  type HostTensor,
  loop,
  type Tensor,
  toOnnx,
} from '@vae/core';
import * as ort from 'onnxruntime-node';

/** A deterministic float32 tensor (a small LCG, values in [-1, 1)). */
export function filled(shape: number[], seed: number): HostTensor<'float32'> {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = s / 2 ** 31 - 1;
  }
  return { dtype: 'float32', shape, data };
}

/**
 * K Adam steps of a two-layer tanh regression as one ONNX Loop (the shape of a training step graph:
 * loss, reverse-mode gradients and the optimizer update inside the body, weights and moments carried).
 */
export function adamLoopGraph(k: number, b = 8, din = 6, hidden = 16, dout = 3) {
  const opt = adam({ lr: 1e-2 });
  const params: Record<string, HostTensor> = {
    w1: filled([din, hidden], 1),
    w2: filled([hidden, dout], 2),
  };
  const state = opt.initState(params);
  const g = new Graph(`adam_loop_k${k}`);
  const names = Object.keys(params);
  const stateNames = Object.keys(state);
  const p0 = names.map((n) => g.input(n, [...params[n]!.shape]));
  const s0 = stateNames.map((n) => g.input(`optim.${n}`, [...state[n]!.shape]));
  const xs = g.input('x', [k, b, din]);
  const ys = g.input('y', [k, b, dout]);
  const [finals, scans] = loop(g, k, [...p0, ...s0], (iter, carried) => {
    const ps = carried.slice(0, names.length);
    const [w1, w2] = ps as [Tensor, Tensor];
    const pred = xs.gather(iter, 0).matmul(w1).tanh().matmul(w2);
    const loss = pred.sub(ys.gather(iter, 0)).square().mean();
    const gs = grad(loss, ps);
    const next = opt.update({
      params: Object.fromEntries(names.map((n, i) => [n, ps[i]!])),
      grads: Object.fromEntries(names.map((n, i) => [n, gs[i]!])),
      state: Object.fromEntries(stateNames.map((n, i) => [n, carried[names.length + i]!])),
    });
    return {
      carried: [...names.map((n) => next.params[n]!), ...stateNames.map((n) => next.state[n]!)],
      scans: [loss],
    };
  });
  const outputs: Record<string, Tensor> = { loss: scans[0]! };
  names.forEach((n, i) => {
    outputs[`next.${n}`] = finals[i]!;
  });
  const built: BuiltGraph = { graph: g, outputs };
  const feeds: Record<string, HostTensor> = {
    ...params,
    ...Object.fromEntries(stateNames.map((n) => [`optim.${n}`, state[n]!])),
    x: filled([k, b, din], 3),
    y: filled([k, b, dout], 4),
  };
  return { built, feeds };
}

/** Runs ONNX bytes on onnxruntime-node (single thread, no prepacking): the reference side of parity tests. */
export async function runOnNode(
  onnx: Uint8Array,
  feeds: Record<string, HostTensor>,
): Promise<Record<string, Float32Array>> {
  const s = await ort.InferenceSession.create(onnx, {
    intraOpNumThreads: 1,
    extra: { session: { disable_prepacking: '1' } },
  });
  try {
    const f: Record<string, ort.Tensor> = {};
    for (const n of s.inputNames) {
      const t = feeds[n]!;
      f[n] = new ort.Tensor(t.dtype as 'float32', t.data as Float32Array, [...t.shape]);
    }
    const out = await s.run(f);
    return Object.fromEntries(s.outputNames.map((n) => [n, out[n]!.data as Float32Array]));
  } finally {
    await s.release();
  }
}

/** Largest |a - b| / max(|b|, floor) over two arrays of one length. */
export function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>, floor = 1e-3): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++)
    m = Math.max(m, Math.abs(a[i]! - b[i]!) / Math.max(Math.abs(b[i]!), floor));
  return m;
}

/**
 * core's Backend on onnxruntime-node (1 thread, no prepacking): the Node side of recipe parity
 * tests (train-web may not import train-node, whose OrtBackend is the same few lines).
 */
export function nodeBackend(): Backend {
  const sessions: ort.InferenceSession[] = [];
  const cache = new Map<string, Promise<CompiledGraph>>();
  const load = async (onnx: Uint8Array): Promise<CompiledGraph> => {
    const s = await ort.InferenceSession.create(onnx, {
      intraOpNumThreads: 1,
      extra: { session: { disable_prepacking: '1' } },
    });
    sessions.push(s);
    return {
      inputNames: [...s.inputNames],
      outputNames: [...s.outputNames],
      async run(feeds) {
        const f: Record<string, ort.Tensor> = {};
        for (const n of s.inputNames) {
          const t = feeds[n]!;
          f[n] = new ort.Tensor(t.dtype as 'float32', t.data as Float32Array, [...t.shape]);
        }
        const out = await s.run(f);
        return Object.fromEntries(
          s.outputNames.map((n) => [
            n,
            { dtype: out[n]!.type, shape: out[n]!.dims.map(Number), data: out[n]!.data } as HostTensor,
          ]),
        );
      },
    };
  };
  return {
    compile(k, build) {
      let hit = cache.get(k);
      if (!hit) {
        const b = build();
        hit = load(toOnnx(b.graph, { outputs: b.outputs, bind: b.bind }));
        cache.set(k, hit);
      }
      return hit;
    },
    load,
    async dispose() {
      await Promise.all(sessions.splice(0).map((s) => s.release()));
    },
  };
}

/** A CSV of `n` rows: two numbers (one with gaps), a category and a yes/no column. */
export function sampleCsv(n: number): string {
  const lines = ['height,weight,colour,tall'];
  for (let i = 0; i < n; i++) {
    const h = 150 + ((i * 37) % 50);
    const w = i % 17 === 0 ? '' : (h * 0.4 + ((i * 13) % 11)).toFixed(1);
    lines.push(`${h},${w},${['red', 'green', 'blue'][i % 3]},${h > 175 ? 'yes' : 'no'}`);
  }
  return `${lines.join('\n')}\n`;
}
