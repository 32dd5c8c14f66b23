/**
 * Image inpainting in the browser: `@vae/core/bundle`'s Metropolis-within-Gibbs sampler over the
 * bundle's own graphs (encoder, posterior-sample, decoder, score, data-sample, data-mean), the chain
 * `vae impute --method gibbs` runs in Node. No probability code here: this file moves arrays.
 */
import { type BundleManifest, type GibbsGraphs, metropolisWithinGibbs } from '@vae/core/bundle';
import type { PRNGKey } from '@vae/random';
import type { Inpainted, InpaintOptions } from './api';
import { InferError } from './errors';
import { type Rows, toCondition, toRows } from './inputs';
import { toKey } from './model-base';

/** What inpainting needs of a loaded model (the in-page model gives it). */
export interface InpaintRunner {
  readonly manifest: BundleManifest;
  readonly latent: number;
  run(
    role: 'encoder' | 'decoder' | 'posteriorSample' | 'score' | 'dataSample' | 'dataMean',
    feeds: Record<string, Float32Array>,
    dims: { N: number; K?: number },
    noise?: { key: PRNGKey },
  ): Promise<Record<string, Float32Array>>;
}

/** The sampler's graph runs on a loaded bundle; `c` ([n, size]) goes to the encoder and decoder. */
function bundleGraphs(m: InpaintRunner, c?: Float32Array): GibbsGraphs {
  const withC = (feeds: Record<string, Float32Array>) => (c ? { ...feeds, c } : feeds);
  return {
    async encode(x, n) {
      const r = await m.run('encoder', withC({ x }), { N: n });
      return { loc: r.loc!, scale: r.scale! };
    },
    async posteriorSample(loc, scale, eps, k, n) {
      return (await m.run('posteriorSample', { loc, scale, eps }, { N: n, K: k })).z!;
    },
    async decode(z, n) {
      return (await m.run('decoder', withC({ z }), { N: n })).params!;
    },
    async logWeights(x, loc, scale, eps, params, k, n) {
      return (await m.run('score', { x, loc, scale, eps, params }, { N: n, K: k })).logw!;
    },
    async dataSample(params, n, key) {
      return (await m.run('dataSample', { params }, { N: n }, { key })).sample!;
    },
    async dataMean(params, n) {
      return (await m.run('dataMean', { params }, { N: n })).mean!;
    },
  };
}

/**
 * Fills the missing pixels of images x ([n, ...data.shape]; `missing` the same shape, 1 = missing)
 * with E[x_mis | x_obs] from Metropolis-within-Gibbs (see `InpaintOptions` for the defaults).
 * @throws InferError `input` for a tabular bundle, a mask of another size or with values not 0/1
 */
export async function inpaint(
  m: InpaintRunner,
  x: Rows,
  missing: Rows,
  opts: InpaintOptions = {},
): Promise<Inpainted> {
  if (m.manifest.likelihood.type === 'tabular')
    throw new InferError('input', 'inpaint fills image pixels; for a tabular bundle use imputeRows');
  const features = m.manifest.data.shape.reduce((a, d) => a * d, 1);
  const { data, n } = toRows(x, features, 'x');
  const mask = toRows(missing, features, 'missing').data;
  if (mask.length !== data.length)
    throw new InferError('input', `missing has ${mask.length} values for ${data.length} values of x`);
  if (mask.some((v) => v !== 0 && v !== 1))
    throw new InferError('input', 'missing must hold 0 (observed) or 1 (missing) only');
  const iters = opts.iters ?? 100;
  const cc = toCondition(opts.c, n, m.manifest.condition?.size);
  const graphs = bundleGraphs(m, cc);
  if (opts.fill && opts.fill.length !== features)
    throw new InferError('input', `fill has ${opts.fill.length} values; one image has ${features}`);
  // The starting fill: the caller's image, or each example's likelihood mean at z = 0.
  const fill =
    opts.fill ?? (await graphs.dataMean(await graphs.decode(new Float32Array(n * m.latent), n), n));
  const x0 = Float32Array.from(data, (v, j) => (mask[j] ? fill[j % fill.length]! : v));
  try {
    const r = await metropolisWithinGibbs(graphs, x0, mask, {
      n,
      latent: m.latent,
      iters,
      ...(opts.burnIn === undefined ? {} : { burnIn: opts.burnIn }),
      key: toKey(opts.key ?? 1),
      ...(opts.metropolis === false ? { metropolis: false } : {}),
    });
    return { n, filled: r.filled, acceptance: r.acceptance };
  } catch (e) {
    if (e instanceof RangeError) throw new InferError('input', `inpaint: ${e.message}`);
    throw e;
  }
}
