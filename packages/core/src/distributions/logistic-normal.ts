/**
 * LogisticNormal: a Normal pushed onto the simplex. It is this package's distribution for
 * proportions and [0, 1]-valued data in place of Beta (and Dirichlet): Beta's log normaliser
 * log B(a, b) needs lgamma, and ONNX (hence the IR, the exported graphs and the browser runtime)
 * has no lgamma, digamma or erf. The logistic normal's density needs only log, exp and softplus.
 * @packageDocumentation
 */
import type { Graph } from '../ir/graph';
import { type Dim, formatShape, type Shape } from '../ir/shape';
import type { Tensor } from '../ir/tensor';
import type { NoiseSource } from '../random/noise';
import { DistributionBase } from './base';
import type { Distribution } from './distribution';
import { DistributionError } from './errors';
import { Independent } from './independent';
import { logSigmoid } from './math';
import { Normal } from './normal';
import { constantValues, type DistributionOptions, graphOf, type Param, toTensor } from './validate';

/** A [rows, cols] 0/1 matrix with ones where `on(row, col)`. */
function mask(g: Graph, rows: number, cols: number, on: (r: number, c: number) => boolean): Tensor {
  const data = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) data[r * cols + c] = on(r, c) ? 1 : 0;
  return g.constant({ dtype: 'float32', shape: [rows, cols], data });
}

/**
 * torch's LogisticNormal: `y ~ Normal(loc, scale)` over R^D (last axis) mapped onto the open
 * simplex in R^(D+1) by the stick-breaking transform (torch's `StickBreakingTransform`):
 * z_i = sigmoid(y_i - log(D - i)), x_i = z_i prod_{j<i}(1 - z_j), x_D = prod_j (1 - z_j).
 * Event shape [D + 1]; for D = 1 it is the logit-normal on [0, 1] written as (x, 1 - x).
 * Cumulative sums are products with constant triangular matrices (the IR has no CumSum).
 * Reparameterised; mean, mode, variance and entropy have no closed form (they throw).
 */
export class LogisticNormal extends DistributionBase {
  readonly kind = 'logistic_normal';
  readonly graph: Graph;
  readonly batchShape: Dim[];
  readonly eventShape: Dim[];
  readonly hasRsample = true;
  /** The Normal over the unconstrained R^D coordinates (batch shape `batchShape ++ [D]`). */
  readonly base: Normal;
  private readonly d: number;

  constructor(loc: Param, scale: Param, opts?: DistributionOptions) {
    super(opts);
    const g = graphOf('logistic_normal', [loc, scale]);
    let base = new Normal(
      toTensor('logistic_normal', 'loc', g, loc),
      toTensor('logistic_normal', 'scale', g, scale),
      {
        validateArgs: this.validateArgs,
      },
    );
    // torch expands a scalar base to [1]: one stick, the logit-normal on [0, 1].
    if (base.batchShape.length === 0)
      base = new Normal(base.loc.unsqueeze([0]), base.scale.unsqueeze([0]), {
        validateArgs: this.validateArgs,
      });
    const d = base.batchShape[base.batchShape.length - 1];
    if (typeof d !== 'number' || d < 1) {
      throw new DistributionError(
        'logistic_normal',
        `the last axis of loc/scale must be static and non-empty, got ${formatShape(base.batchShape)}`,
      );
    }
    this.graph = g;
    this.base = base;
    this.d = d;
    this.batchShape = base.batchShape.slice(0, -1);
    this.eventShape = [d + 1];
  }

  private get logOffset(): Tensor {
    const d = this.d;
    return this.cached('logOffset', () =>
      this.graph.constant({
        dtype: 'float32',
        shape: [d],
        data: Float32Array.from({ length: d }, (_, i) => Math.log(d - i)),
      }),
    );
  }

  /** The stick-breaking map R^D -> simplex in R^(D+1), computed in log space. */
  stickBreaking(y: Tensor): Tensor {
    const d = this.d;
    const t = y.sub(this.logOffset);
    const log1mz = logSigmoid(t.neg()); // log(1 - z)
    const before = log1mz.matmul(mask(this.graph, d, d, (r, c) => r < c)); // sum_{j<i} log(1 - z_j)
    const head = logSigmoid(t).add(before);
    const tail = log1mz.sum([-1], true);
    return this.graph.apply1('Concat', [head, tail], { axis: -1 }).exp();
  }

  override rsample(noise: NoiseSource, sampleShape: Shape = []): Tensor {
    return this.stickBreaking(this.base.rsample(noise, sampleShape));
  }

  /**
   * Normal log-density of the inverse image y minus the forward log|det J|:
   * y_i = log x_i - log s_i + log(D - i) with s_i = sum_{j>i} x_j, and
   * log|det J| = sum_i (log x_i - log S_i + log s_i) with S_i = sum_{j>=i} x_j. The tail sums are
   * products with triangular masks, so no 1 - cumsum(x) cancellation near a vertex.
   */
  logProb(x: Tensor): Tensor {
    const [d, k] = [this.d, this.d + 1];
    if (x.shape[x.rank - 1] !== k)
      throw new DistributionError(this.kind, `value needs a last axis of ${k}, got ${formatShape(x.shape)}`);
    this.checkSimplex(x);
    const logX = x.slice([0], [d], [x.rank - 1]).log();
    const logAfter = x.matmul(mask(this.graph, k, d, (r, c) => r > c)).log();
    const logFrom = x.matmul(mask(this.graph, k, d, (r, c) => r >= c)).log();
    const y = logX.sub(logAfter).add(this.logOffset);
    const logDet = logX.sub(logFrom).add(logAfter).sum([-1]);
    return this.base.logProb(y).sum([-1]).sub(logDet);
  }

  private checkSimplex(x: Tensor): void {
    const vs = this.validateArgs ? constantValues(x) : undefined;
    if (!vs) return;
    const k = this.d + 1;
    for (let i = 0; i < vs.length; i += k) {
      let s = 0;
      for (let j = i; j < i + k; j++) s += vs[j]!;
      const inside = Array.from({ length: k }, (_, j) => vs[i + j]!).every((v) => v > 0 && v <= 1);
      if (!inside || Math.abs(s - 1) > 1e-5)
        throw new DistributionError(
          this.kind,
          `value must lie in the open simplex (rows of ${k} summing to 1), row ${i / k} does not`,
        );
    }
  }

  toEvent(n: number): Distribution {
    return new Independent(this, n);
  }
}
