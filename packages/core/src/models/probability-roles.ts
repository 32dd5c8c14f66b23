/**
 * The probability role graphs of a VAE: what a browser needs besides the encoder and decoder to map
 * decoder outputs to data space, sample, score and draw from a mixture prior. Built from the same
 * likelihoods, priors and bounds that train, so a bundle ships them instead of a JS copy.
 */
import type { BuiltGraph } from '../backend/backend';
import type { Distribution } from '../distributions/distribution';
import { Normal } from '../distributions/normal';
import type { HostTensor } from '../ir/dtype';
import { Graph } from '../ir/graph';
import { interpret } from '../ir/interpret';
import type { Shape } from '../ir/shape';
import type { Tensor } from '../ir/tensor';
import { elbo } from '../objectives/elbo';
import { logImportanceWeights, logMeanExp } from '../objectives/iwae';
import { GraphNoise, type NoiseSource } from '../random/noise';
import { likelihoodFrom, likelihoodParamShape } from './likelihood';
import { buildPrior } from './prior';
import { seriesSteps } from './series-scores';
import type { VAE } from './vae';

/** The probability graphs a bundle ships (see `BundleGraphs` in the bundle contract). */
export type ProbabilityRole = 'data-mean' | 'data-sample' | 'posterior-sample' | 'score' | 'prior-sample';

/** A probability role graph and which of its inputs are noise (standard normal or uniform [0, 1)). */
export interface ProbabilityGraph extends BuiltGraph {
  readonly noise: Readonly<Record<string, 'normal' | 'uniform'>>;
}

/** Names of a VampPrior's components in the probability graphs (its pseudo-inputs' posteriors). */
export const VAMP_LOC = 'prior.vamp.loc';
export const VAMP_SCALE = 'prior.vamp.scale';

/**
 * A VampPrior's mixture components: the posteriors of its pseudo-inputs under the trained encoder,
 * computed once (on the interpreter) so the probability graphs carry K x latent numbers instead of
 * the encoder's weights. Empty for other priors.
 */
export function vampComponents(
  vae: VAE,
  params: Readonly<Record<string, HostTensor>>,
): Record<string, HostTensor> {
  if (vae.spec.prior.type !== 'vamp') return {};
  const { graph, outputs } = vae.roleGraph('encoder');
  const names = new Set(graph.inputs.map((t) => t.name));
  const feeds: Record<string, HostTensor> = { x: params['prior.pseudo']! };
  for (const [n, v] of Object.entries(params)) if (names.has(n)) feeds[n] = v;
  const [loc, scale] = interpret(graph, [outputs.loc!, outputs.scale!], feeds);
  return { [VAMP_LOC]: loc!, [VAMP_SCALE]: scale! };
}

/** The smallest normal float32, 2^-126 (about 1.2e-38). */
const MIN_NORMAL_FLOAT32 = 2 ** -126;

/** A NoiseSource that hands out one given tensor (the graph's eps input) whatever shape is asked. */
const fixedNormal = (eps: Tensor): NoiseSource => ({
  normal: (_shape: Shape) => eps,
  uniform: () => {
    throw new Error('the score graph takes standard-normal noise only');
  },
});

/**
 * Builds one probability role graph; parameters are graph inputs after the data inputs, as in
 * `VAE.roleGraph`. A VampPrior's components are inputs {@link VAMP_LOC} / {@link VAMP_SCALE}
 * (with `bind`, filled from {@link vampComponents}).
 * - `data-mean`: params [N, ...] -> mean [N, ...dataShape]
 * - `data-sample`: params [N, ...] + noise -> sample [N, ...dataShape] (the likelihood's `sample`)
 * - `posterior-sample`: loc, scale [N, latent], eps [K, N, latent] -> z = loc + scale eps [K, N, latent]
 * - `score`: x [N, ...dataShape] (+ mask), loc, scale, eps, params [K, N, ...] (the decoder at the
 *   `posterior-sample` z) -> iwae, elbo, recon, kl [N] and logw [K, N]: core's `iwaeBound` and `elbo`
 *   with that eps; for series windows (dataShape [C, W]) also `steps` [N, W], the -ELBO split by
 *   time step (`seriesSteps`: per-step NLL summed over channels plus KL / W)
 * - `prior-sample` (mixture priors): noise -> z [N, latent] (the prior's `sample`)
 */
