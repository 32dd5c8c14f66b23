/**
 * Per-time-step parts of a series VAE's -ELBO, for scores along a series: each window's
 * reconstruction NLL split by step (summed over channels), plus an equal share of its KL per step,
 * so a window's step scores add up to its -ELBO exactly and nothing is counted twice when the
 * steps of overlapping windows are averaged.
 */
import type { Distribution } from '../distributions/distribution';
import { Graph } from '../ir/graph';
import type { Tensor } from '../ir/tensor';
import { elbo } from '../objectives/elbo';
import { GraphNoise, type NoiseSource } from '../random/noise';
import { ModelSpecError } from './spec';
import type { Params, VAE } from './vae';

/** Per-step score parts of windows `[N, C, W]`. */
export interface SeriesStepTerms {
  /** -E_q[log p(x_t | z)] per window and step, summed over channels, [N, W] (nats). */
  readonly stepNll: Tensor;
  /** KL(q(z|x) || p(z)) / W per window, [N, 1]: the KL attributed to each of its steps. */
  readonly stepKl: Tensor;
  /** stepNll + stepKl, [N, W]: sums over steps to the window's -ELBO. */
  readonly stepScore: Tensor;
  /** The window's -ELBO, [N]. */
  readonly negElbo: Tensor;
}

/** The per-element distribution under an event-shaped likelihood (e.g. the Normal of each value). */
function elementwise(lik: Distribution): Distribution {
  const base = (lik as { base?: Distribution }).base;
  if (!base || base.batchShape.length !== lik.batchShape.length + lik.eventShape.length)
    throw new ModelSpecError(`per-step scores need an element-wise likelihood, got ${lik.kind}`);
  return base;
}

/**
 * The per-step terms of a series VAE (`dataShape [C, W]`) on windows `x [N, C, W]` with `particles`
 * posterior samples from `noise` (the same estimator as the training ELBO: analytic KL where one
 * is registered). The KL is a property of the whole window; it is attributed uniformly, KL / W per
 * step (documented choice: a window's code explains all its steps alike).
 */
export function seriesStepTerms(
  vae: VAE,
  params: Params,
  x: Tensor,
  noise: NoiseSource,
  particles = 1,
): SeriesStepTerms {
  const shape = vae.spec.dataShape;
  if (shape.length !== 2)
    throw new ModelSpecError(`per-step scores need windows [channels, length], got dataShape [${shape}]`);
  let lik: Distribution | undefined;
  const terms = elbo({
    posterior: vae.encode(params, { x }),
    prior: vae.prior(params, x.graph),
    likelihood: (z) => {
      lik = vae.decode(params, z);
      return lik;
    },
    x,
    noise,
    particles,
  });
  return { ...seriesSteps(lik!, x, terms.kl), negElbo: terms.elbo.neg() };
}

/**
 * The per-step split of windows' -ELBO from their likelihood (at z of shape [k, N, ...]), windows
 * `x [N, C, W]` and KL [N]: the one implementation behind {@link seriesStepTerms} and a series
 * bundle's score graph (its `steps` output).
 */
export function seriesSteps(
  lik: Distribution,
  x: Tensor,
  kl: Tensor,
): Pick<SeriesStepTerms, 'stepNll' | 'stepKl' | 'stepScore'> {
  const w = x.shape[2] as number;
  // log p(x_{c,t} | z_k) [k, N, C, W] -> summed over channels, averaged over samples: [N, W].
  const stepNll = elementwise(lik).logProb(x).sum([-2]).mean([0]).neg();
  const stepKl = kl.div(w).unsqueeze([1]);
  return { stepNll, stepKl, stepScore: stepNll.add(stepKl) };
}

/**
 * A graph of {@link seriesStepTerms}: inputs `x [N, C, W]`, the parameters (named as
 * `vae.paramShapes()`) and the posterior noise (`noise.feeds(key, { N })` fills it); outputs
 * `stepNll`, `stepScore` [N, W], `stepKl` [N, 1] and `negElbo` [N].
 */
export function seriesStepScoreGraph(
  vae: VAE,
  particles = 1,
): { graph: Graph; outputs: Record<string, Tensor>; noise: GraphNoise } {
  const g = new Graph(`series_step_scores_${particles}`);
  const x = g.input('x', ['N', ...vae.spec.dataShape]);
  const params = vae.paramInputs(g);
  const noise = new GraphNoise(g);
  const t = seriesStepTerms(vae, params, x, noise, particles);
  return { graph: g, outputs: { ...t }, noise };
}
