import type { Shape } from '../ir/shape';
import type { Tensor } from '../ir/tensor';
import type { NoiseSource } from '../random/noise';
import { unitInterval } from './constraints';
import { DistributionError } from './errors';
import { argmaxLast, expArgument, log1mExp, logisticFromUniform, logSigmoid, where } from './math';
import { LocScaleDistribution } from './parametric';
import { type DistributionOptions, extendedShape, type Param, paramTensor } from './validate';

/** Options of {@link DiscretizedLogistic}. */
export interface DiscretizedLogisticOptions extends DistributionOptions {
  /** Number of equally spaced values in [0, 1] (256 for 8-bit pixels: 0, 1/255, ..., 1). */
  readonly bins?: number;
}

/**
 * A logistic(loc, scale) discretised onto `bins` equally spaced values in [0, 1] (8-bit pixels
 * scaled to [0, 1] by /255), the PixelCNN++ / IAF likelihood. Bin x_k = k/(bins-1) gets the
 * logistic mass of [x_k - h, x_k + h], h = 1/(2(bins-1)); the edge bins take the tails, so the
 * masses sum to 1. Not reparameterisable (`sample` rounds a logistic draw). Mean, variance,
 * mode and entropy are exact finite sums over the bins.
 */
export class DiscretizedLogistic extends LocScaleDistribution {
  readonly kind = 'discretized_logistic';
  readonly hasRsample = false;
  readonly bins: number;

  constructor(loc: Param, scale: Param, opts?: DiscretizedLogisticOptions) {
    const bins = opts?.bins ?? 256;
    if (!Number.isInteger(bins) || bins < 2)
      throw new DistributionError('discretized_logistic', `bins must be an integer >= 2, got ${bins}`);
    super('discretized_logistic', loc, scale, opts);
    this.bins = bins;
  }

  /** From loc and log-scale (the usual network head): scale = exp(logScale), kept exact in log space. */
  static fromLogScale(loc: Param, logScale: Param, opts?: DiscretizedLogisticOptions): DiscretizedLogistic {
    const s = paramTensor('discretized_logistic', 'logScale', logScale, [loc, logScale], undefined, opts);
    return new DiscretizedLogistic(loc, s.exp(), opts);
  }

  /** Half a bin width. */
  private get half(): number {
    return 0.5 / (this.bins - 1);
  }

  /** 1 / scale, as exp(-log scale) when the scale was built as an Exp. */
  private get invScale(): Tensor {
    return this.cached('invScale', () => expArgument(this.scale)?.neg().exp() ?? this.scale.reciprocal());
  }

  /**
   * log P(bin of x). Interior: log(sigmoid(a) - sigmoid(b)) with a, b the standardised bin edges,
   * computed as log sigmoid(a) + log sigmoid(-b) + log(1 - exp(-(a - b))), an identity with no
   * subtraction of probabilities; a - b = 2h/scale is exact, and for a bin narrow against the scale
   * log1mExp's series is the mid-bin density (log pdf(mid) + log width) plus its O(width^2) correction.
   */
  private logMass(x: Tensor, loc: Tensor, invScale: Tensor): Tensor {
    const h = this.half;
    const c = x.sub(loc);
    const plus = c.add(h).mul(invScale);
    const minus = c.sub(h).mul(invScale);
    const logCdfPlus = logSigmoid(plus); // log F(x + h): the left edge bin
    const logSfMinus = logSigmoid(minus.neg()); // log(1 - F(x - h)): the right edge bin
    const inner = logCdfPlus.add(logSfMinus).add(log1mExp(invScale.mul(2 * h)));
    return where(x.less(h), logCdfPlus, where(x.greater(1 - h), logSfMinus, inner));
  }

  logProb(x: Tensor): Tensor {
    this.checkSupport(x, unitInterval);
    return this.logMass(x, this.loc, this.invScale);
  }

  /** `[bins]` constant of the bin values k / (bins - 1). */
  private get grid(): Tensor {
    const n = this.bins;
    return this.cached('grid', () =>
      this.graph.constant({
        dtype: 'float32',
        shape: [n],
        data: Float32Array.from({ length: n }, (_, k) => k / (n - 1)),
      }),
    );
  }

  /** log P(x_k) for every bin, shape `batchShape ++ [bins]`. */
  private get gridLogProbs(): Tensor {
    return this.cached('gridLogProbs', () =>
      this.logMass(this.grid, this.loc.unsqueeze([-1]), this.invScale.unsqueeze([-1])),
    );
  }

  override sample(noise: NoiseSource, sampleShape: Shape = []): Tensor {
    const u = noise.uniform(extendedShape(sampleShape, this.batchShape));
    const y = this.loc.add(this.scale.mul(logisticFromUniform(u)));
    const m = this.bins - 1;
    return y.mul(m).add(0.5).floor().clip(0, m).div(m);
  }

  /** E[x] = sum_{k>=1} P(x >= x_k) / (bins - 1): a sum of sigmoids, no cancellation. */
  override get mean(): Tensor {
    return this.cached('mean', () => {
      const n = this.bins;
      const h = this.half;
      const edges = this.graph.constant({
        dtype: 'float32',
        shape: [n - 1],
        data: Float32Array.from({ length: n - 1 }, (_, k) => (k + 1) / (n - 1) - h),
      });
      const z = this.loc
        .unsqueeze([-1])
        .sub(edges)
        .mul(this.invScale.unsqueeze([-1]));
      return z
        .sigmoid()
        .sum([-1])
        .div(n - 1);
    });
  }

  /** sum_k P(x_k) (x_k - mean)^2. */
  override get variance(): Tensor {
    return this.cached('variance', () => {
      const dev = this.grid.sub(this.mean.unsqueeze([-1])).square();
      return this.gridLogProbs.exp().mul(dev).sum([-1]);
    });
  }

  /** The most probable bin value (first on ties). */
  override get mode(): Tensor {
    return this.cached('mode', () => argmaxLast(this.gridLogProbs).div(this.bins - 1));
  }

  /** -sum_k P(x_k) log P(x_k) over the bins. */
  override entropy(): Tensor {
    const lp = this.gridLogProbs;
    return lp.exp().mul(lp).sum([-1]).neg();
  }
}
