// The matrix products of the MLP step on onnxruntime-node (native MLAS) and onnxruntime-web (the
// browser's wasm, run here in Node), one thread each, same process: what bounds browser training's
// speed against Node's. Prints ms per product, GFLOP/s and the ratio.
//   pnpm exec tsx --conditions=@vae/source browser-train/matmul-kernels.ts   (from bench/)
import { Graph, toOnnx } from '@vae/core';
import * as ortNode from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web';

type Ort = typeof ortNode | typeof ortWeb;
const REPS = 200;

async function msPerRun(ort: Ort, bytes: Uint8Array, a: Float32Array, b: Float32Array, dims: number[]) {
  const [m, k, n] = dims as [number, number, number];
  if ('wasm' in ort.env) ort.env.wasm.numThreads = 1;
  const session = await ort.InferenceSession.create(bytes, {
    intraOpNumThreads: 1,
    graphOptimizationLevel: 'all',
  });
  const feeds = () => ({ a: new ort.Tensor('float32', a, [m, k]), b: new ort.Tensor('float32', b, [k, n]) });
  for (let i = 0; i < 5; i++) await session.run(feeds() as never);
  const t0 = performance.now();
  for (let i = 0; i < REPS; i++) await session.run(feeds() as never);
  return (performance.now() - t0) / REPS;
}

// The step's products at batch 128 on 784-400-20: encoder layer 1, decoder output, a weight gradient.
for (const dims of [
  [128, 784, 400],
  [128, 400, 784],
  [784, 128, 400],
]) {
  const [m, k, n] = dims as [number, number, number];
  const g = new Graph('matmul');
  const bytes = toOnnx(g, { outputs: { y: g.input('a', [m, k]).matmul(g.input('b', [k, n])) } });
  const a = Float32Array.from({ length: m * k }, (_, i) => Math.sin(i));
  const b = Float32Array.from({ length: k * n }, (_, i) => Math.cos(i));
  const node = await msPerRun(ortNode, bytes, a, b, dims);
  const web = await msPerRun(ortWeb, bytes, a, b, dims);
  const gflop = (2 * m * k * n) / 1e9;
  console.log(
    `MatMul ${m}x${k}x${n}: node ${node.toFixed(3)} ms (${((gflop / node) * 1e3).toFixed(0)} GFLOP/s), ` +
      `web ${web.toFixed(3)} ms (${((gflop / web) * 1e3).toFixed(0)} GFLOP/s), web/node ${(web / node).toFixed(2)}x`,
  );
}
