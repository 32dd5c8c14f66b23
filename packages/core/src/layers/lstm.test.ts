import { key } from '@vae/random';
import { describe, expect, it } from 'vitest';
import { f32, type HostTensor } from '../ir/dtype';
import { Graph } from '../ir/graph';
import { interpret } from '../ir/interpret';
import { makeInput } from '../testing/harness';
import { expectGradsMatchFd, expectOrtParityWithGrads, layerCase } from '../testing/layer-checks';
import { apply } from './apply';
import { init } from './init';
import { lstm } from './lstm';
import { paramShapes } from './shapes';
import type { LstmSpec } from './spec';

const [N, L, D, H] = [2, 4, 3, 3];
const lengths = [4, 1];
const maskValues = lengths.flatMap((n) => Array.from({ length: L }, (_, t) => (t < n ? 1 : 0)));
const spec: LstmSpec = { type: 'lstm', inputSize: D, hiddenSize: H };
const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

/** torch.nn.LSTM (batch_first, gates i, f, g, o) in float64 on packed sequences: h states [N][L][H]. */
function torchLstm(p: Record<string, HostTensor>, h0: Float32Array, c0: Float32Array): number[][][] {
  const [x, wi, wh, bi, bh] = ['x', 'weight_ih', 'weight_hh', 'bias_ih', 'bias_hh'].map(
    (n) => p[n]!.data as Float32Array,
  ) as Float32Array[];
  return lengths.map((len, n) => {
    let h = Array.from(h0.slice(n * H, (n + 1) * H));
    let c = Array.from(c0.slice(n * H, (n + 1) * H));
    const out: number[][] = [];
    for (let t = 0; t < L; t++) {
      if (t < len) {
        const xt = Array.from(x!.slice((n * L + t) * D, (n * L + t + 1) * D));
        const gate = (row: number) =>
          xt.reduce((s, v, k) => s + wi![row * D + k]! * v, bi![row]!) +
          h.reduce((s, v, k) => s + wh![row * H + k]! * v, bh![row]!);
        const cNew = c.map(
          (cj, j) => sigmoid(gate(H + j)) * cj + sigmoid(gate(j)) * Math.tanh(gate(2 * H + j)),
        );
        h = cNew.map((cj, j) => sigmoid(gate(3 * H + j)) * Math.tanh(cj));
        c = cNew;
      }
      out.push([...h]);
    }
    return out;
  });
}

describe('lstm layer (unrolled, masked)', () => {
  it('h states equal torch.nn.LSTM equations in float64, from given h0 and c0; padding is never read', () => {
    const g = new Graph();
    const x = g.input('x', ['N', L, D]);
    const mask = g.input('mask', ['N', L]);
    const [h0, c0] = [g.input('h0', ['N', H]), g.input('c0', ['N', H])];
    const ps = Object.fromEntries(Object.entries(paramShapes(spec)).map(([n, s]) => [n, g.input(n, s)]));
    const p = {
      weight_ih: ps.weight_ih!,
      weight_hh: ps.weight_hh!,
      bias_ih: ps.bias_ih,
      bias_hh: ps.bias_hh,
    };
    const all = lstm(x, p, { mask, h0, c0 });
    const last = lstm(x, p, { mask, h0, c0, output: 'last' });
    const feeds: Record<string, HostTensor> = {
      ...init(spec, key(5)),
      x: makeInput({ shape: [N, L, D] }, 1),
      mask: f32([N, L], maskValues),
      h0: makeInput({ shape: [N, H] }, 2),
      c0: makeInput({ shape: [N, H] }, 3),
    };
    const run = (f: Record<string, HostTensor>) =>
      interpret(g, [all, last], f).map((t) => Array.from(t.data as Float32Array));
    const [got, gotLast] = run(feeds);
    const want = torchLstm(feeds, feeds.h0!.data as Float32Array, feeds.c0!.data as Float32Array);
    want.flat(2).forEach((v, i) => expect(Math.abs(got![i]! - v), `state ${i}`).toBeLessThan(2e-6));
    expect(gotLast).toEqual([0, 1].flatMap((n) => got!.slice((n * L + L - 1) * H, (n * L + L) * H)));
    const xs = Float32Array.from(feeds.x!.data as Float32Array);
    for (let i = (L + lengths[1]!) * D; i < 2 * L * D; i++) xs[i] = 50;
    expect(run({ ...feeds, x: f32([N, L, D], xs) })).toEqual([got, gotLast]);
  });

  const maskN = { shape: [N, L], gen: maskValues, declared: ['N', L] };
  const cases = [
    layerCase(
      'lstm all masked',
      spec,
      { shape: [N, L, D], declared: ['N', L, D] },
      {
        extra: [maskN],
        ctx: ([m]) => ({ mask: m! }),
        grad: [0, 1, 2, 3, 4],
      },
    ),
    layerCase(
      'lstm last no bias',
      { ...spec, output: 'last', bias: false },
      { shape: [N, L, D] },
      { scale: 0.5 },
    ),
  ];
  it.each(cases)(
    '$name: gradients match finite differences; forward and gradients match onnxruntime-node',
    async (c) => {
      expectGradsMatchFd(c);
      await expectOrtParityWithGrads(c);
    },
  );

  it('torch parameter names and shapes (4 gates); apply checks the mask', () => {
    expect(paramShapes(spec)).toEqual({
      weight_ih: [4 * H, D],
      weight_hh: [4 * H, H],
      bias_ih: [4 * H],
      bias_hh: [4 * H],
    });
    const g = new Graph();
    const ps = Object.fromEntries(Object.entries(paramShapes(spec)).map(([n, s]) => [n, g.input(n, s)]));
    const x = g.input('x', ['N', L, D]);
    expect(apply({ ...spec, output: 'last' }, ps, x).shape).toEqual(['N', H]);
    expect(() => apply(spec, ps, x, { mask: g.input('m', ['N', L + 1]) })).toThrow(/mask must be float32/);
  });
});
