import { dataInputs, type EvalGraph, elbo, Graph, GraphNoise, grad, Normal, type VAE } from '@vae/core';

// Graphs of the anomaly scores that `vae eval`'s graphs (eval/eval-graphs.ts) do not give; like
// those, parameters are inputs, so one session serves any weights.

/** -log p(z) under the model's prior for codes z [N, latent] (the latent-density score). */
export function buildLatentNllGraph(vae: VAE): EvalGraph {
  const g = new Graph('score_latent_nll');
  const params = vae.paramInputs(g);
  const z = g.input('z', ['N', vae.spec.latent]);
  const latentNll = vae.prior(params, g).logProb(z).neg();
  return { graph: g, outputs: { latentNll }, noise: new GraphNoise(g) };
}

/**
 * The encoder's posterior as loc and log-scale [N, latent]: regret's starting point. The bundle's
 * encoder gives the scale, whose log is -inf where it underflows to 0 (far-out inputs).
 */
export function buildPosteriorGraph(vae: VAE): EvalGraph {
  const g = new Graph('score_posterior');
  const params = vae.paramInputs(g);
  const { loc, logScale } = vae.encodeMoments(params, dataInputs(vae, g));
  return { graph: g, outputs: { loc, logScale }, noise: new GraphNoise(g) };
}

/**
 * The per-example -ELBO of a free diagonal Gaussian q(z) = N(loc, exp(logScale)) per example (not
 * the encoder's), with `particles` z samples, and its gradient with respect to loc and logScale:
 * one step of likelihood regret's per-example fit (see regret.ts). Examples are independent, so
 * the gradient of the batch's sum is each example's own.
 */
export function buildRegretGraph(vae: VAE, particles: number): EvalGraph {
  const g = new Graph(`score_regret_${particles}`);
  const params = vae.paramInputs(g);
  const batch = dataInputs(vae, g);
  const L = vae.spec.latent;
  const loc = g.input('loc', ['N', L]);
  const logScale = g.input('logScale', ['N', L]);
  const noise = new GraphNoise(g);
  const terms = elbo({
    posterior: new Normal(loc, logScale.exp()).toEvent(1),
    prior: vae.prior(params, g),
    likelihood: (z) => vae.decode(params, z, batch),
    x: batch.x,
    noise,
    particles,
  });
  const negElbo = terms.elbo.neg();
  const [gLoc, gLogScale] = grad(negElbo.sum(), [loc, logScale]);
  return { graph: g, outputs: { negElbo, gLoc: gLoc!, gLogScale: gLogScale! }, noise };
}
