import type { Graph } from '../ir/graph';
import type { Dim, Shape } from '../ir/shape';
import type { Tensor } from '../ir/tensor';
import type { NoiseSource } from '../random/noise';
import { DistributionBase } from './base';
import type { Distribution } from './distribution';
import { Independent } from './independent';
import { logOfPositive, openUnit, where } from './math';
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
} from './validate';

const LOG2 = Math.log(2);

/**
 * Laplace (double exponential) with `loc` and `scale` b: density exp(-|x - loc| / b) / (2b).
 * Reparameterised through its inverse CDF on uniform noise.
 */
export class Laplace extends DistributionBase {
  readonly kind = 'laplace';
  readonly graph: Graph;
  readonly batchShape: Dim[];
  readonly eventShape: Dim[] = [];
  readonly hasRsample = true;
  readonly loc: Tensor;
  readonly scale: Tensor;

  constructor(loc: Param, scale: Param, opts?: DistributionOptions) {
    super(opts);
    const g = graphOf('laplace', [loc, scale]);
    const raw = { loc: toTensor('laplace', 'loc', g, loc), scale: toTensor('laplace', 'scale', g, scale) };
    checkValues('laplace', 'loc', raw.loc, real, 'real (not NaN)', this.validateArgs);
    checkValues('laplace', 'scale', raw.scale, positive, '> 0', this.validateArgs);
    const b = broadcastAll('laplace', raw);
    this.graph = g;
    this.batchShape = b.shape;
    this.loc = b.params.loc;
    this.scale = b.params.scale;
  }

  /** log(scale), exact when the scale was built as an Exp. */
  get logScale(): Tensor {
    return this.cached('logScale', () => logOfPositive(this.scale));
  }

  /** loc + b log(2u) for u < 1/2, loc - b log(2 - 2u) above: u in (0, 1) keeps both logs finite. */
  override rsample(noise: NoiseSource, sampleShape: Shape = []): Tensor {
    const u = openUnit(noise.uniform(extendedShape(sampleShape, this.batchShape)));
    const z = where(u.less(0.5), u.mul(2).log(), u.rsub(1).mul(2).log().neg());
    return this.loc.add(this.scale.mul(z));
  }

  logProb(x: Tensor): Tensor {
    this.checkSupport(x, real, 'real (not NaN)');
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
  toEvent(n: number): Distribution {
    return new Independent(this, n);
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
