import { adam, buildStepGraph, type HostTensor, key, mlpVAE, stepNoiseFeeds, toOnnx } from '@vae/core';
import { describe, expect, it } from 'vitest';
import { OrtWebBackend } from './ort-web-backend';
import { filled, maxRelDiff, runOnNode } from './test-helpers';

/**
 * The training step graph `vae train` runs (buildStepGraph: ELBO, gradients, Adam's loop form, K
 * steps per call in an ONNX Loop), lowered once, run on onnxruntime-web (wasm, 1 thread) and on
 * onnxruntime-node (1 thread, no prepacking) with the same feeds.
 */
function stepCase(k: number, o: { hidden: number[]; latent: number; batch: number }) {
  const vae = mlpVAE({ inputSize: 784, hidden: o.hidden, latent: o.latent });
  const optimizer = adam({ lr: 1e-3 });
  const params = vae.init(key(1));
  const state = optimizer.initState(params);
  const stateShapes = Object.fromEntries(Object.entries(state).map(([n, t]) => [n, t.shape]));
  const built = buildStepGraph({ vae, optimizer, batchSize: o.batch, stateShapes, maxSteps: k });
  const onnx = toOnnx(built.graph, { outputs: built.outputs });
  const x = filled([k, o.batch, 784], 7);
  const bin = x.data as Float32Array;
  for (let i = 0; i < bin.length; i++) bin[i] = bin[i]! > 0.3 ? 1 : 0; // binarised pixels
  const feeds: Record<string, HostTensor> = {
    ...params,
    ...Object.fromEntries(Object.entries(state).map(([n, t]) => [`optim.${n}`, t])),
    x,
    beta: { dtype: 'float32', shape: [k], data: new Float32Array(k).fill(1) },
    ...stepNoiseFeeds(built.noise.draws, key(2), 0, k),
  };
  return { onnx, feeds };
}

describe('training step parity: onnxruntime-web vs onnxruntime-node', () => {
  it('runs the K-step Loop graph on onnxruntime-web with the losses and weights of onnxruntime-node', async () => {
    const k = 16;
    const { onnx, feeds } = stepCase(k, { hidden: [64], latent: 8, batch: 32 });
    const backend = new OrtWebBackend({ noPrepacking: true });
    try {
      const web = await (await backend.load(onnx)).run(feeds);
      const node = await runOnNode(onnx, feeds);
      const lw = web.loss!.data as Float32Array;
      expect(lw.length).toBe(k);
      expect(lw[k - 1]!).toBeLessThan(lw[0]!);
      // Same ONNX bytes, same feeds; float32 kernels that may sum in other orders (MLAS native vs
      // its wasm SIMD build). Measured (this test, K=16): losses equal to ~1e-7 relative, weights
      // ~1e-6. Bound: 1e-5 relative on losses, 1e-4 on the weights after 16 Adam steps (Adam
      // divides by sqrt(v) + eps, which magnifies differences in tiny gradients).
      const lossDiff = maxRelDiff(lw, node.loss!);
      const weightDiff = maxRelDiff(
        web['next.dec.0.weight']!.data as Float32Array,
        node['next.dec.0.weight']!,
      );
      console.log(
        `parity K=${k}: loss max rel diff ${lossDiff.toExponential(2)}, weights ${weightDiff.toExponential(2)}`,
      );
      expect(lossDiff).toBeLessThan(1e-5);
      expect(weightDiff).toBeLessThan(1e-4);
    } finally {
      await backend.dispose();
    }
  });
});
