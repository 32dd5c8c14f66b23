import type { Shape } from '../ir/shape';
import type { Tensor } from '../ir/tensor';
import type { NoiseSource } from '../random/noise';
import { real } from './constraints';
import { LocScaleDistribution } from './parametric';
import { type DistributionOptions, extendedShape, type Param, paramTensor } from './validate';

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * Normal (Gaussian) with element-wise `loc` and `scale` (standard deviation): a diagonal Gaussian
 * over the batch dims; `toEvent(1)` makes it a multivariate diagonal Gaussian over a vector.
 * Reparameterised: `rsample` is `loc + scale * eps` with `eps` a standard-normal noise input.
 */
export class Normal extends LocScaleDistribution {
  readonly kind = 'normal';
  readonly hasRsample = true;

  /** `scale` is the standard deviation. */
  constructor(loc: Param, scale: Param, opts?: DistributionOptions) {
    super('normal', loc, scale, opts);
  }

  /** Normal from a mean and a log-variance (the usual VAE encoder head): scale = exp(logVar / 2). */
  static fromLogVar(loc: Param, logVar: Param, opts?: DistributionOptions): Normal {
    const lv = paramTensor('normal', 'logVar', logVar, [loc, logVar], real, opts);
    return new Normal(loc, lv.mul(0.5).exp(), opts);
  }

  /** The noise of each of this distribution's own reparameterised draws, by draw. */
  private readonly draws = new Map<Tensor, Tensor>();

  override rsample(noise: NoiseSource, sampleShape: Shape = []): Tensor {
    const eps = noise.normal(extendedShape(sampleShape, this.batchShape));
    const x = this.loc.add(this.scale.mul(eps));
    this.draws.set(x, eps);
    return x;
  }

  /**
   * log N(x; loc, scale). For one of this distribution's own `rsample` draws, (x - loc) / scale is
   * its `eps` exactly, so `eps` is used: a scale that underflows to 0 in float32 (exp(logVar / 2)
   * for logVar < -207) would otherwise give 0 / 0 = NaN, while -eps^2/2 - logScale stays exact
   * (`logScale` is kept in log space: {@link LocScaleDistribution.logScale}). Same value and gradient as the
   * quotient wherever that is defined.
   */
  logProb(x: Tensor): Tensor {
    this.checkSupport(x, real);
    const z = this.draws.get(x) ?? x.sub(this.loc).div(this.scale);
    return z.square().mul(-0.5).sub(this.logScale).sub(HALF_LOG_2PI);
  }

  override entropy(): Tensor {
    return this.logScale.add(0.5 + HALF_LOG_2PI);
  }
  override get mean(): Tensor {
    return this.loc;
  }
  override get mode(): Tensor {
    return this.loc;
  }
  override get variance(): Tensor {
    return this.cached('variance', () => this.scale.square());
  }
  override get stddev(): Tensor {
    return this.scale;
  }
}

/**
 * KL(p || q) of two Normals: log(sq/sp) + (sp^2 + (mp - mq)^2) / (2 sq^2) - 1/2, written as
 * 0.5 (r + t - 1) - log sqrt(r) with r = (sp/sq)^2 and t = ((mp - mq)/sq)^2, as torch does.
 */
export function klNormalNormal(p: Normal, q: Normal): Tensor {
  const logRatio = p.logScale.sub(q.logScale);
  const varRatio = p.scale.div(q.scale).square();
  const t = p.loc.sub(q.loc).div(q.scale).square();
  return varRatio.add(t).sub(1).mul(0.5).sub(logRatio);
}
