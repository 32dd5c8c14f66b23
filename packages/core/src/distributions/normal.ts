import type { Graph } from '../ir/graph';
import type { Dim, Shape } from '../ir/shape';
import type { Tensor } from '../ir/tensor';
import type { NoiseSource } from '../random/noise';
import { DistributionBase } from './base';
import type { Distribution } from './distribution';
import { Independent } from './independent';
import { logOfPositive } from './math';
import {
  broadcastAll,
  checkValues,
  type DistributionOptions,
  extendedShape,
  graphOf,
  type Param,
  positive,
  real,
  toTensor,
  validating,
} from './validate';

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * Normal (Gaussian) with element-wise `loc` and `scale` (standard deviation): a diagonal Gaussian
 * over the batch dims; `toEvent(1)` makes it a multivariate diagonal Gaussian over a vector.
 * Reparameterised: `rsample` is `loc + scale * eps` with `eps` a standard-normal noise input.
 */
export class Normal extends DistributionBase {
  readonly kind = 'normal';
  readonly graph: Graph;
  readonly batchShape: Dim[];
  readonly eventShape: Dim[] = [];
  readonly hasRsample = true;
  readonly loc: Tensor;
  /** Standard deviation, broadcast to `batchShape`. */
  readonly scale: Tensor;

  constructor(loc: Param, scale: Param, opts?: DistributionOptions) {
    super(opts);
    const g = graphOf('normal', [loc, scale]);
    const raw = { loc: toTensor('normal', 'loc', g, loc), scale: toTensor('normal', 'scale', g, scale) };
    checkValues('normal', 'loc', raw.loc, real, 'real (not NaN)', this.validateArgs);
    checkValues('normal', 'scale', raw.scale, positive, '> 0', this.validateArgs);
    const b = broadcastAll('normal', raw);
    this.graph = g;
    this.batchShape = b.shape;
    this.loc = b.params.loc;
    this.scale = b.params.scale;
  }

  /** Normal from a mean and a log-variance (the usual VAE encoder head): scale = exp(logVar / 2). */
  static fromLogVar(loc: Param, logVar: Param, opts?: DistributionOptions): Normal {
    const g = graphOf('normal', [loc, logVar]);
    const lv = toTensor('normal', 'logVar', g, logVar);
    checkValues('normal', 'logVar', lv, real, 'real (not NaN)', validating(opts));
    return new Normal(loc, lv.mul(0.5).exp(), opts);
  }

  /** log(scale), exact when the scale was built as an Exp (see {@link logOfPositive}). */
  get logScale(): Tensor {
    return this.cached('logScale', () => logOfPositive(this.scale));
  }

  override rsample(noise: NoiseSource, sampleShape: Shape = []): Tensor {
    const eps = noise.normal(extendedShape(sampleShape, this.batchShape));
    return this.loc.add(this.scale.mul(eps));
  }

  logProb(x: Tensor): Tensor {
    this.checkSupport(x, real, 'real (not NaN)');
    const z = x.sub(this.loc).div(this.scale);
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
  toEvent(n: number): Distribution {
    return new Independent(this, n);
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
