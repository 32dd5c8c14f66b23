import { describe, expect, it } from 'vitest';
import { convOutLength, window2d } from '../ir/conv-params';
import type { HostTensor } from '../ir/dtype';
import { Graph } from '../ir/graph';
import { interpret } from '../ir/interpret';
import { makeInput, relError, runOrt, vjpVsFiniteDifference } from '../testing/harness';
import { correlateByRows } from './conv-weight-grad';

type Case = [string, { n: number; ca: number; cb: number; h: number; w: number }, Record<string, number[]>];

// Windows as the Conv VJP sees them; Ca >= 8 so the stacked path is the one the rule takes.
const cases: Case[] = [
  [
    'k4 s2 p1 (the conv VAE)',
    { n: 3, ca: 8, cb: 5, h: 14, w: 14 },
    { kernel_shape: [4, 4], strides: [2, 2], pads: [1, 1, 1, 1] },
  ],
  ['k3 s1 p1', { n: 2, ca: 9, cb: 4, h: 6, w: 5 }, { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }],
  [
    'asymmetric pads, strides and dilations',
    { n: 2, ca: 8, cb: 3, h: 9, w: 8 },
    { kernel_shape: [3, 2], strides: [2, 3], dilations: [2, 1], pads: [2, 0, 1, 2] },
  ],
  ['odd side, no pads', { n: 4, ca: 10, cb: 2, h: 7, w: 7 }, { kernel_shape: [4, 4], strides: [2, 2] }],
];

/** The definition in float64: R[cb, ca, i, j] = sum_n,p,q b[n,cb,p,q] a[n,ca,p*s-pt+i*d,q*s-pl+j*d]. */
function oracle(a: HostTensor, b: HostTensor, attrs: Record<string, number[]>): number[] {
  const [n, ca, h, w] = a.shape as number[] as [number, number, number, number];
  const [, cb, p, q] = b.shape as number[] as [number, number, number, number];
  const win = window2d('Conv', attrs);
  const [kh, kw] = win.kernel;
  const out = new Array<number>(cb * ca * kh * kw).fill(0);
  for (let m = 0; m < cb; m++)
    for (let c = 0; c < ca; c++)
      for (let i = 0; i < kh; i++)
        for (let j = 0; j < kw; j++) {
          let acc = 0;
          for (let k = 0; k < n; k++)
            for (let y = 0; y < p; y++)
              for (let x = 0; x < q; x++) {
                const r = y * win.strides[0] - win.pads[0] + i * win.dilations[0];
                const s = x * win.strides[1] - win.pads[1] + j * win.dilations[1];
                if (r < 0 || r >= h || s < 0 || s >= w) continue;
                acc +=
                  Number(b.data[((k * cb + m) * p + y) * q + x]) *
                  Number(a.data[((k * ca + c) * h + r) * w + s]);
              }
          out[((m * ca + c) * kh + i) * kw + j] = acc;
        }
  return out;
}

describe('correlateByRows: the stacked weight gradient', () => {
  it.each(cases)('%s: interpreter and onnxruntime equal the float64 definition', async (_n, d, attrs) => {
    const win = window2d('Conv', attrs);
    const p = convOutLength(d.h, win.kernel[0], win.strides[0], win.dilations[0], win.pads[0], win.pads[2]);
    const q = convOutLength(d.w, win.kernel[1], win.strides[1], win.dilations[1], win.pads[1], win.pads[3]);
    const g = new Graph('correlate');
    const a = g.input('a', [d.n, d.ca, d.h, d.w]);
    const b = g.input('b', [d.n, d.cb, p, q]);
    const r = correlateByRows(a, b, win);
    expect(r.shape).toEqual([d.cb, d.ca, ...win.kernel]);
    const feeds = {
      a: makeInput({ shape: [d.n, d.ca, d.h, d.w] }, 1),
      b: makeInput({ shape: [d.n, d.cb, p, q] }, 2),
    };
    const want: HostTensor = {
      dtype: 'float32',
      shape: r.shape as number[],
      data: Float32Array.from(oracle(feeds.a, feeds.b, attrs)),
    };
    expect(relError(interpret(g, [r], feeds)[0]!, want, 1e-2)).toBeLessThan(1e-5);
    expect(relError((await runOrt(g, [r], feeds))[0]!, want, 1e-2)).toBeLessThan(1e-4);
  });

  it('Conv and ConvTranspose VJPs through it match finite differences', () => {
    for (const op of ['Conv', 'ConvTranspose'] as const) {
      const [x, w] =
        op === 'Conv'
          ? [
              [2, 8, 8, 8],
              [6, 8, 4, 4],
            ]
          : [
              [2, 8, 4, 4],
              [8, 3, 4, 4],
            ];
      const checks = vjpVsFiniteDifference({
        name: op,
        inputs: [{ shape: x! }, { shape: w! }],
        build: (g, [xt, wt]) => g.apply1(op, [xt!, wt!], { strides: [2, 2], pads: [1, 1, 1, 1] }),
      });
      for (const c of checks)
        expect(Math.abs(c.analytic - c.numeric), `${op} input ${c.input}`).toBeLessThan(2e-3 * c.scale);
    }
  });
});
