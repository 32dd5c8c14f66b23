import { formatShape, type Shape } from '../ir/shape';
import type { Tensor } from '../ir/tensor';
import type { NoiseSource } from '../random/noise';
import { type Constraint, indexBelow } from './constraints';
import { DistributionError, NoClosedFormError } from './errors';
import { argmaxLast, gumbelFromUniform, oneHotMask, where } from './math';
import { LogitsDistribution } from './parametric';
import { type DistributionOptions, extendedShape, type Param } from './validate';

/**
 * Categorical over {0, ..., K-1} with unnormalised `logits` on the last axis (batch shape is
 * the rest, event shape []). Values are indices: `sample` returns int64, `logProb` accepts int64
 * or float32 indices. Sampling is Gumbel-max on uniform noise; not reparameterisable.
 */
export class Categorical extends LogitsDistribution {
  readonly kind = 'categorical';
  readonly hasRsample = false;
  /** Number of categories (the static size of the last axis). */
  readonly numCategories: number;
  /** The indices 0..K-1. */
  readonly support: Constraint;

  /** `logits` has the categories on its last axis, which is not part of the batch shape. */
  constructor(logits: Param, opts?: DistributionOptions) {
    super('categorical', logits, opts, { paramEventDims: 1 });
    const k = this.logits.shape[this.logits.rank - 1];
    if (typeof k !== 'number' || k < 1) {
      throw new DistributionError(
        'categorical',
        `logits need a static, non-empty last axis (the categories), got ${formatShape(this.logits.shape)}`,
      );
    }
    this.numCategories = k;
    this.support = indexBelow(k);
  }

  /** Normalised log-probabilities, logits - logsumexp(logits), shape `batchShape ++ [K]`. */
  get logProbs(): Tensor {
    return this.cached('logProbs', () => this.logits.logSoftmax(-1));
  }

  /** softmax(logits), shape `batchShape ++ [K]`. */
  get probs(): Tensor {
    return this.cached('probs', () => this.logits.softmax(-1));
  }

  /**
   * Gumbel-max: argmax(logits + Gumbel noise) over the last axis (first index on ties), as int64
   * indices of shape `sampleShape ++ batchShape`.
   */
  override sample(noise: NoiseSource, sampleShape: Shape = []): Tensor {
    const u = noise.uniform(extendedShape(sampleShape, this.batchShape, [this.numCategories]));
    return argmaxLast(this.logits.add(gumbelFromUniform(u))).cast('int64');
  }

  /** Picks log p[x] with a one-hot Where (no GatherElements in the IR; -inf logits stay out of sums). */
  logProb(x: Tensor): Tensor {
    this.checkSupport(x, this.support);
    return where(oneHotMask(x, this.numCategories), this.logProbs, 0).sum([-1]);
  }

  /** -sum p log p over the categories. */
  override entropy(): Tensor {
    return this.probs.mul(this.logProbs).sum([-1]).neg();
  }

  /** The most probable index (first on ties), int64. */
  override get mode(): Tensor {
    return this.cached('mode', () => argmaxLast(this.logits).cast('int64'));
  }
  /** Undefined for categories (torch returns NaN); throws. */
  override get mean(): Tensor {
    throw new NoClosedFormError(this.kind, 'mean (categories are unordered)');
  }
  override get variance(): Tensor {
    throw new NoClosedFormError(this.kind, 'variance (categories are unordered)');
  }
}

/** KL(p || q) = sum_k p_k (log p_k - log q_k) over the last axis. */
export function klCategoricalCategorical(p: Categorical, q: Categorical): Tensor {
  if (p.numCategories !== q.numCategories) {
    throw new DistributionError(
      'categorical',
      `KL needs the same number of categories, got ${p.numCategories} and ${q.numCategories}`,
    );
  }
  return p.probs.mul(p.logProbs.sub(q.logProbs)).sum([-1]);
}
