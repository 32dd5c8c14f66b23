import { describe, expect, it } from 'vitest';
import type { HostTensor } from '../ir/dtype';
import { Graph } from '../ir/graph';
import { interpret } from '../ir/interpret';
import { buildCase, makeInput, type OpCase, relError, runOrt } from '../testing/harness';
import { opCases } from '../testing/op-cases';
import { grad } from './grad';

const nnOps = [
  'Conv',
  'ConvTranspose',
  'MaxPool',
  'AveragePool',
  'Resize',
  'BatchNormalization',
  'LayerNormalization',
] as const;
const cases = nnOps.flatMap((op) => (opCases[op] as OpCase[]).filter((c) => c.grad !== false));

// The VJP graphs are lowered to ONNX like the forward graphs, so they must run on onnxruntime
// and agree with the interpreter. They chain several float32 ops (ORT rounds each, the interpreter
// accumulates in float64), so agreement is 1e-4 relative here rather than the single-op 1e-5.
describe('nn VJP graphs: interpreter vs onnxruntime-node', () => {
  it.each(cases)('$name', async (c) => {
    const built = buildCase(c);
    const y = built.outputs[0]!;
    const r = built.graph.input('cotangent', y.shape);
    const batch = built.feeds.x0!.shape[0]!;
    const rVal = makeInput({ shape: y.shape.map((d) => (typeof d === 'number' ? d : batch)) }, 99);
    const wrt = built.inputs.filter((t, i) => !c.inputs[i]!.constant && t.dtype === 'float32');
    const grads = grad(y.mul(r).sum(), wrt);
    const feeds = { ...built.feeds, cotangent: rVal };
    const ours = interpret(built.graph, grads, feeds);
    const theirs = await runOrt(built.graph, grads, feeds);
    ours.forEach((t, i) => {
      expect(t.shape, `grad ${i} shape`).toEqual(
        wrt[i]!.shape.map((d) => (typeof d === 'number' ? d : batch)),
      );
      expect(relError(t, theirs[i]!, 1e-2), `grad ${i}`).toBeLessThanOrEqual(1e-4);
    });
  });
});

describe('MaxPool VJP ties', () => {
  it('splits a window cotangent equally among tied maxima, on both backends', async () => {
    const g = new Graph('ties');
    const x = g.input('x', [1, 1, 2, 4]);
    const y = g.apply1('MaxPool', [x], { kernel_shape: [2, 2], strides: [2, 2] });
    const r = g.constant({ dtype: 'float32', shape: [1, 1, 1, 2], data: Float32Array.of(3, 6) });
    const [dx] = grad(y.mul(r).sum(), [x]);
    const feeds: Record<string, HostTensor> = {
      x: { dtype: 'float32', shape: [1, 1, 2, 4], data: Float32Array.of(1, 1, 0, 5, 1, 0, 5, 5) },
    };
    const expected = [1, 1, 0, 2, 1, 0, 2, 2];
    for (const got of [interpret(g, [dx!], feeds)[0]!, (await runOrt(g, [dx!], feeds))[0]!]) {
      Array.from(got.data as Float32Array).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 6));
    }
  });

  it('routes overlapping windows that share a max to that element twice', () => {
    const g = new Graph('overlap');
    const x = g.input('x', [1, 1, 1, 3]);
    const y = g.apply1('MaxPool', [x], { kernel_shape: [1, 2], strides: [1, 1] });
    const [dx] = grad(y.sum(), [x]);
    const feeds: Record<string, HostTensor> = {
      x: { dtype: 'float32', shape: [1, 1, 1, 3], data: Float32Array.of(0, 4, 1) },
    };
    expect(Array.from(interpret(g, [dx!], feeds)[0]!.data as Float32Array)).toEqual([0, 2, 0]);
  });
});
