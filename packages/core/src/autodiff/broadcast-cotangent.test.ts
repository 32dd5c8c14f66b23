import { describe, expect, it } from 'vitest';
import { Graph } from '../ir/graph';
import { interpret } from '../ir/interpret';
import { lowerToModel } from '../onnx/lower';
import { grad } from './grad';

// A Bernoulli log-likelihood summed per row, as the ELBO builds it: the row sums' VJP broadcasts
// the cotangent back with an Expand, which the element-wise VJPs after it should never read.
describe('broadcast cotangents', () => {
  const rows = 3;
  const cols = 5;
  const g = new Graph('bce');
  const x = g.input('x', [rows, cols]);
  const l = g.input('l', [rows, cols]);
  const w = g.input('w', [rows, 1]); // per-row weights, so the row cotangents differ
  const perRow = x.mul(l).sub(l.softplus()).sum([1], true);
  const loss = perRow.mul(w).sum();
  const [dl] = grad(loss, [l]);

  it('the gradient is w (x - sigmoid(l)), the closed form', () => {
    const xs = Float32Array.from({ length: rows * cols }, (_, i) => ((i * 7) % 3 === 0 ? 1 : 0));
    const ls = Float32Array.from({ length: rows * cols }, (_, i) => (i - 7) * 0.9);
    const ws = Float32Array.from([0.5, -2, 3]);
    const [out] = interpret(g, [dl!], {
      x: { dtype: 'float32', shape: [rows, cols], data: xs },
      l: { dtype: 'float32', shape: [rows, cols], data: ls },
      w: { dtype: 'float32', shape: [rows, 1], data: ws },
    });
    const got = out!.data as Float32Array;
    for (let i = 0; i < rows * cols; i++) {
      const want = ws[Math.floor(i / cols)]! * (xs[i]! - 1 / (1 + Math.exp(-ls[i]!)));
      expect(got[i]).toBeCloseTo(want, 6);
    }
  });

  it('lowers without a full-size Expand: the broadcast happens inside Mul', () => {
    const model = lowerToModel(g, { outputs: { dl: dl! } });
    const ops = model.graph.node.map((n) => n.opType);
    expect(ops).toContain('Sigmoid');
    expect(ops).not.toContain('Expand');
  });
});
