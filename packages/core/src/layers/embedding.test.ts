import { key } from '@vae/random';
import { describe, expect, it } from 'vitest';
import { grad } from '../autodiff/grad';
import { i64 } from '../ir/dtype';
import { Graph } from '../ir/graph';
import { interpret } from '../ir/interpret';
import { makeInput } from '../testing/harness';
import { expectGradsMatchFd, expectOrtParityWithGrads, layerCase } from '../testing/layer-checks';
import { apply } from './apply';
import { init } from './init';
import { outputShape, paramShapes } from './shapes';
import { type LayerSpec, LayerSpecError } from './spec';

const spec: LayerSpec = { type: 'embedding', vocab: 5, dim: 3 };
// Ids with repeats (1 three times), so the gradient must accumulate rows; id 4 never appears.
const ids = [1, 0, 3, 1, 2, 1];

describe('embedding layer', () => {
  it('picks rows of the table; the table gradient scatter-adds cotangent rows (float64 oracle)', () => {
    const g = new Graph();
    const x = g.input('ids', ['N', 3], 'int64');
    const w = g.input('w', [5, 3]);
    const r = g.input('r', ['N', 3, 3]);
    const y = apply(spec, { weight: w }, x);
    expect(y.shape).toEqual(['N', 3, 3]);
    const [dw] = grad(y.mul(r).sum(), [w]);
    const feeds = {
      ids: i64([2, 3], ids),
      w: makeInput({ shape: [5, 3] }, 1),
      r: makeInput({ shape: [2, 3, 3] }, 2),
    };
    const [yv, dwv] = interpret(g, [y, dw!], feeds);
    const W = feeds.w.data as Float32Array;
    const R = feeds.r.data as Float32Array;
    expect(Array.from(yv!.data as Float32Array)).toEqual(
      ids.flatMap((id) => Array.from(W.slice(id * 3, id * 3 + 3))),
    );
    const want = new Array<number>(15).fill(0);
    ids.forEach((id, p) => {
      for (let j = 0; j < 3; j++) want[id * 3 + j]! += R[p * 3 + j]!;
    });
    Array.from(dwv!.data as Float32Array).forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 6));
    expect(want.slice(12)).toEqual([0, 0, 0]);
  });

  it('table gradient matches finite differences; forward and gradient equal onnxruntime-node', async () => {
    const c = layerCase('emb', spec, { shape: [2, 3], declared: ['N', 3], gen: ids, dtype: 'int64' });
    expectGradsMatchFd(c);
    await expectOrtParityWithGrads(c);
  });

  it('N(0, 1) init, torch layout, typed errors for float ids and bad specs', () => {
    expect(paramShapes(spec, 'emb')).toEqual({ 'emb.weight': [5, 3] });
    const big = init({ type: 'embedding', vocab: 200, dim: 50 }, key(1)).weight!.data as Float32Array;
    const mean = big.reduce((s, v) => s + v, 0) / big.length;
    const variance = big.reduce((s, v) => s + (v - mean) ** 2, 0) / big.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
    expect(outputShape(spec, ['N', 7])).toEqual(['N', 7, 3]);
    const g = new Graph();
    expect(() => apply(spec, { weight: g.input('w', [5, 3]) }, g.input('x', ['N', 7]))).toThrow(
      LayerSpecError,
    );
    expect(() => outputShape({ type: 'embedding', vocab: 0, dim: 3 }, ['N', 7])).toThrow(/vocab/);
  });
});
