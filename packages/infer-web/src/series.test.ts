// Series bundles through infer-web (onnxruntime-web wasm in Node) vs the same files on
// onnxruntime-node: reconstructions in user units, per-window scores; old bundles still load.
import {
  fold,
  Graph,
  type HostTensor,
  interpret,
  key,
  type NoiseSource,
  normal,
  seriesConvVAE,
  seriesStepTerms,
  uniform,
} from '@vae/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VaeModel } from './api';
import { loadModel } from './load';
import { type Built, build, maxAbsDiff, runNode } from './test-helpers';
import { serveModel } from './worker-host';
import type { MessageEndpoint } from './worker-protocol';

const [C, W, D] = [2, 16, 3];
const series = { columns: ['temp', 'wind'], window: W, stride: 4, mean: [12.5, 3], std: [4, 0.5] };
let built: Built;
let model: VaeModel;
beforeAll(async () => {
  const vae = seriesConvVAE({ channels: C, window: W, latent: D, hidden: [8, 16] });
  built = await build(vae, 7, { series });
  model = await loadModel(built.bundle.files);
});
afterAll(() => model?.dispose());

/** Raw windows in user units, and the same standardised by hand (the oracle of the mapping). */
function windows(n: number) {
  const x = uniform(key(3), n * C * W, { low: -2, high: 2 });
  const raw = Float32Array.from(x, (v, i) => {
    const c = Math.floor(i / W) % C;
    return v * series.std[c]! + series.mean[c]!;
  });
  return { x, raw };
}

const run = (file: string, feeds: Record<string, { data: Float32Array; dims: number[] }>) =>
  runNode(built.bundle.files[file]!, feeds);

