import { describe, expect, it } from 'vitest';
import { Graph } from '../../ir/graph';
import { interpret } from '../../ir/interpret';
import type { Attrs } from '../../ir/ops';
import { makeInput, relError, runOrt } from '../../testing/harness';
import { convFoldPlan } from './conv-fold';

type Case = [string, number[], number[], Attrs, boolean];

// [name, x shape, weight shape, attrs, bias]: every one folds (static batch, group 1, C*kH*kW >= 64).
const folded: Case[] = [
  ['k4 s2 p1 (the conv VAE)', [3, 8, 14, 14], [6, 8, 4, 4], { strides: [2, 2], pads: [1, 1, 1, 1] }, true],
  ['k3 s1 p1, no bias', [2, 8, 14, 5], [4, 8, 3, 3], { pads: [1, 1, 1, 1] }, false],
  ['odd side, k4 s2 p1', [4, 4, 15, 15], [5, 4, 4, 4], { strides: [2, 2], pads: [1, 1, 1, 1] }, true],
  [
    'asymmetric pads, strides and dilations',
    [2, 12, 17, 8],
    [3, 12, 3, 2],
    { strides: [2, 3], dilations: [2, 1], pads: [2, 0, 1, 2] },
    true,
  ],
  ['stride 3 with bottom pad', [3, 16, 10, 6], [2, 16, 2, 2], { strides: [3, 1], pads: [0, 0, 2, 0] }, false],
];

function build(x: number[], w: number[], attrs: Attrs, bias: boolean) {
  const g = new Graph('fold');
  const ins = [g.input('x', x), g.input('w', w), ...(bias ? [g.input('b', [w[0]!])] : [])];
  const y = g.apply1('Conv', ins, attrs);
  const feeds = {
    x: makeInput({ shape: x }, 1),
    w: makeInput({ shape: w }, 2),
    ...(bias ? { b: makeInput({ shape: [w[0]!] }, 3) } : {}),
  };
  return { g, y, feeds };
}

describe('conv-fold pass', () => {
  it.each(folded)('%s: folded on onnxruntime equals the interpreter', async (_n, x, w, attrs, bias) => {
    const { g, y, feeds } = build(x, w, attrs, bias);
    expect(convFoldPlan(y.producer!)).not.toBeNull();
    const want = interpret(g, [y], feeds)[0]!;
    expect(relError((await runOrt(g, [y], feeds))[0]!, want, 1e-2)).toBeLessThan(1e-4);
  });

  it('leaves alone what it cannot fold or would not gain on', () => {
    const plan = (x: (number | string)[], w: number[], attrs: Attrs = {}) => {
      const g = new Graph('keep');
      return convFoldPlan(g.apply1('Conv', [g.input('x', x), g.input('w', w)], attrs).producer!);
    };
    expect(plan(['N', 8, 6, 6], [4, 8, 3, 3])).toBeNull(); // symbolic batch
    expect(plan([1, 8, 6, 6], [4, 8, 3, 3])).toBeNull(); // one image
    expect(plan([4, 8, 6, 6], [4, 4, 3, 3], { group: 2 })).toBeNull();
    expect(plan([4, 1, 28, 28], [32, 1, 4, 4], { strides: [2, 2], pads: [1, 1, 1, 1] })).toBeNull(); // depth 16
    expect(plan([4, 8, 14, 14], [4, 8, 3, 3], { strides: [1, 1], dilations: [4, 1] })).toBeNull(); // waste
    expect(plan([4, 8, 14, 14], [4, 8, 4, 4], { strides: [2, 2], pads: [1, 1, 1, 1] })).toMatchObject({
      block: 16,
      rows: 8,
      ho: 7,
    });
  });
});