export function probabilityRoleGraph(
  vae: VAE,
  role: ProbabilityRole,
  options: { bind?: Readonly<Record<string, HostTensor>> } = {},
): ProbabilityGraph {
  const s = vae.spec;
  const g = new Graph(role.replace('-', '_'));
  const noiseKinds: Record<string, 'normal' | 'uniform'> = {};
  const paramShape = likelihoodParamShape(s.likelihood, s.dataShape);
  const mask = () =>
    s.likelihood.type === 'tabular' ? g.input('mask', ['N', s.likelihood.columns.length]) : undefined;
  // `floor`: the score graph's log-densities need log(scale), but a bundle's encoder ships the scale
  // itself, which underflows to 0 for inputs far out (exp(logVar / 2), logVar < -207): log(0) would
  // make the score +-inf or NaN. Flooring at the smallest normal float32 keeps it finite (log scale
  // >= -87.3) and leaves every draw z = loc + scale eps bit-identical for scales >= 2^-126.
  const posteriorInputs = (floor = false) => {
    const loc = g.input('loc', ['N', s.latent]);
    const scale = g.input('scale', ['N', s.latent]);
    const eps = g.input('eps', ['K', 'N', s.latent]);
    noiseKinds.eps = 'normal';
    return { q: new Normal(loc, floor ? scale.maximum(MIN_NORMAL_FLOAT32) : scale).toEvent(1), eps };
  };
  let build: () => Record<string, Tensor>;
  switch (role) {
    case 'data-mean':
    case 'data-sample': {
      const out = g.input('params', ['N', ...paramShape]);
      build = (): Record<string, Tensor> => {
        const lik = likelihoodFrom(s.likelihood, s.dataShape, out, params);
        if (role === 'data-mean') return { mean: lik.mean };
        const noise = new GraphNoise(g);
        const sample = lik.sample(noise);
        for (const d of noise.draws) noiseKinds[d.name] = d.kind;
        return { sample };
      };
      break;
    }
    case 'posterior-sample': {
      const { q, eps } = posteriorInputs();
      build = () => ({ z: q.rsample(fixedNormal(eps), ['K']) });
      break;
    }
    case 'score': {
      const x = g.input('x', ['N', ...s.dataShape]);
      const m = mask();
      const { q, eps } = posteriorInputs(true);
      const out = g.input('params', ['K', 'N', ...paramShape]);
      build = () => {
        let lik: Distribution | undefined;
        const input = {
          posterior: q,
          prior: prior(),
          // `params` is the decoder's output at the z this eps gives (the posterior-sample graph).
          likelihood: () => {
            lik = likelihoodFrom(s.likelihood, s.dataShape, out, params, m);
            return lik;
          },
          x,
          noise: fixedNormal(eps),
        };
        const logw = logImportanceWeights({ ...input, samples: 1 });
        const terms = elbo({ ...input, particles: 1 });
        // Series windows [C, W]: also each window's -ELBO split by time step (`steps` [N, W]).
        const steps: Record<string, Tensor> =
          s.dataShape.length === 2 ? { steps: seriesSteps(lik!, x, terms.kl).stepScore } : {};
        return { iwae: logMeanExp(logw), elbo: terms.elbo, recon: terms.recon, kl: terms.kl, logw, ...steps };
      };
      break;
    }
    case 'prior-sample':
      build = () => {
        const noise = new GraphNoise(g);
        const z = prior().sample(noise, ['N']);
        for (const d of noise.draws) noiseKinds[d.name] = d.kind;
        return { z };
      };
      break;
  }
  const vamp =
    s.prior.type === 'vamp'
      ? {
          loc: g.input(VAMP_LOC, [s.prior.pseudoInputs, s.latent]),
          scale: g.input(VAMP_SCALE, [s.prior.pseudoInputs, s.latent]),
        }
      : undefined;
  const params = vae.paramInputs(g);
  const prior = () => buildPrior(s.prior, s.latent, g, params, () => vamp!);
  const outputs = build();
  const bind = options.bind ? { ...options.bind, ...vampComponents(vae, options.bind) } : undefined;
  return { graph: g, outputs, noise: noiseKinds, ...(bind ? { bind } : {}) };
}
