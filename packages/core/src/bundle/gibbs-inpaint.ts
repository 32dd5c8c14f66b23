/**
 * Metropolis-within-Gibbs inpainting (Mattei & Frellsen 2018) driven by a bundle's own graphs, so
 * Node (`vae impute --method gibbs`) and the browser (`@vae/infer-web`'s `inpaint`) run one
 * algorithm over graphs lowered from the same core code. Browser-safe: it moves arrays and draws
 * noise; every density comes from the graphs.
 */
import { fold, normal, type PRNGKey, uniform } from '@vae/random';

/** The graph runs the sampler needs: a bundle's encoder, decoder and probability graphs. */
export interface GibbsGraphs {
  /** q(z|x) for x [n, features]: loc and scale [n, latent] (the `encoder` graph). */
  encode(x: Float32Array, n: number): Promise<{ loc: Float32Array; scale: Float32Array }>;
  /** z = loc + scale eps, for eps [k, n, latent] (the `posteriorSample` graph). */
  posteriorSample(
    loc: Float32Array,
    scale: Float32Array,
    eps: Float32Array,
    k: number,
    n: number,
  ): Promise<Float32Array>;
  /** The decoder output at z [n, latent]: the likelihood's parameters (the `decoder` graph). */
  decode(z: Float32Array, n: number): Promise<Float32Array>;
  /**
   * log p(x|z_k) + log p(z_k) - log q(z_k|x), [k, n], for z_k = loc + scale eps_k and `params` the
   * decoder output at those z (the `score` graph's `logw`).
   */
  logWeights(
    x: Float32Array,
    loc: Float32Array,
    scale: Float32Array,
    eps: Float32Array,
    params: Float32Array,
    k: number,
    n: number,
  ): Promise<Float32Array>;
  /** One draw of p(x|z) from decoder output; noise input i from `fold(key, i)` (the `dataSample` graph). */
  dataSample(params: Float32Array, n: number, key: PRNGKey): Promise<Float32Array>;
  /** E[x|z] from decoder output (the `dataMean` graph). */
  dataMean(params: Float32Array, n: number): Promise<Float32Array>;
}

/** Options of {@link metropolisWithinGibbs}. */
export interface GibbsOptions {
  /** Examples. */
  readonly n: number;
  readonly latent: number;
  /** Iterations (each: encode, propose z, accept or reject, draw the missing pixels). */
  readonly iters: number;
  /** Iterations discarded before averaging E[x_mis | z_t] (default floor(iters / 2)). */
  readonly burnIn?: number;
  /**
   * Iteration t draws eps from `fold(fold(key, t), 0)`, the accept uniforms from
   * `fold(fold(key, t), 1)` and the missing pixels with key `fold(fold(key, t), 2)`.
   */
  readonly key: PRNGKey;
  /** false: pseudo-Gibbs (Rezende et al. 2014), every proposal accepted. Default true. */
  readonly metropolis?: boolean;
  /** Called after each iteration (progress). */
  readonly onIter?: (done: number, total: number) => void;
}

/** What {@link metropolisWithinGibbs} returns. */
export interface GibbsResult {
  /** E[x | x_obs] at the missing entries (the average of E[x_mis | z_t] after burn-in), observed entries as given. */
  readonly filled: Float32Array;
  /** Share of proposals accepted after the first iteration (1 for pseudo-Gibbs). */
  readonly acceptance: number;
}

/**
 * Fills the missing entries of `x` ([n, features], the missing ones set to a starting fill) by
 * Metropolis-within-Gibbs: each iteration proposes z' ~ q(z | x_t) and accepts it with probability
 * min(1, w(z') / w(z_{t-1})), w(z) = p(x_t|z) p(z) / q(z|x_t) (an independence sampler whose target is
 * p(z | x_t): both weights use the current completed image), then draws x_mis ~ p(x_mis | z_t).
 * The chain's stationary law is p(z, x_mis | x_obs) for any encoder; pseudo-Gibbs (every proposal
 * accepted) is exact only if q(z|x) is the true posterior. The estimate is the Rao-Blackwellised mean
 * of E[x_mis | z_t] over the iterations after burn-in.
 * @param missing - [n, features], 1 where the entry is missing
 */
export async function metropolisWithinGibbs(
  graphs: GibbsGraphs,
  x0: Float32Array,
  missing: ArrayLike<number>,
  o: GibbsOptions,
): Promise<GibbsResult> {
  const { n, latent: L, iters } = o;
  if (!(Number.isInteger(iters) && iters >= 1))
    throw new RangeError(`gibbs: iters must be a positive integer, got ${iters}`);
  const burnIn = o.burnIn ?? Math.floor(iters / 2);
  if (!(Number.isInteger(burnIn) && burnIn >= 0 && burnIn < iters))
    throw new RangeError(`gibbs: burnIn must be an integer from 0 to iters - 1, got ${burnIn}`);
  if (x0.length % n !== 0 || missing.length !== x0.length)
    throw new RangeError(`gibbs: x has ${x0.length} values and missing ${missing.length}, for ${n} examples`);
  const x = x0.slice();
  const sum = new Float64Array(x.length);
  let z: Float32Array | undefined;
  let params: Float32Array | undefined;
  let accepted = 0;
  let proposed = 0;
  for (let t = 0; t < iters; t++) {
    const kt = fold(o.key, t);
    const { loc, scale } = await graphs.encode(x, n);
    const eps = normal(fold(kt, 0), n * L);
    const zNew = await graphs.posteriorSample(loc, scale, eps, 1, n);
    const pNew = await graphs.decode(zNew, n);
    if (!z || !params || o.metropolis === false) {
      z = zNew;
      params = pNew;
    } else {
      // The current z as noise of this iteration's q, so one score run weighs both states.
      const epsPrev = Float32Array.from(z, (v, i) => (v - loc[i]!) / scale[i]!);
      const both = (a: Float32Array, b: Float32Array) => {
        const out = new Float32Array(a.length + b.length);
        out.set(a);
        out.set(b, a.length);
        return out;
      };
      const logw = await graphs.logWeights(x, loc, scale, both(eps, epsPrev), both(pNew, params), 2, n);
      const u = uniform(fold(kt, 1), n);
      const P = params.length / n;
      for (let i = 0; i < n; i++) {
        proposed++;
        // log u < log w' - log w (u = 0 always accepts); a NaN weight keeps the current state.
        if (!(Math.log(u[i]!) < logw[i]! - logw[n + i]!)) continue;
        accepted++;
        z.set(zNew.subarray(i * L, (i + 1) * L), i * L);
        params.set(pNew.subarray(i * P, (i + 1) * P), i * P);
      }
    }
    const draw = await graphs.dataSample(params, n, fold(kt, 2));
    for (let j = 0; j < x.length; j++) if (missing[j]) x[j] = draw[j]!;
    if (t >= burnIn) {
      const mean = await graphs.dataMean(params, n);
      for (let j = 0; j < x.length; j++) if (missing[j]) sum[j]! += mean[j]!;
    }
    o.onIter?.(t + 1, iters);
  }
  const filled = x0.slice();
  for (let j = 0; j < x.length; j++) if (missing[j]) filled[j] = sum[j]! / (iters - burnIn);
  return { filled, acceptance: proposed === 0 ? 1 : accepted / proposed };
}
