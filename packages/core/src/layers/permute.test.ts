import { describe, expect, it } from 'vitest';
import { Graph } from '../ir/graph';
import { interpret } from '../ir/interpret';
import { makeInput } from '../testing/harness';
import { expectGradsMatchFd, expectOrtParityWithGrads, layerCase } from '../testing/layer-checks';
import { apply } from './apply';
import { init } from './init';
import { outputShape, paramShapes } from './shapes';
import { type LayerSpec, LayerSpecError } from './spec';

const swap: LayerSpec = { type: 'permute', perm: [1, 0] };
const repeat: LayerSpec = { type: 'repeat', times: 4 };

describe('permute and repeat layers', () => {
  it('shapes, no parameters, and one-line errors', () => {
    expect(outputShape(swap, ['N', 3, 7])).toEqual(['N', 7, 3]);
    expect(outputShape({ type: 'permute', perm: [2, 0, 1] }, ['N', 2, 3, 5])).toEqual(['N', 5, 2, 3]);
    expect(outputShape(repeat, ['N', 6])).toEqual(['N', 4, 6]);
    expect(paramShapes({ type: 'sequential', layers: [swap, repeat] })).toEqual({});
    expect(init(swap, [0, 1] as never)).toEqual({});
    expect(() => outputShape(swap, ['N', 3])).toThrow(
      'layer (root) (permute): perm [1,0] reorders 2 axes per example, input is [N, 3]',
    );
    expect(() => outputShape({ type: 'permute', perm: [0, 0] }, ['N', 3, 3])).toThrow(LayerSpecError);
    expect(() => outputShape({ type: 'permute', perm: [0, 0] }, ['N', 3, 3])).toThrow(
      'perm must list 0..k-1 once each (k = axes per example), got [0,0]',
    );
    expect(() => outputShape({ type: 'repeat', times: 0 }, ['N', 3])).toThrow(
      'times must be an integer >= 1',
    );
  });

  it('move and copy values as a float64 index oracle says', () => {
    const g = new Graph();
    const x = g.input('x', ['N', 2, 3]);
    const y = apply(swap, {}, x);
    const r = apply(repeat, {}, x);
    const xv = makeInput({ shape: [2, 2, 3] }, 1);
    const [yv, rv] = interpret(g, [y, r], { x: xv });
    const X = Array.from(xv.data as Float32Array);
    const at = (n: number, c: number, l: number) => X[n * 6 + c * 3 + l]!;
    expect(Array.from(yv!.data as Float32Array)).toEqual(
      [0, 1].flatMap((n) => [0, 1, 2].flatMap((l) => [0, 1].map((c) => at(n, c, l)))),
    );
    expect(rv!.shape).toEqual([2, 4, 2, 3]);
    expect(Array.from(rv!.data as Float32Array)).toEqual(
      [0, 1].flatMap((n) => [0, 1, 2, 3].flatMap(() => X.slice(n * 6, n * 6 + 6))),
    );
  });

  it('gradients match finite differences; forward and gradients equal onnxruntime-node', async () => {
    for (const c of [
      layerCase('permute', swap, { shape: [2, 3, 5], declared: ['N', 3, 5] }),
      layerCase('repeat', repeat, { shape: [2, 3], declared: ['N', 3] }),
    ]) {
      expectGradsMatchFd(c);
      await expectOrtParityWithGrads(c);
    }
  });
});
