import { describe, expect, it } from 'vitest';
import type { HostTensor } from '../ir/dtype';
import { interpret } from '../ir/interpret';
import { relError, runOrt } from '../testing/harness';
import { mlpProblem } from '../testing/mlp';

const close = (a: HostTensor, b: HostTensor, tol = 1e-5) =>
  expect(relError(a, b, 1e-2)).toBeLessThanOrEqual(tol);

describe('end to end: 2-layer MLP, loss, grad, lowered to ONNX', () => {
  it('forward and gradients agree between onnxruntime-node and the interpreter', async () => {
    const p = mlpProblem();
    const outs = [p.loss, ...p.grads];
    const ours = interpret(p.graph, outs, p.feeds);
    const ort = await runOrt(p.graph, outs, p.feeds);
    ours.forEach((t, i) => close(t, ort[i]!));
    expect(ours[1]!.shape).toEqual([6, 5]);
    expect((ours[0]!.data as Float32Array)[0]).toBeGreaterThan(0);
  });

  it('gradient matches central finite differences of the whole loss', () => {
    const p = mlpProblem();
    const [g1] = interpret(p.graph, [p.grads[0]!], p.feeds);
    const w1 = p.feeds.w1! as HostTensor<'float32'>;
    const lossAt = (delta: number, j: number) => {
      const data = Float32Array.from(w1.data);
      data[j]! += delta;
      return (interpret(p.graph, [p.loss], { ...p.feeds, w1: { ...w1, data } })[0]!.data as Float32Array)[0]!;
    };
    for (const j of [0, 7, 29]) {
      const fd = (lossAt(1e-2, j) - lossAt(-1e-2, j)) / 2e-2;
      expect(Math.abs(fd - (g1!.data as Float32Array)[j]!)).toBeLessThan(2e-3 * Math.max(1, Math.abs(fd)));
    }
  });

  it('runs K SGD steps inside one ONNX Loop with the same result on both, and the loss falls', async () => {
    const p = mlpProblem(16);
    const { params, losses } = p.sgdLoop(12, 0.5);
    const outs = [...params, losses];
    const ours = interpret(p.graph, outs, p.feeds);
    const ort = await runOrt(p.graph, outs, p.feeds);
    ours.forEach((t, i) => close(t, ort[i]!, 1e-4));
    const l = Array.from(ours[4]!.data as Float32Array);
    expect(l).toHaveLength(12);
    expect(l[11]!).toBeLessThan(l[0]! * 0.8);
  });

  it('a batch of another size runs on the same ONNX model (symbolic batch dim)', async () => {
    const small = mlpProblem(3);
    const big = mlpProblem(11);
    const ortBig = await runOrt(small.graph, [small.loss], big.feeds);
    const ours = interpret(big.graph, [big.loss], big.feeds);
    close(ortBig[0]!, ours[0]!);
  });
});
