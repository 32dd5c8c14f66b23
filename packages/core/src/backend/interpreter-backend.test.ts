import { describe, expect, it } from 'vitest';
import { f32, type HostTensor } from '../ir/dtype';
import { FeedError, IRError } from '../ir/errors';
import { Graph } from '../ir/graph';
import { loop } from '../ir/loop';
import { toOnnx } from '../onnx/lower';
import { OnnxImportError } from '../onnx/read';
import type { BuiltGraph } from './backend';
import { InterpreterBackend } from './interpreter-backend';
import { carryState } from './state';

const values = (t: HostTensor | undefined) => Array.from(t!.data as Float32Array);

/** y = x @ w + b on [N, 2] x [2, 1]. */
function affine(): BuiltGraph {
  const g = new Graph('affine');
  const x = g.input('x', ['N', 2]);
  const w = g.input('w', [2, 1]);
  const b = g.input('b', [1]);
  return { graph: g, outputs: { y: x.matmul(w).add(b) } };
}

/** K gradient steps on f(w) = (w - 3)^2 in one Loop: w carried, f per step scanned. */
function descent(k: number): BuiltGraph {
  const g = new Graph('descent');
  const w0 = g.input('w', [1]);
  const lr = g.input('lr', []);
  const [[w], [f]] = loop(g, k, [w0], (_iter, [w]) => {
    const d = w!.sub(3);
    return { carried: [w!.sub(d.mul(2).mul(lr))], scans: [d.square()] };
  });
  return { graph: g, outputs: { 'next.w': w!, f: f! } };
}

describe('InterpreterBackend', () => {
  const x = f32([2, 2], [1, 2, 3, 4]);
  const w = f32([2, 1], [1, -1]);
  const b = f32([1], [0.5]);

  it('compiles once per key and runs with feeds, ignoring extra ones', async () => {
    const backend = new InterpreterBackend();
    let builds = 0;
    const build = () => {
      builds++;
      return affine();
    };
    const a = await backend.compile('affine', build);
    expect(await backend.compile('affine', build)).toBe(a);
    expect(builds).toBe(1);
    expect(a.inputNames).toEqual(['x', 'w', 'b']);
    expect(a.outputNames).toEqual(['y']);
    expect(values((await a.run({ x, w, b, unused: b })).y)).toEqual([-0.5, -0.5]);
    await expect(a.run({ x, w })).rejects.toThrow(new FeedError('missing feeds: b'));
    await backend.dispose();
  });

  it('bakes bound inputs in: they are no longer inputs', async () => {
    const backend = new InterpreterBackend();
    const c = await backend.compile('bound', () => ({ ...affine(), bind: { w, b } }));
    expect(c.inputNames).toEqual(['x']);
    expect(values((await c.run({ x })).y)).toEqual([-0.5, -0.5]);
    await expect(backend.compile('bad', () => ({ ...affine(), bind: { v: w } }))).rejects.toThrow(IRError);
  });

  it('loads ONNX bytes and runs them like the graph they came from', async () => {
    const backend = new InterpreterBackend();
    const { graph, outputs } = affine();
    const loaded = await backend.load(toOnnx(graph, { outputs, bind: { w } }));
    expect(loaded.inputNames).toEqual(['x', 'b']);
    expect(values((await loaded.run({ x, b })).y)).toEqual([-0.5, -0.5]);
    const bad = await backend.load(new Uint8Array([1, 2, 3]), 'bad.onnx').catch((e) => e);
    expect(bad).toBeInstanceOf(OnnxImportError);
    expect(bad.message).toMatch(/^bad\.onnx: the interpreter cannot load this model: /);
  });

  it('runs a Loop that carries state through K steps in one call', async () => {
    const backend = new InterpreterBackend();
    const c = await backend.compile('descent', () => descent(3));
    const out = await c.run({ w: f32([1], [0]), lr: f32([], [0.25]) });
    // w: 0 -> 1.5 -> 2.25 -> 2.625; f = (w - 3)^2 before each step.
    expect(values(out['next.w'])).toEqual([2.625]);
    expect(values(out.f)).toEqual([9, 2.25, 0.5625]);
  });
});

describe('carryState', () => {
  it('feeds each run the previous run’s outputs and returns the rest', async () => {
    const c = await new InterpreterBackend().compile('descent', () => descent(2));
    const s = carryState(c, { w: 'next.w' }, { w: f32([1], [0]) });
    const lr = f32([], [0.25]);
    expect(Object.keys(await s.run({ lr }))).toEqual(['f']);
    expect(values(s.state.w)).toEqual([2.25]);
    expect(values((await s.run({ lr })).f)).toEqual([0.5625, 0.140625]);
    expect(values(s.state.w)).toEqual([2.8125]);
    s.setState({ w: f32([1], [3]) });
    expect(values((await s.run({ lr })).f)).toEqual([0, 0]);
  });

  it('refuses state that does not fit the graph', async () => {
    const c = await new InterpreterBackend().compile('descent', () => descent(1));
    expect(() => carryState(c, { v: 'next.w' }, {})).toThrow(/no input v/);
    expect(() => carryState(c, { w: 'next.v' }, {})).toThrow(/no output next\.v/);
    expect(() => carryState(c, { w: 'next.w' }, {})).toThrow(
      new FeedError('carryState: no initial value for w'),
    );
    const s = carryState(c, { w: 'next.w' }, { w: f32([1], [0]) });
    expect(() => s.setState({ lr: f32([], [1]) })).toThrow(/lr is not carried state/);
  });
});
