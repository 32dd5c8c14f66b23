import { key } from '@vae/random';
import { describe, expect, it } from 'vitest';
import { f32, type HostTensor } from '../ir/dtype';
import { Graph } from '../ir/graph';
import { interpret } from '../ir/interpret';
import type { Tensor } from '../ir/tensor';
import { makeInput } from '../testing/harness';
import { expectGradsMatchFd, expectOrtParityWithGrads, layerCase } from '../testing/layer-checks';
import { apply } from './apply';
import { gru } from './gru';
import { init } from './init';
import { outputShape, paramShapes } from './shapes';
import type { GruSpec } from './spec';

const [N, L, D, H] = [2, 5, 3, 4];
const lengths = [5, 2];
const maskValues = lengths.flatMap((n) => Array.from({ length: L }, (_, t) => (t < n ? 1 : 0)));
const spec: GruSpec = { type: 'gru', inputSize: D, hiddenSize: H };

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
/**
 * torch.nn.GRU (batch_first, gates r, z, n) in float64, on packed sequences: each example runs its
 * first `lengths[n]` steps and its state is then held. Returns states [N][L][H].
 */
function torchGru(x: Float32Array, p: Record<string, HostTensor>, h0?: Float32Array): number[][][] {
  const [wi, wh] = [p.weight_ih!.data, p.weight_hh!.data] as [Float32Array, Float32Array];
  const [bi, bh] = [p.bias_ih?.data, p.bias_hh?.data] as (Float32Array | undefined)[];
  return lengths.map((len, n) => {
    let h = Array.from({ length: H }, (_, j) => (h0 ? h0[n * H + j]! : 0));
    const out: number[][] = [];
    for (let t = 0; t < L; t++) {
      if (t < len) {
        const lin = (w: Float32Array, b: Float32Array | undefined, v: readonly number[], row: number) =>
          v.reduce((s, vk, k) => s + w[row * v.length + k]! * vk, b ? b[row]! : 0);
        const xt = Array.from(x.slice((n * L + t) * D, (n * L + t + 1) * D));
        h = h.map((hj, j) => {
          const r = sigmoid(lin(wi, bi, xt, j) + lin(wh, bh, h, j));
          const z = sigmoid(lin(wi, bi, xt, H + j) + lin(wh, bh, h, H + j));
          const c = Math.tanh(lin(wi, bi, xt, 2 * H + j) + r * lin(wh, bh, h, 2 * H + j));
          return (1 - z) * c + z * hj;
        });
      }
      out.push([...h]);
    }
    return out;
  });
}

/** GRU graph with fed x, mask, params (and h0 when given); returns the output tensors and feeds. */
function setup(s: GruSpec, withH0 = false) {
  const g = new Graph();
  const x = g.input('x', ['N', L, D]);
  const mask = g.input('mask', ['N', L]);
  const params = Object.fromEntries(Object.entries(paramShapes(s)).map(([n, sh]) => [n, g.input(n, sh)]));
  const h0 = withH0 ? g.input('h0', ['N', H]) : undefined;
  const feeds: Record<string, HostTensor> = {
    ...init(s, key(4)),
    x: makeInput({ shape: [N, L, D] }, 1),
    mask: f32([N, L], maskValues),
    ...(withH0 ? { h0: makeInput({ shape: [N, H] }, 2) } : {}),
  };
  const run = (outs: Tensor[], f = feeds) =>
    interpret(g, outs, f).map((t) => Array.from(t.data as Float32Array));
  return { g, x, mask, params, h0, feeds, run };
}

