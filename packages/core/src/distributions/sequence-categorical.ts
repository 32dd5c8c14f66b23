import type { Graph } from '../ir/graph';
import { type Dim, formatShape, type Shape } from '../ir/shape';
import type { Tensor } from '../ir/tensor';
import type { NoiseSource } from '../random/noise';
import { DistributionBase } from './base';
import { Categorical } from './categorical';
import type { Distribution } from './distribution';
import { DistributionError, NoClosedFormError } from './errors';
import { Independent } from './independent';
import { where } from './math';
import type { DistributionOptions } from './validate';

/**
 * A sequence of independent categorical steps with a length mask, as a text decoder's likelihood:
 * `logits [..., L, V]` (batch `[...]`, event `[L]`), `mask [..., L]` (1 = a real step, 0 =
 * padding). `logProb(x)` sums log p(x_t) over the real steps only, so padding never counts, even
 * where its target id is out of range. Without a mask every step is real.
 */
export class SequenceCategorical extends DistributionBase {
  readonly kind = 'sequenceCategorical';
  readonly hasRsample = false;
  readonly graph: Graph;
  readonly batchShape: Dim[];
  readonly eventShape: Dim[];
  /** The per-step distribution: batch `[..., L]`. */
  readonly steps: Categorical;
  readonly mask: Tensor | null;

  constructor(logits: Tensor, mask?: Tensor | null, opts?: DistributionOptions) {
    super(opts);
    if (logits.rank < 3) {
      throw new DistributionError(
        this.kind,
        `logits must be [batch, L, V], got ${formatShape(logits.shape)}`,
      );
    }
    this.steps = new Categorical(logits, opts);
    const perStep = this.steps.batchShape;
    if (mask && (mask.dtype !== 'float32' || formatShape(mask.shape) !== formatShape(perStep))) {
      throw new DistributionError(
        this.kind,
        `mask must be float32 ${formatShape(perStep)}, got ${mask.dtype}${formatShape(mask.shape)}`,
      );
    }
    this.mask = mask ?? null;
    this.graph = logits.graph;
    this.batchShape = perStep.slice(0, -1);
    this.eventShape = perStep.slice(-1);
  }

  /** Sums a per-step tensor `[..., L]` over the real steps. */
  private sumSteps(perStep: Tensor): Tensor {
    const kept = this.mask ? where(this.mask.greater(0), perStep, 0) : perStep;
    return kept.sum([-1]);
  }

  /** sum over real steps t of log softmax(logits_t)[x_t]; `x` holds ids `[..., L]` (int64 or float32). */
  logProb(x: Tensor): Tensor {
    return this.sumSteps(this.steps.logProb(x));
  }

  /** Sum of the per-step entropies over the real steps. */
  override entropy(): Tensor {
    return this.sumSteps(this.steps.entropy());
  }

  /** Ids `sampleShape ++ batchShape ++ [L]` (int64) drawn step by step; padded steps are drawn too. */
  override sample(noise: NoiseSource, sampleShape: Shape = []): Tensor {
    return this.steps.sample(noise, sampleShape);
  }

  /** The most probable id at every step, int64 `[..., L]`. */
  override get mode(): Tensor {
    return this.steps.mode;
  }
  override get mean(): Tensor {
    throw new NoClosedFormError(this.kind, 'mean (categories are unordered)');
  }
  override get variance(): Tensor {
    throw new NoClosedFormError(this.kind, 'variance (categories are unordered)');
  }

  toEvent(n: number): Distribution {
    return new Independent(this, n);
  }
}
