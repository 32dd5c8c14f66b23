import { describe, expect, it } from 'vitest';
import { grad } from '../autodiff/grad';
import { f32 } from './dtype';
import { FeedError, IRError, NotDifferentiableError, ShapeError } from './errors';
import { Graph } from './graph';
import { interpret } from './interpret';
import { loop } from './loop';

describe('static shape inference with a symbolic batch dim', () => {
  const g = new Graph();
  const x = g.input('x', ['N', 784]);
  it('carries N through a decoder-like chain', () => {
    const h = x
      .matmul(g.input('w', [784, 400]))
      .add(g.input('b', [400]))
      .relu();
    expect(h.shape).toEqual(['N', 400]);
    expect(h.reshape([-1, 20, 20]).shape).toEqual(['N', 20, 20]);
    expect(x.reshape([0, 1, 28, 28]).shape).toEqual(['N', 1, 28, 28]);
    expect(x.sum([1]).shape).toEqual(['N']);
    expect(x.mean().shape).toEqual([]);
    expect(x.reshape([0, 1, 28, 28]).flatten().shape).toEqual(['N', 784]);
  });
  it('names the op and both shapes on a mismatch', () => {
    const w = g.input('w2', [400, 20]);
    expect(() => x.matmul(w)).toThrow(ShapeError);
    expect(() => x.matmul(w)).toThrow('MatMul: inner dimensions differ: [N, 784] x [400, 20]');
    expect(() => x.add(g.input('v', [3]))).toThrow('Add: cannot broadcast [N, 784] with [3]');
    expect(() => x.reshape([-1, 28])).toThrow(/Reshape: .*scale batch dim N/);
  });
  it('rejects dtype mixes and unknown attributes with typed errors', () => {
    const i = g.input('i', [3], 'int64');
    expect(() => i.exp()).toThrow('must be float32');
    expect(() => g.apply1('Softmax', [x], { axes: [1] })).toThrow('Softmax: unknown attribute axes');
    expect(() => g.apply1('Concat', [x, x])).toThrow('Concat: attribute axis is required');
    expect(() => g.apply1('Relu', [x, x])).toThrow('Relu: takes 1..1 inputs, got 2');
  });
  it('refuses inputs from an unrelated graph', () => {
    const other = new Graph('other');
    expect(() => x.add(other.input('z', [1]))).toThrow(IRError);
  });
});

describe('interpreter feeds', () => {
  it('checks names, dtypes, shapes and consistent batch sizes', () => {
    const g = new Graph();
    const a = g.input('a', ['N', 2]);
    const b = g.input('b', ['N', 2]);
    const y = a.add(b);
    expect(() => interpret(g, [y], { a: f32([1, 2], [1, 2]) })).toThrow('missing feed for input b');
    expect(() => interpret(g, [y], { a: f32([1, 2], [1, 2]), b: f32([2, 2], [1, 2, 3, 4]) })).toThrow(
      /dim N is 2 here but 1/,
    );
    expect(() => interpret(g, [y], { a: f32([1, 3], [1, 2, 3]), b: f32([1, 2], [1, 2]) })).toThrow(FeedError);
    expect(() =>
      interpret(g, [y], { a: f32([1, 2], [1, 2]), b: f32([1, 2], [1, 2]), c: f32([1], [1]) }),
    ).toThrow('unknown feed c');
  });
});

describe('grad', () => {
  it('accumulates fan-out and unbroadcasts: d/dx sum(x*x + x) = 2x + 1', () => {
    const g = new Graph();
    const x = g.input('x', [3]);
    const [dx] = grad(x.mul(x).add(x).sum(), [x]);
    const [v] = interpret(g, [dx!], { x: f32([3], [1, -2, 0.5]) });
    expect(Array.from(v!.data as Float32Array)).toEqual([3, -3, 2]);
  });
  it('d/db of a broadcast bias sums over the batch', () => {
    const g = new Graph();
    const x = g.input('x', ['N', 2]);
    const b = g.input('b', [2]);
    const [db] = grad(x.add(b).sum(), [b]);
    const [v] = interpret(g, [db!], { x: f32([3, 2], [1, 2, 3, 4, 5, 6]), b: f32([2], [0, 0]) });
    expect(Array.from(v!.data as Float32Array)).toEqual([3, 3]);
  });
  it('gives zeros for parameters the loss does not use, and stops at comparisons', () => {
    const g = new Graph();
    const x = g.input('x', [2]);
    const unused = g.input('u', [2, 2]);
    const mask = x.greater(0).cast('float32');
    const [dx, du] = grad(x.mul(mask).sum(), [x, unused]);
    const [vx, vu] = interpret(g, [dx!, du!], { x: f32([2], [-1, 2]), u: f32([2, 2], [1, 2, 3, 4]) });
    expect(Array.from(vx!.data as Float32Array)).toEqual([0, 1]);
    expect(Array.from(vu!.data as Float32Array)).toEqual([0, 0, 0, 0]);
  });
  it('refuses non-scalar losses and differentiating through a Loop, with typed errors', () => {
    const g = new Graph();
    const x = g.input('x', [2]);
    expect(() => grad(x.exp(), [x])).toThrow(/must be a scalar/);
    const [[y]] = loop(g, 2, [x], (_i, [c]) => ({ carried: [c!.mul(2)] }));
    expect(() => grad(y!.sum(), [x])).toThrow(NotDifferentiableError);
  });
});
