import type { Shape } from '../ir/shape';
import type { Tensor } from '../ir/tensor';
import type { NoiseSource } from '../random/noise';
import { constraint, unitInterval } from './constraints';
import { sumRightmost } from './independent';
import { softplus } from './math';
import { LogitsDistribution } from './parametric';
import { type DistributionOptions, extendedShape, type Param, paramTensor } from './validate';

/** float32 machine epsilon: torch's clamp for probabilities turned into logits. */
const EPS = 2 ** -23;

/**
 * Bernoulli over {0, 1}, parameterised by logits (log-odds), the form a decoder outputs.
 * `logProb(x) = x l - softplus(l)`: exact in both tails (|l| = 80 gives 0 and -80, never
 * log(0)); fractional x in [0, 1] gives the cross-entropy, as torch's BCE-with-logits does.
 * Not reparameterisable: `rsample` throws, `sample` thresholds uniform noise.
 */
export class Bernoulli extends LogitsDistribution {
  /** Targets: 0 or 1, or a fraction for the cross-entropy. */
  static readonly support = constraint(
    unitInterval.check,
    'in [0, 1] (0 or 1 for a mass; fractions give the cross-entropy)',
  );
  readonly kind = 'bernoulli';
  readonly hasRsample = false;

  constructor(logits: Param, opts?: DistributionOptions) {
    super('bernoulli', logits, opts);
  }

  /** From probabilities, clamped to [eps, 1 - eps] before taking log-odds (as torch does). */
  static fromProbs(probs: Param, opts?: DistributionOptions): Bernoulli {
    const p = paramTensor('bernoulli', 'probs', probs, [probs], unitInterval, opts);
    const c = p.clip(EPS, 1 - EPS);
    return new Bernoulli(c.log().sub(c.rsub(1).log()), opts);
  }

  /** sigmoid(logits). */
  get probs(): Tensor {
    return this.cached('probs', () => this.logits.sigmoid());
  }

  /** 1 where uniform noise falls below the probability, else 0 (float32). */
  override sample(noise: NoiseSource, sampleShape: Shape = []): Tensor {
    const u = noise.uniform(extendedShape(sampleShape, this.batchShape));
    return u.less(this.probs).cast('float32');
  }

  logProb(x: Tensor): Tensor {
    this.checkSupport(x, Bernoulli.support);
    return x.mul(this.logits).sub(softplus(this.logits));
  }

  /**
   * `sum(x l) - sum(softplus(l))` over the last `n` dims: the same total as summing `logProb`, with
   * the softplus summed on its own so that ONNX lowering fuses it (one Log per chunk of 112
   * elements instead of one per pixel; see onnx/passes/softplus-sum.ts).
   */
  logProbSum(x: Tensor, n: number): Tensor {
    this.checkSupport(x, Bernoulli.support);
    return sumRightmost(x.mul(this.logits), n).sub(sumRightmost(softplus(this.logits), n));
  }

  /** softplus(-|l|) + |l| sigmoid(-|l|): symmetric in l, so no cancellation for large |l|. */
  override entropy(): Tensor {
    const a = this.logits.abs();
    return softplus(a.neg()).add(a.mul(a.neg().sigmoid()));
  }
  override get mean(): Tensor {
    return this.probs;
  }
  /** 1 where logits > 0, else 0 (torch gives NaN at exactly p = 1/2; this gives 0). */
  override get mode(): Tensor {
    return this.logits.greater(0).cast('float32');
  }
  /** p (1 - p) = sigmoid(l) sigmoid(-l), with no 1 - p cancellation. */
  override get variance(): Tensor {
    return this.cached('variance', () => this.probs.mul(this.logits.neg().sigmoid()));
  }
}

/**
 * KL(p || q) of two Bernoullis from logits:
 * p (log p - log q) + (1 - p)(log(1 - p) - log(1 - q)), each log-probability a softplus,
 * each weight a sigmoid, so extreme logits neither overflow nor cancel.
 */
export function klBernoulliBernoulli(p: Bernoulli, q: Bernoulli): Tensor {
  const [lp, lq] = [p.logits, q.logits];
  const pos = softplus(lq.neg()).sub(softplus(lp.neg())); // log p - log q
  const neg = softplus(lq).sub(softplus(lp)); // log(1-p) - log(1-q)
  return p.probs.mul(pos).add(lp.neg().sigmoid().mul(neg));
}
