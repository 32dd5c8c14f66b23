import { describe, expect, it } from 'vitest';
import { foundationDemo } from './demo';

describe('foundation demo on onnxruntime-node', () => {
  it('runs K SGD steps in one ONNX Loop and the loss falls', async () => {
    const r = await foundationDemo(32, 64);
    expect(r.losses).toHaveLength(32);
    expect(r.losses.every(Number.isFinite)).toBe(true);
    expect(r.losses[31]!).toBeLessThan(r.losses[0]! * 0.9);
  });
});
