import { DistributionBase } from '../distributions/base';
import { Bernoulli } from '../distributions/bernoulli';
import { Categorical } from '../distributions/categorical';
import type { Distribution } from '../distributions/distribution';
import { Independent } from '../distributions/independent';
import { Normal } from '../distributions/normal';
import type { Graph } from '../ir/graph';
import type { Dim, Shape } from '../ir/shape';
import type { Tensor } from '../ir/tensor';
import type { NoiseSource } from '../random/noise';
import type { TabularColumn } from './spec';

/** Smallest Gaussian scale a tabular column may get (keeps the density bounded). */
const MIN_SCALE = 1e-3;

/** Width of one column in the encoded data (one-hot for categorical). */
export const columnWidth = (c: TabularColumn): number => (c.type === 'categorical' ? c.categories : 1);
/** Width of one column's likelihood parameters in the decoder output. */
export const columnParamWidth = (c: TabularColumn): number =>
  c.type === 'categorical' ? c.categories : c.type === 'continuous' ? 2 : 1;
export const tabularInputSize = (cols: readonly TabularColumn[]): number =>
  cols.reduce((s, c) => s + columnWidth(c), 0);
export const tabularOutputSize = (cols: readonly TabularColumn[]): number =>
  cols.reduce((s, c) => s + columnParamWidth(c), 0);

const lastAxisSlice = (t: Tensor, start: number, width: number) =>
  t.slice([start], [start + width], [t.rank - 1]);
const lastAxisSum = (t: Tensor) => t.sum([t.rank - 1]);
const concatLast = (ts: Tensor[]) => ts[0]!.graph.apply1('Concat', ts, { axis: -1 });

/**
 * p(x|z) for a tabular row: a product over columns of Normal (continuous, standardised units),
 * Bernoulli (binary) and Categorical (one-hot) terms. Cells whose `mask` is 0 (missing) drop out
 * of the log-likelihood, so the model trains on incomplete rows and can impute them.
 */
export class TabularLikelihood extends DistributionBase {
  readonly kind = 'tabular';
  readonly graph: Graph;
  readonly batchShape: Dim[];
  readonly eventShape: Dim[];
  readonly hasRsample = false;
  private readonly parts: Distribution[];

  constructor(
    readonly columns: readonly TabularColumn[],
    /** Decoder output [...batch, tabularOutputSize]. */
    readonly params: Tensor,
    /** Per-column observed mask [...batch, columns] (1 observed, 0 missing); all observed if absent. */
    readonly mask?: Tensor,
  ) {
    super();
    this.graph = params.graph;
    this.batchShape = params.shape.slice(0, -1);
    this.eventShape = [tabularInputSize(columns)];
    let o = 0;
    this.parts = columns.map((c) => {
      const p = lastAxisSlice(params, o, columnParamWidth(c));
      o += columnParamWidth(c);
      if (c.type === 'continuous') {
        return new Normal(lastAxisSlice(p, 0, 1), lastAxisSlice(p, 1, 1).softplus().add(MIN_SCALE)).toEvent(
          1,
        );
      }
      if (c.type === 'binary') return new Bernoulli(p).toEvent(1);
      return new Categorical(p);
    });
  }

  /** Per-column log-likelihoods [...batch, columns] (before masking). */
  columnLogProbs(x: Tensor): Tensor {
    let i = 0;
    const lps = this.columns.map((c, k) => {
      const xc = lastAxisSlice(x, i, columnWidth(c));
      i += columnWidth(c);
      const part = this.parts[k]!;
      // A categorical cell is one-hot: its log-mass is <onehot, log softmax(logits)>.
      const lp =
        part instanceof Categorical ? lastAxisSum(xc.mul(part.logits.logSoftmax())) : part.logProb(xc);
      return lp.unsqueeze([lp.rank]);
    });
    return concatLast(lps);
  }

  logProb(x: Tensor): Tensor {
    const per = this.columnLogProbs(x);
    return (this.mask ? per.mul(this.mask) : per).sum([per.rank - 1]);
  }

  /** Expected row in the encoded space: means, probabilities, category probabilities. */
  override get mean(): Tensor {
    return this.cached('mean', () =>
      concatLast(this.parts.map((p) => (p instanceof Categorical ? p.logits.softmax() : p.mean))),
    );
  }

  /** A draw per column (not reparameterised): Gaussian noise, a uniform threshold, Gumbel-max. */
  override sample(noise: NoiseSource, sampleShape: Shape = []): Tensor {
    return concatLast(
      this.parts.map((p) => {
        if (p instanceof Categorical) {
          const u = noise.uniform([...sampleShape, ...p.logits.shape]);
          const gumbel = u.add(1e-20).log().neg().add(1e-20).log().neg();
          const y = p.logits.add(gumbel);
          return y.equal(y.max([y.rank - 1], true)).cast('float32');
        }
        return p.sample(noise, sampleShape);
      }),
    );
  }

  override entropy(): Tensor {
    const hs = this.parts.map((p) => {
      const h = p.entropy();
      return h.unsqueeze([h.rank]);
    });
    return concatLast(hs).sum([this.batchShape.length]);
  }

  toEvent(n: number): Distribution {
    return new Independent(this, n);
  }
}
