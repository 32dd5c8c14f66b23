import type { Graph } from '../ir/graph';
import type { Dim, Shape } from '../ir/shape';
import type { Tensor } from '../ir/tensor';
import type { NoiseSource } from '../random/noise';
import { DistributionBase } from './base';
import type { Distribution } from './distribution';
import { DistributionError } from './errors';

/** Sums the last `n` axes of `t` (identity for n = 0: an empty axes list would reduce everything). */
export function sumRightmost(t: Tensor, n: number): Tensor {
  if (n === 0) return t;
  return t.sum(Array.from({ length: n }, (_, i) => t.rank - n + i));
}

/**
 * Reinterprets the last `n` batch dims of `base` as event dims (torch's `Independent`, NumPyro's
 * `to_event`): `logProb` and `entropy` sum over them. Build one with `d.toEvent(n)`; a diagonal
 * Gaussian posterior over a latent vector is `new Normal(mu, sigma).toEvent(1)`.
 */
export class Independent extends DistributionBase {
  readonly kind = 'independent';
  readonly graph: Graph;
  readonly batchShape: Dim[];
  readonly eventShape: Dim[];
  readonly hasRsample: boolean;

  constructor(
    readonly base: Distribution,
    /** How many rightmost batch dims became event dims. */
    readonly reinterpreted: number,
  ) {
    super({ validateArgs: (base as { validateArgs?: boolean }).validateArgs });
    const r = base.batchShape.length;
    if (!Number.isInteger(reinterpreted) || reinterpreted < 0 || reinterpreted > r) {
      throw new DistributionError(
        'independent',
        `cannot reinterpret ${reinterpreted} dims of ${base.kind} with batch rank ${r}`,
      );
    }
    this.graph = base.graph;
    this.batchShape = base.batchShape.slice(0, r - reinterpreted);
    this.eventShape = [...base.batchShape.slice(r - reinterpreted), ...base.eventShape];
    this.hasRsample = base.hasRsample;
  }

  override sample(noise: NoiseSource, sampleShape: Shape = []): Tensor {
    return this.base.sample(noise, sampleShape);
  }
  override rsample(noise: NoiseSource, sampleShape: Shape = []): Tensor {
    return this.base.rsample(noise, sampleShape);
  }
  logProb(x: Tensor): Tensor {
    const n = this.reinterpreted;
    return this.base.logProbSum && n > 0 ? this.base.logProbSum(x, n) : sumRightmost(this.base.logProb(x), n);
  }
  override entropy(): Tensor {
    return sumRightmost(this.base.entropy(), this.reinterpreted);
  }
  override get mean(): Tensor {
    return this.base.mean;
  }
  override get mode(): Tensor {
    return this.base.mode;
  }
  override get variance(): Tensor {
    return this.base.variance;
  }
  override get stddev(): Tensor {
    return this.base.stddev;
  }
  toEvent(n: number): Distribution {
    if (!Number.isInteger(n) || n < 0)
      throw new DistributionError(this.kind, `toEvent(${n}): n must be >= 0`);
    return new Independent(this.base, this.reinterpreted + n);
  }
}
