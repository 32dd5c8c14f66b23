import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { f32, type HostTensor } from '../ir/dtype';
import { Graph } from '../ir/graph';
import { toOnnx } from '../onnx/lower';
import { type OrtSessionLike, sessionGraph } from './session-graph';

class BadFeed extends Error {}

async function affine(source?: string) {
  const g = new Graph('affine');
  const x = g.input('x', ['N', 2]);
  const w = g.input('w', [2, 1]);
  const onnx = toOnnx(g, { outputs: { y: x.matmul(w).add(0.5) } });
  const session = await ort.InferenceSession.create(onnx);
  return sessionGraph(session as OrtSessionLike<ort.Tensor>, onnx, {
    toRuntime: (t: HostTensor) => new ort.Tensor('float32', t.data as Float32Array, [...t.shape]),
    feedError: (message, cause) => new BadFeed(message, { cause }),
    runtime: 'onnxruntime',
    ...(source ? { source } : {}),
  });
}

describe('sessionGraph', () => {
  it('runs an onnxruntime session on host tensors, as the interpreter computes them', async () => {
    const g = await affine();
    expect(g.inputNames).toEqual(['x', 'w']);
    const out = await g.run({ x: f32([2, 2], [1, 2, 3, 4]), w: f32([2, 1], [1, -1]), extra: f32([1], [0]) });
    expect(out.y!.shape).toEqual([2, 1]);
    expect(Array.from(out.y!.data as Float32Array)).toEqual([-0.5, -0.5]);
  });

  it("names missing feeds, and a failed run on a user's file names the file, in the backend's error", async () => {
    const g = await affine('model.onnx');
    await expect(g.run({ x: f32([2, 2], [1, 2, 3, 4]) })).rejects.toThrow(new BadFeed('missing feeds: w'));
    const bad = await g.run({ x: f32([1, 3], [1, 2, 3]), w: f32([2, 1], [1, -1]) }).catch((e) => e);
    expect(bad).toBeInstanceOf(BadFeed);
    expect(bad.message).toMatch(/^model\.onnx: onnxruntime cannot run it on these inputs: /);
    // Without a source the failure is a bug in our own graph: onnxruntime's error passes unchanged.
    const own = await (await affine())
      .run({ x: f32([1, 3], [1, 2, 3]), w: f32([2, 1], [1, -1]) })
      .catch((e) => e);
    expect(own).not.toBeInstanceOf(BadFeed);
  });
});
