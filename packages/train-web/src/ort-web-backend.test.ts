import { Graph, isUserError, toOnnx } from '@vae/core';
import { describe, expect, it } from 'vitest';
import { BackendError } from './errors';
import { OrtWebBackend } from './ort-web-backend';
import { adamLoopGraph, maxRelDiff, runOnNode } from './test-helpers';

describe('OrtWebBackend', () => {
  it('starts onnxruntime-web (wasm, 1 thread in Node) and passes its self-check', async () => {
    const backend = new OrtWebBackend();
    await backend.init();
    expect(backend.executionProvider).toBe('wasm');
    expect(backend.threads).toBe(1);
    await backend.dispose();
  });

  it('falls back to wasm with a reason when WebGPU is asked for and missing', async () => {
    const backend = new OrtWebBackend({ executionProvider: 'webgpu' });
    await backend.init();
    expect(backend.executionProvider).toBe('wasm');
    expect(backend.fallback).toBe('navigator.gpu is not available');
    await backend.dispose();
  });

  it('refuses a bad thread count and names a bad file', async () => {
    expect(() => new OrtWebBackend({ threads: 0 })).toThrow(BackendError);
    const backend = new OrtWebBackend();
    const e = await backend.load(new Uint8Array([1, 2, 3]), 'bad.onnx').catch((x) => x);
    expect(e).toBeInstanceOf(BackendError);
    expect(isUserError(e)).toBe(true);
    expect(e.message).toMatch(/^bad\.onnx: onnxruntime-web cannot load this model: /);
    await backend.dispose();
  });

  it('compiles once per key and runs host tensors in and out', async () => {
    const backend = new OrtWebBackend();
    let builds = 0;
    const build = () => {
      builds++;
      const g = new Graph('twice');
      const x = g.input('x', ['N', 2]);
      return { graph: g, outputs: { y: x.add(x) } };
    };
    const a = await backend.compile('twice', build);
    const b = await backend.compile('twice', build);
    expect(a).toBe(b);
    expect(builds).toBe(1);
    const { y } = await a.run({ x: { dtype: 'float32', shape: [2, 2], data: Float32Array.of(1, 2, 3, 4) } });
    expect(y!.shape).toEqual([2, 2]);
    expect([...(y!.data as Float32Array)]).toEqual([2, 4, 6, 8]);
    await expect(a.run({})).rejects.toThrow('missing feeds: x');
    await backend.dispose();
  });

  it('runs a K-step ONNX Loop (loss, gradients, Adam) like onnxruntime-node', async () => {
    const k = 8;
    const { built, feeds } = adamLoopGraph(k);
    const onnx = toOnnx(built.graph, { outputs: built.outputs });
    const backend = new OrtWebBackend({ noPrepacking: true });
    const web = await (await backend.load(onnx)).run(feeds);
    const node = await runOnNode(onnx, feeds);
    const lossWeb = web.loss!.data as Float32Array;
    expect(lossWeb.length).toBe(k);
    // Losses fall: the loop really trains.
    expect(lossWeb[k - 1]!).toBeLessThan(lossWeb[0]!);
    // float32 with kernels that may sum in another order (wasm SIMD vs native MLAS): a few ulps per
    // op, compounded over K steps; measured max rel diff 0 (same MLAS code compiled to wasm) - bound 1e-5.
    expect(maxRelDiff(lossWeb, node.loss!)).toBeLessThan(1e-5);
    expect(maxRelDiff(web['next.w1']!.data as Float32Array, node['next.w1']!)).toBeLessThan(1e-5);
    await backend.dispose();
  });
});