describe('gru layer (unrolled, masked)', () => {
  it.each([
    ['with biases', spec, false],
    ['without biases, from a given h0', { ...spec, bias: false }, true],
  ] as const)('all states and last state equal torch.nn.GRU equations in float64 (%s)', (_n, s, withH0) => {
    const b = setup(s, withH0);
    const p = b.params as unknown as Parameters<typeof gru>[1];
    const all = gru(b.x, p, { mask: b.mask, h0: b.h0 });
    const last = gru(b.x, p, { mask: b.mask, h0: b.h0, output: 'last' });
    expect(all.shape).toEqual(['N', L, H]);
    expect(last.shape).toEqual(['N', H]);
    const [got, gotLast] = b.run([all, last]);
    const want = torchGru(
      b.feeds.x!.data as Float32Array,
      b.feeds,
      b.feeds.h0?.data as Float32Array | undefined,
    );
    want.flat(2).forEach((v, i) => expect(Math.abs(got![i]! - v), `state ${i}`).toBeLessThan(2e-6));
    want.forEach((ex, n) =>
      ex[L - 1]!.forEach((v, j) => expect(Math.abs(gotLast![n * H + j]! - v)).toBeLessThan(2e-6)),
    );
  });

  it('masking: nothing at or after a sequence end reaches its states; states past the end hold the last one', () => {
    const b = setup(spec);
    const all = apply(spec, b.params, b.x, { mask: b.mask });
    const last = apply({ ...spec, output: 'last' }, b.params, b.x, { mask: b.mask });
    const [base, baseLast] = b.run([all, last]);
    const x = Float32Array.from(b.feeds.x!.data as Float32Array);
    for (let t = lengths[1]!; t < L; t++) for (let k = 0; k < D; k++) x[(L + t) * D + k] = 100 * (t + k + 1);
    const [moved, movedLast] = b.run([all, last], { ...b.feeds, x: f32([N, L, D], x) });
    expect(moved).toEqual(base);
    expect(movedLast).toEqual(baseLast);
    const ex1 = (t: number) => base!.slice((L + t) * H, (L + t + 1) * H);
    for (let t = lengths[1]!; t < L; t++) expect(ex1(t)).toEqual(ex1(lengths[1]! - 1));
    expect(baseLast!.slice(H)).toEqual(ex1(lengths[1]! - 1));
    // Inside the length the inputs do matter.
    x[L * D] = x[L * D]! + 1;
    expect(b.run([last], { ...b.feeds, x: f32([N, L, D], x) })[0]!.slice(H)).not.toEqual(baseLast!.slice(H));
  });

  const mask = { shape: [N, L], gen: maskValues };
  const maskN = { ...mask, declared: ['N', L] };
  const cases = [
    layerCase(
      'gru all',
      spec,
      { shape: [N, L, D], declared: ['N', L, D] },
      {
        extra: [maskN],
        ctx: ([m]) => ({ mask: m! }),
        grad: [0, 1, 2, 3, 4],
      },
    ),
    layerCase(
      'gru last no bias',
      { ...spec, output: 'last', bias: false },
      { shape: [N, L, D] },
      {
        scale: 0.5,
        extra: [mask],
        ctx: ([m]) => ({ mask: m! }),
        grad: [0, 1, 2],
      },
    ),
    layerCase('gru unmasked length 1', { ...spec, output: 'last' }, { shape: [N, 1, D] }, { scale: 0.5 }),
  ];

  it.each(cases)('$name: gradients of x and every parameter match finite differences', (c) => {
    expectGradsMatchFd(c);
  });

  it.each(cases)('$name: forward and gradients on onnxruntime-node equal the interpreter', async (c) => {
    await expectOrtParityWithGrads(c);
  });

  it('torch parameter names and shapes, U(±1/sqrt(H)) init, typed errors', () => {
    expect(paramShapes(spec, 'enc')).toEqual({
      'enc.weight_ih': [3 * H, D],
      'enc.weight_hh': [3 * H, H],
      'enc.bias_ih': [3 * H],
      'enc.bias_hh': [3 * H],
    });
    const big = init({ type: 'gru', inputSize: 8, hiddenSize: 64 }, key(2));
    for (const t of Object.values(big)) {
      const m = Math.max(...Array.from(t.data as Float32Array, Math.abs));
      expect(m).toBeLessThanOrEqual(1 / 8);
      expect(m).toBeGreaterThan(0.9 / 8);
    }
    expect(big.weight_ih!.data).not.toEqual(big.weight_hh!.data.slice(0, 3 * 64 * 8));
    expect(outputShape({ ...spec, output: 'last' }, ['N', L, D])).toEqual(['N', H]);
    expect(() => outputShape(spec, ['N', L, D + 1])).toThrow(/needs \[N, L, 3\]/);
    expect(() => outputShape({ ...spec, output: 'first' as 'all' }, ['N', L, D])).toThrow(/output must be/);
    const b = setup(spec);
    expect(() => apply(spec, b.params, b.x, { mask: b.x })).toThrow(/mask must be float32 \[N, 5\]/);
  });
});