describe('series bundles in infer-web', () => {
  it('loads with data.series and a per-feature standardisation', () => {
    const d = model.manifest.data;
    expect(d.kind).toBe('series');
    expect(d.series).toEqual({ ...series, layout: 'cw' });
    expect(d.scaling.type === 'standardize' && d.scaling.mean.slice(W - 1, W + 1)).toEqual([12.5, 3]);
  });

  it('reconstructs windows in user units as onnxruntime-node does', async () => {
    const n = 5;
    const { x, raw } = windows(n);
    const r = await model.reconstructWindows(raw);
    const enc = await run('encoder.onnx', { x: { data: x, dims: [n, C, W] } });
    const dec = await run('decoder.onnx', { z: { data: enc.loc!, dims: [n, D] } });
    const mean = await run('data-mean.onnx', { params: { data: dec.params!, dims: [n, C, W] } });
    const want = Float32Array.from(mean.mean!, (v, i) => {
      const c = Math.floor(i / W) % C;
      return v * series.std[c]! + series.mean[c]!;
    });
    expect(r.n).toBe(n);
    expect(maxAbsDiff(r.loc, enc.loc!)).toBeLessThanOrEqual(1e-4);
    expect(maxAbsDiff(r.windows, want)).toBeLessThanOrEqual(1e-4);
    // The same as nested [C][W] arrays.
    const nested = Array.from({ length: n }, (_, i) =>
      Array.from({ length: C }, (_, c) => Array.from(raw.subarray((i * C + c) * W, (i * C + c + 1) * W))),
    );
    expect(maxAbsDiff((await model.reconstructWindows(nested)).windows, r.windows)).toBe(0);
  });

  it("scores each window's -ELBO as the bundle's score graph on onnxruntime-node does", async () => {
    const n = 4;
    const k = 3;
    const { x, raw } = windows(n);
    const s = await model.scoreWindows(raw, 9, k);
    const enc = await run('encoder.onnx', { x: { data: x, dims: [n, C, W] } });
    const eps = normal(fold(key(9), 0), k * n * D);
    const q = {
      loc: { data: enc.loc!, dims: [n, D] },
      scale: { data: enc.scale!, dims: [n, D] },
      eps: { data: eps, dims: [k, n, D] },
    };
    const { z } = await run('posterior-sample.onnx', q);
    const dec = await run('decoder.onnx', { z: { data: z!, dims: [k * n, D] } });
    const out = await run('score.onnx', {
      ...q,
      x: { data: x, dims: [n, C, W] },
      params: { data: dec.params!, dims: [k, n, C, W] },
    });
    const tol = 1e-3 * Math.max(1, ...Array.from(out.elbo!, Math.abs));
    expect(
      maxAbsDiff(
        s.negElbo,
        Float32Array.from(out.elbo!, (v) => -v),
      ),
    ).toBeLessThanOrEqual(tol);
    for (let i = 0; i < n; i++) expect(s.negElbo[i]).toBeCloseTo(s.recon[i]! + s.kl[i]!, 3);
    // Per step: core's seriesStepTerms (what `vae score` runs) on the interpreter, the same eps.
    const g = new Graph('oracle');
    const xIn = g.input('x', [n, C, W]);
    const epsIn = g.input('eps', [k, n, D]);
    const fixed: NoiseSource = {
      normal: () => epsIn,
      uniform: () => {
        throw new Error('no uniform noise here');
      },
    };
    const t = seriesStepTerms(built.vae, built.vae.paramInputs(g), xIn, fixed, k);
    const f = (shape: number[], data: Float32Array): HostTensor => ({ dtype: 'float32', shape, data });
    const [steps, neg] = interpret(g, [t.stepScore, t.negElbo], {
      ...built.params,
      x: f([n, C, W], x),
      eps: f([k, n, D], eps),
    });
    expect(maxAbsDiff(s.negElbo, neg!.data as Float32Array)).toBeLessThanOrEqual(tol);
    expect(maxAbsDiff(s.steps, steps!.data as Float32Array)).toBeLessThanOrEqual(1e-3);
    for (let i = 0; i < n; i++) {
      const sum = s.steps.subarray(i * W, (i + 1) * W).reduce((a, b) => a + b, 0);
      expect(sum).toBeCloseTo(s.negElbo[i]!, 2);
    }
  });

  it('loads an old series bundle (kind vector, no data.series) and says what it lacks', async () => {
    const old = await build(seriesConvVAE({ channels: C, window: W, latent: D, hidden: [8] }), 8, {
      kind: 'vector',
    });
    const m = await loadModel(old.bundle.files);
    try {
      expect(m.manifest.data.kind).toBe('vector');
      await expect(m.reconstructWindows(new Float32Array(C * W))).rejects.toThrow(
        /no series block.*re-export/,
      );
      expect((await m.decode(new Float32Array(D))).params).toHaveLength(C * W);
    } finally {
      await m.dispose();
    }
  });

  it('refuses windows of the wrong shape in one line', async () => {
    await expect(model.reconstructWindows(new Float32Array(C * W + 1))).rejects.toThrow(
      /expected a non-zero multiple of 2 x 16/,
    );
    await expect(model.reconstructWindows([[[1, 2, 3]]])).rejects.toThrow(
      /must be 2 columns \(temp, wind\) of 16 steps/,
    );
    await expect(model.sampleText(1, 1)).rejects.toThrow(/needs a text bundle/);
  });
});

describe('series bundles in worker mode', () => {
  it('answers the window methods like the in-page model', async () => {
    const { port1, port2 } = new MessageChannel();
    serveModel(port2 as unknown as MessageEndpoint);
    port1.start();
    port2.start();
    const worker = Object.assign(port1, { terminate: () => port1.close() }) as unknown as Worker;
    const remote = await loadModel(built.bundle.files, { worker });
    try {
      const { raw } = windows(2);
      expect(await remote.reconstructWindows(raw)).toEqual(await model.reconstructWindows(raw));
      expect(await remote.scoreWindows(raw, 3, 2)).toEqual(await model.scoreWindows(raw, 3, 2));
    } finally {
      await remote.dispose();
    }
  });
});
