/**
 * Inpainting with a VAE trained on complete images: the missing pixels' expected value given the
 * observed ones, E[x_mis | x_obs], by self-normalised importance sampling (MIWAE's imputation,
 * Mattei & Frellsen 2019). The Metropolis-within-Gibbs sampler (Mattei & Frellsen 2018) runs on a
 * bundle's own graphs instead: see `metropolisWithinGibbs` in `@vae/core/bundle`.
 */
import type { Distribution } from '../distributions/distribution';
import { Independent, sumRightmost } from '../distributions/independent';
import { Graph } from '../ir/graph';
import type { Tensor } from '../ir/tensor';
import { GraphNoise } from '../random/noise';
import { ModelSpecError } from './spec';
import type { VAE } from './vae';

/**
 * log p(x_obs | z): the likelihood's per-element log-probabilities (its base distribution, before
 * `toEvent` sums them) times `observed` (1 observed, 0 missing, broadcast like x), summed over the
 * last `dataRank` axes. Pixels are conditionally independent given z, so this is the exact marginal
 * likelihood of the observed pixels.
 */
export function observedLogLikelihood(
  lik: Distribution,
  x: Tensor,
  observed: Tensor,
  dataRank: number,
): Tensor {
  if (!(lik instanceof Independent) || lik.reinterpreted !== dataRank)
    throw new ModelSpecError(
      `inpainting needs a likelihood that factorises over the ${dataRank} data axes (pixels), got ${lik.kind}`,
    );
  return sumRightmost(lik.base.logProb(x).mul(observed), dataRank);
}

/** The graph {@link importanceInpaintGraph} builds, with its noise inputs. */
export interface InpaintGraph {
  readonly graph: Graph;
  /** `mean` [N, ...dataShape]: E[x | x_obs] (use it at the missing pixels); `logw` [K, N]. */
  readonly outputs: { mean: Tensor; logw: Tensor };
  readonly noise: GraphNoise;
}

/**
 * The importance-sampling inpainting graph. Inputs: parameters (as `VAE.paramInputs`), `x`
 * [N, ...dataShape] with the missing pixels set to a neutral fill (what the encoder sees), `missing`
 * [N, ...dataShape] (1 missing, 0 observed), `c` for conditional models, and standard-normal noise
 * [samples, N, latent]. With z_k ~ q(z | x~), the weights are
 * w_k = p(x_obs | z_k) p(z_k) / q(z_k | x~), the likelihood restricted to the observed pixels, and
 * `mean` = sum_k softmax(log w)_k E[x | z_k]: the fill is biased towards the encoder only by the
 * finite k, since the weights correct a posterior computed from a filled-in image.
 * @throws ModelSpecError for tabular models (their columns carry their own mask: `vae impute --csv`)
 */
export function importanceInpaintGraph(vae: VAE, samples: number): InpaintGraph {
  const s = vae.spec;
  if (s.likelihood.type === 'tabular')
    throw new ModelSpecError('image inpainting needs an image model; tabular models impute cells per column');
  if (!(Number.isInteger(samples) && samples >= 1))
    throw new ModelSpecError(`inpainting: samples must be a positive integer, got ${samples}`);
  const g = new Graph(`inpaint_${samples}`);
  const x = g.input('x', ['N', ...s.dataShape]);
  const missing = g.input('missing', ['N', ...s.dataShape]);
  const c = s.condition ? g.input('c', ['N', s.condition.size]) : undefined;
  const params = vae.paramInputs(g);
  const noise = new GraphNoise(g);
  const q = vae.encode(params, { x, c });
  const z = q.rsample(noise, [samples]);
  const lik = vae.decode(params, z, { c });
  const observed = missing.neg().add(1);
  const logw = observedLogLikelihood(lik, x, observed, s.dataShape.length)
    .add(vae.prior(params, g).logProb(z))
    .sub(q.logProb(z));
  const axes = Array.from({ length: s.dataShape.length }, (_, i) => i + 2);
  const w = logw.softmax(0).unsqueeze(axes);
  return { graph: g, outputs: { mean: lik.mean.mul(w).sum([0]), logw }, noise };
}
