import {
  adam,
  buildElboGraph,
  buildLogWeightGraph,
  buildStepGraph,
  convVAE,
  type Graph,
  type HostTensor,
  key,
  mlpVAE,
  normal,
  STATE_PREFIX,
  VAE,
} from '@vae/core';
import { afterAll, describe, expect, it } from 'vitest';
import { buildLatentNllGraph, buildPosteriorGraph, buildRegretGraph } from '../anomaly/score-graphs';
import { OrtBackend } from '../backend/ort-backend';

// A denoising VAE (`vae train --denoise`) differs from its plain model only in the training step:
// one more noise input, drawn first, that corrupts what the encoder sees.

const backend = new OrtBackend({ threads: 1 });
afterAll(() => backend.dispose());
const B = 4;
const K = 2;
const optimizer = adam({ lr: 1e-2 });
const models = {
  mlp: mlpVAE({ inputSize: 36, hidden: [8], latent: 2 }),
  conv: convVAE({ height: 6, width: 6, channels: 1, hidden: [4], latent: 2 }),
};

/** Feeds of K steps: data, beta, the step graph's noise (eps from a key; the corruption's draw as given). */
function feeds(
  vae: VAE,
  draws: readonly { name: string; shape: readonly (number | string)[] }[],
  u?: number,
) {
  const params = vae.init(key(3));
  const state = optimizer.initState(params);
  const f: Record<string, HostTensor> = { ...params };
  for (const [n, t] of Object.entries(state)) f[STATE_PREFIX + n] = t;
  const size = vae.spec.dataShape.reduce((a, d) => a * d, 1);
  const x = Float32Array.from({ length: K * B * size }, (_, i) => ((i * 7) % 5) / 4);
  f.x = { dtype: 'float32', shape: [K, B, ...vae.spec.dataShape], data: x };
  f.beta = { dtype: 'float32', shape: [K], data: new Float32Array(K).fill(1) };
  for (const d of draws) {
    const shape = [K, ...(d.shape as number[])];
    const n = shape.reduce((a, b) => a * b, 1);
    // The eps draw has the same key in both graphs (named noise_0 in the plain one, noise_1 here).
    const data = d.name.endsWith('uniform') ? new Float32Array(n).fill(u!) : normal(key(11), n);
    f[d.name] = { dtype: 'float32', shape, data };
  }
  return f;
}

const ops = (g: Graph) => g.nodes.map((n) => n.op);
const names = (g: Graph) => g.inputs.map((t) => t.name);

for (const [kind, plain] of Object.entries(models)) {
  describe(`denoising ${kind} VAE`, () => {
    const dvae = new VAE({ ...plain.spec, denoise: { type: 'mask', rate: 0.5 } });
    const stateShapes = Object.fromEntries(
      Object.entries(optimizer.initState(plain.init(key(3)))).map(([n, t]) => [n, t.shape]),
    );
    const build = (vae: VAE) => buildStepGraph({ vae, optimizer, batchSize: B, steps: K, stateShapes });

    it('its step graph draws the corruption first, one value per input value, and uses it', async () => {
      const a = build(plain);
      const d = build(dvae);
      expect(d.noise.draws[0]).toEqual({
        name: 'noise_0_uniform',
        kind: 'uniform',
        shape: [B, ...plain.spec.dataShape],
      });
      expect(d.noise.draws.slice(1).map((x) => [x.kind, x.shape])).toEqual(
        a.noise.draws.map((x) => [x.kind, x.shape]),
      );
      const runPlain = await backend.compile(`plain-${kind}`, () => a);
      const runDenoise = await backend.compile(`denoise-${kind}`, () => d);
      const want = await runPlain.run(feeds(plain, a.noise.draws));
      // u = 0.9 > rate masks nothing: exactly the plain model's steps.
      const kept = await runDenoise.run(feeds(dvae, d.noise.draws, 0.9));
      for (const n of Object.keys(want))
        expect(Array.from(kept[n]!.data as Float32Array), n).toEqual(
          Array.from(want[n]!.data as Float32Array),
        );
      // u = 0.1 masks every value: the encoder sees zeros, the likelihood still scores x.
      const masked = await runDenoise.run(feeds(dvae, d.noise.draws, 0.1));
      expect(Array.from(masked.loss!.data as Float32Array)).not.toEqual(
        Array.from(want.loss!.data as Float32Array),
      );
    });

    it('its evaluation and score graphs are the plain model’s: no corruption, no extra noise', () => {
      const graphs = [
        (v: VAE) => buildElboGraph(v),
        (v: VAE) => buildLogWeightGraph(v, 3),
        (v: VAE) => buildLatentNllGraph(v),
        (v: VAE) => buildPosteriorGraph(v),
        (v: VAE) => buildRegretGraph(v, 2),
      ];
      for (const g of graphs) {
        const [p, q] = [g(plain), g(dvae)];
        expect(names(q.graph)).toEqual(names(p.graph));
        expect(ops(q.graph)).toEqual(ops(p.graph));
        expect(q.noise.draws).toEqual(p.noise.draws);
      }
    });
  });
}
