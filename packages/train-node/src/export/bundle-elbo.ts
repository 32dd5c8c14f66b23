/**
 * The ELBO of a bundle as its files compute it: the bundle's own encoder.onnx and decoder.onnx (so
 * float16-rounded or int8-quantised weights, dynamic activation quantisation included) with the
 * training code's posterior sample and likelihood around them. Used by `vae export` to put figures
 * measured on the bundle itself into an fp16/int8 manifest.
 */
import {
  type Bundle,
  elbo,
  fold,
  Graph,
  GraphNoise,
  type HostTensor,
  likelihoodFrom,
  type NoiseSource,
  Normal,
  type PRNGKey,
  type Tensor,
  type VAE,
} from '@vae/core';
import type { OrtBackend } from '../backend/ort-backend';
import { sliceRows } from '../eval/eval-graphs';
import type { SplitInputs } from '../eval/evaluate';

/**
 * z = loc + scale * eps for the bundle's posterior parameters, with eps drawn exactly as the
 * evaluation ELBO graph draws it (the same first noise input of the same shape), so a bundle's ELBO
 * and the float32 one see the same noise.
 */
function sampleGraph(vae: VAE) {
  const g = new Graph('bundle_posterior_sample');
  const L = vae.spec.latent;
  const q = new Normal(g.input('loc', ['N', L]), g.input('scale', ['N', L])).toEvent(1);
  const noise = new GraphNoise(g);
  const z = q.rsample(noise, [1]);
  return { graph: g, outputs: { z: z.squeeze([0]) } as Record<string, Tensor>, noise };
}

/**
 * Per-example ELBO terms from the bundle's outputs: the posterior from `loc`/`scale`, the
 * likelihood from the decoder's output `dec`, the prior and any likelihood parameters from the
 * (float32) parameters, which is what the manifest describes. The posterior sample is the one the
 * decoder saw: `eps` is fed, and z = loc + scale * eps is recomputed with the same ops.
 */
function scoreGraph(vae: VAE, decShape: readonly (number | string)[]) {
  const g = new Graph('bundle_elbo');
  const s = vae.spec;
  const L = s.latent;
  const params = vae.paramInputs(g);
  const x = g.input('x', ['N', ...s.dataShape]);
  const mask =
    s.likelihood.type === 'tabular' ? g.input('mask', ['N', s.likelihood.columns.length]) : undefined;
  const posterior = new Normal(g.input('loc', ['N', L]), g.input('scale', ['N', L])).toEvent(1);
  const dec = g.input('dec', [...decShape]);
  const eps = g.input('eps', [1, 'N', L]);
  const noise: NoiseSource = {
    normal: () => eps,
    uniform: () => {
      throw new Error('bundle ELBO: only the posterior sample draws noise');
    },
  };
  const terms = elbo({
    posterior,
    prior: vae.prior(params, g),
    likelihood: () => likelihoodFrom(s.likelihood, s.dataShape, dec.unsqueeze([0]), params, mask),
    x,
    noise,
  });
  return { graph: g, outputs: { elbo: terms.elbo, recon: terms.recon, kl: terms.kl } };
}

/** Per-example ELBO terms (nats) of a bundle on `inputs`, batched as {@link elboPass} batches. */
export async function bundleElboPass(
  backend: OrtBackend,
  vae: VAE,
  params: Readonly<Record<string, HostTensor>>,
  bundle: Bundle,
  inputs: SplitInputs,
  key: PRNGKey,
  batch = 500,
): Promise<{ n: number; elbo: Float64Array; recon: Float64Array; kl: Float64Array }> {
  const { manifest, files } = bundle;
  const enc = await backend.load(files[manifest.encoder.file]!);
  const dec = await backend.load(files[manifest.decoder.file]!);
  const decShape = manifest.decoder.outputs.find((o) => o.name === 'params')!.shape;
  const spec = JSON.stringify(vae.spec);
  const sample = sampleGraph(vae);
  const sampler = await backend.compile(`bundle-sample:${spec}`, () => sample);
  const scorer = await backend.compile(`bundle-elbo:${spec}`, () => scoreGraph(vae, decShape));
  const n = inputs.x!.shape[0]!;
  const out = { elbo: new Float64Array(n), recon: new Float64Array(n), kl: new Float64Array(n) };
  for (let b = 0, from = 0; from < n; b++, from += batch) {
    const to = Math.min(n, from + batch);
    const rows: Record<string, HostTensor> = {};
    for (const [name, t] of Object.entries(inputs)) rows[name] = sliceRows(t, from, to);
    const pick = (names: readonly string[]) => Object.fromEntries(names.map((k) => [k, rows[k]!]));
    const { loc, scale } = await enc.run(pick(enc.inputNames));
    const noise = sample.noise.feeds(fold(key, b), { N: to - from });
    const { z } = await sampler.run({ loc: loc!, scale: scale!, ...noise });
    const { params: p } = await dec.run({ ...pick(dec.inputNames.filter((k) => k !== 'z')), z: z! });
    const eps = Object.values(noise)[0]!;
    const r = await scorer.run({ ...params, ...rows, loc: loc!, scale: scale!, dec: p!, eps });
    for (const k of ['elbo', 'recon', 'kl'] as const) out[k].set(r[k]!.data as Float32Array, from);
  }
  return { n, ...out };
}
