/**
 * The anomaly scores `vae score --score` offers: one entry per method, its help text, the parts it
 * needs and how it combines them. Every score is "higher = more anomalous". The parts are
 * per-example figures computed by graphs (see score-parts.ts); a method only adds or subtracts them.
 */

/** Per-example parts, in nats on the data's own scale (see eval/bits-per-dim.ts) unless named bits. */
export interface ScoreParts {
  /** -ELBO (one z sample, analytic KL). */
  readonly neg_elbo: Float64Array;
  /** -E_q[log p(x|z)], the reconstruction term. */
  readonly recon: Float64Array;
  /** KL(q(z|x) || p(z)). */
  readonly kl: Float64Array;
  /** Importance-sampled -log p(x) (k = --iw); absent with --iw 0. */
  readonly nll_iw?: Float64Array;
  /** -log p(E[z|x]) under the prior: how far the code lies in the latent space. */
  readonly latent_nll?: Float64Array;
  /** Length in bits of the example as a PNG (pngjs, deflate level 9): L(x) of Serra et al. 2020. */
  readonly complexity_bits?: Float64Array;
  /** The background run's -log p(x) (IW with k = --iw, or its -ELBO with --iw 0). */
  readonly bg_nll?: Float64Array;
  /** Likelihood regret: the ELBO gained by optimising q(z|x) for this example alone, nats. */
  readonly regret?: Float64Array;
}

/** An optional part (the columns a method may add beside the always-present ones). */
export type ExtraPart = 'latent_nll' | 'complexity_bits' | 'bg_nll' | 'regret';

/** What a method is and how it is made of parts. */
export interface ScoreMethod {
  readonly help: string;
  /** Extra parts it needs (the ELBO parts and, with --iw > 0, nll_iw are always computed). */
  readonly needs: readonly ExtraPart[];
  /** Unit of the score. */
  readonly unit: 'nats' | 'bits';
  /** Example i's score. */
  readonly score: (p: ScoreParts, i: number) => number;
}

/** -log p(x): the IW estimate when computed, else -ELBO (its upper bound). */
const nll = (p: ScoreParts, i: number) => (p.nll_iw ? p.nll_iw[i]! : p.neg_elbo[i]!);

/** Every method, in the order help lists them. */
export const SCORE_METHODS = {
  nll: {
    help: '-log p(x), importance-sampled with k = --iw (the -ELBO with --iw 0): the plain likelihood score',
    needs: [],
    unit: 'nats',
    score: nll,
  },
  elbo: { help: '-ELBO (one z sample)', needs: [], unit: 'nats', score: (p, i) => p.neg_elbo[i]! },
  recon: {
    help: 'reconstruction term -E_q[log p(x|z)] alone',
    needs: [],
    unit: 'nats',
    score: (p, i) => p.recon[i]!,
  },
  kl: { help: 'KL(q(z|x) || p(z)) alone', needs: [], unit: 'nats', score: (p, i) => p.kl[i]! },
  latent: {
    help: 'latent density: -log p(E[z|x]) under the prior',
    needs: ['latent_nll'],
    unit: 'nats',
    score: (p, i) => p.latent_nll![i]!,
  },
  complexity: {
    help: 'input complexity (Serra et al. 2020): -log2 p(x) - L(x), L the PNG length of x in bits',
    needs: ['complexity_bits'],
    unit: 'bits',
    score: (p, i) => nll(p, i) / Math.LN2 - p.complexity_bits![i]!,
  },
  ratio: {
    help: 'likelihood ratio (Ren et al. 2019): -log p(x) + log p_bg(x), p_bg the --background run',
    needs: ['bg_nll'],
    unit: 'nats',
    score: (p, i) => nll(p, i) - p.bg_nll![i]!,
  },
  regret: {
    help: 'likelihood regret (Xiao et al. 2020): ELBO gained by fitting q(z|x) to the example alone',
    needs: ['regret'],
    unit: 'nats',
    score: (p, i) => p.regret![i]!,
  },
} as const satisfies Record<string, ScoreMethod>;

/** A method's name. */
export type ScoreMethodName = keyof typeof SCORE_METHODS;

/** The names, in help order. */
export const SCORE_METHOD_NAMES = Object.keys(SCORE_METHODS) as ScoreMethodName[];

/** Whether `s` names a method. */
export const isScoreMethod = (s: string): s is ScoreMethodName => Object.hasOwn(SCORE_METHODS, s);

/** The `--score` help: each method and what it is. */
export const SCORE_HELP = SCORE_METHOD_NAMES.map((m) => `${m}: ${SCORE_METHODS[m].help}`).join('; ');

/** One method's scores for every example. */
export function methodScores(method: ScoreMethodName, parts: ScoreParts, n: number): Float64Array {
  const m: ScoreMethod = SCORE_METHODS[method];
  return Float64Array.from({ length: n }, (_, i) => m.score(parts, i));
}
