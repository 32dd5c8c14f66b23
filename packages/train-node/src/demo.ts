import {
  Graph,
  grad,
  type HostTensor,
  key,
  loop,
  normal,
  split,
  type Tensor,
  toOnnx,
  uniform,
} from '@vae/core';
import * as ort from 'onnxruntime-node';

export interface DemoResult {
  losses: number[];
  stepsPerSecond: number;
  onnxBytes: number;
}

/**
 * What the foundation can do today: a 2-layer MLP regression whose K SGD steps run inside one
 * ONNX Loop on onnxruntime-node (weights never leave the runtime between steps).
 */
export async function foundationDemo(steps = 64, batch = 128): Promise<DemoResult> {
  const g = new Graph('demo');
  const x = g.input('x', ['N', 16]);
  const y = g.input('y', ['N', 1]);
  const params = [g.input('w1', [16, 32]), g.input('b1', [32]), g.input('w2', [32, 1]), g.input('b2', [1])];
  const lossOf = ([w1, b1, w2, b2]: Tensor[]) =>
    x.matmul(w1!).add(b1!).tanh().matmul(w2!).add(b2!).sub(y).square().mean();
  const [finals, scans] = loop(g, steps, params, (_i, ps) => {
    const l = lossOf(ps);
    const gs = grad(l, ps);
    return { carried: ps.map((p, j) => p.sub(gs[j]!.mul(0.05))), scans: [l] };
  });
  const bytes = toOnnx(g, { outputs: { losses: scans[0]!, w1_final: finals[0]! } });
  const [kx, kw1, kw2] = split(key(0), 3) as [
    ReturnType<typeof key>,
    ReturnType<typeof key>,
    ReturnType<typeof key>,
  ];
  const xs = uniform(kx, batch * 16, { low: -1, high: 1 });
  const ys = Float32Array.from(
    { length: batch },
    (_, i) => Math.sin(3 * xs[i * 16]!) + 0.5 * xs[i * 16 + 1]!,
  );
  const t = (shape: number[], data: Float32Array): HostTensor => ({ dtype: 'float32', shape, data });
  const feeds = {
    x: t([batch, 16], xs),
    y: t([batch, 1], ys),
    w1: t([16, 32], normal(kw1, 512, { std: 0.25 })),
    b1: t([32], new Float32Array(32)),
    w2: t([32, 1], normal(kw2, 32, { std: 0.18 })),
    b2: t([1], new Float32Array(1)),
  };
  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 2 });
  const ortFeeds = Object.fromEntries(
    Object.entries(feeds).map(([k, v]) => [
      k,
      new ort.Tensor('float32', v.data as Float32Array, [...v.shape]),
    ]),
  );
  await session.run(ortFeeds); // warm-up
  const t0 = performance.now();
  const out = await session.run(ortFeeds);
  const seconds = (performance.now() - t0) / 1000;
  await session.release();
  return {
    losses: Array.from(out.losses!.data as Float32Array),
    stepsPerSecond: steps / seconds,
    onnxBytes: bytes.length,
  };
}
