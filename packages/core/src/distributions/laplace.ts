import type { Shape } from '../ir/shape';
import type { Tensor } from '../ir/tensor';
import type { NoiseSource } from '../random/noise';
import { real } from './constraints';
import { openUnit, where } from './math';
import { LocScaleDistribution } from './parametric';
import { type DistributionOptions, extendedShape, type Param } from './validate';

const LOG2 = Math.log(2);

/**
 * Laplace (double exponential) with `loc` and `scale` b: density exp(-|x - loc| / b) / (2b).
 * Reparameterised through its inverse CDF on uniform noise.
 */
export class Laplace extends LocScaleDistribution {
  readonly kind = 'laplace';
  readonly hasRsample = true;

  /** `scale` is b. */
  constructor(loc: Param, scale: Param, opts?: DistributionOptions) {
    super('laplace', loc, scale, opts);
  }

  /** loc + b log(2u) for u < 1/2, loc - b log(2 - 2u) above: u in (0, 1) keeps both logs finite. */
  override rsample(noise: NoiseSource, sampleShape: Shape = []): Tensor {
    const u = openUnit(noise.uniform(extendedShape(sampleShape, this.batchShape)));
    const z = where(u.less(0.5), u.mul(2).log(), u.rsub(1).mul(2).log().neg());
    return this.loc.add(this.scale.mul(z));
  }

  logProb(x: Tensor): Tensor {
    this.checkSupport(x, real);
    return x.sub(this.loc).abs().div(this.scale).neg().sub(this.logScale).sub(LOG2);
  }

  override entropy(): Tensor {
    return this.logScale.add(1 + LOG2);
  }
  override get mean(): Tensor {
    return this.loc;
  }
  override get mode(): Tensor {
    return this.loc;
  }
  override get variance(): Tensor {
    return this.cached('variance', () => this.scale.square().mul(2));
  }
  override get stddev(): Tensor {
    return this.cached('stddev', () => this.scale.mul(Math.SQRT2));
  }
}

/**
 * KL(p || q) = log(b_q / b_p) + |m_p - m_q| / b_q + (b_p / b_q) exp(-|m_p - m_q| / b_p) - 1.
 */
export function klLaplaceLaplace(p: Laplace, q: Laplace): Tensor {
  const d = p.loc.sub(q.loc).abs();
  const ratio = p.scale.div(q.scale);
  return q.logScale
    .sub(p.logScale)
    .add(d.div(q.scale))
    .add(ratio.mul(d.div(p.scale).neg().exp()))
    .sub(1);
}
