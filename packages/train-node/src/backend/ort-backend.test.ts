import { Graph, isUserError, TrainConfigError, toOnnx } from '@vae/core';
import { describe, expect, it } from 'vitest';
import { FeedError, OnnxModelError, OrtBackend } from './ort-backend';

/** y = x + x on [N, 2]. */
function doubler(): Uint8Array {
  const g = new Graph('doubler');
  const x = g.input('x', ['N', 2]);
  return toOnnx(g, { outputs: { y: x.add(x) } });
}

describe('OrtBackend errors', () => {
  it('refuses thread counts onnxruntime would reject or misread', () => {
    for (const threads of [0, -1, 1.5]) expect(() => new OrtBackend({ threads })).toThrow(TrainConfigError);
    expect(() => new OrtBackend({ threads: 1.5 })).toThrow('threads must be a positive integer, got 1.5');
  });

  it("turns onnxruntime's complaints about a user's file into user errors naming it", async () => {
    const backend = new OrtBackend({ threads: 1 });
    try {
      const bad = await backend.load(new Uint8Array([1, 2, 3, 4]), 'models/bad.onnx').catch((e) => e);
      expect(bad).toBeInstanceOf(OnnxModelError);
      expect(isUserError(bad)).toBe(true);
      expect(bad.message).toMatch(/^models\/bad\.onnx: onnxruntime cannot load this model: .*protobuf/);

      const g = await backend.load(doubler(), 'models/doubler.onnx');
      const x = { dtype: 'float32', shape: [1, 2], data: new Float32Array([1, 2]) } as const;
      expect([...((await g.run({ x })).y!.data as Float32Array)]).toEqual([2, 4]);
      const wrong = await g
        .run({ x: { dtype: 'float32', shape: [1, 3], data: new Float32Array(3) } })
        .catch((e) => e);
      expect(wrong).toBeInstanceOf(FeedError);
      expect(wrong.message).toMatch(
        /^models\/doubler\.onnx: onnxruntime cannot run it on these inputs: .*dimensions/,
      );
      expect(wrong.message).not.toContain('\n');
    } finally {
      await backend.dispose();
    }
  });

  it('passes failures of graphs it lowered itself on unchanged (they are bugs)', async () => {
    const backend = new OrtBackend({ threads: 1 });
    try {
      const e = await backend.load(new Uint8Array([1, 2, 3, 4])).catch((err) => err);
      expect(isUserError(e)).toBe(false);
    } finally {
      await backend.dispose();
    }
  });
});
