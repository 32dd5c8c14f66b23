import type { Graph } from '../ir/graph';
import type { Shape } from '../ir/shape';
import type { Tensor } from '../ir/tensor';
import type { NoiseSource } from '../random/noise';
import type { Constraint } from './constraints';
import type { Distribution } from './distribution';
import { NoClosedFormError, NotReparameterizedError } from './errors';
import { checkValues, type DistributionOptions, validating } from './validate';

/**
 * Shared defaults: `sample` is `rsample` (there is no stop-gradient op, so callers that must not
 * differentiate through a draw simply do not ask for that gradient), `rsample` throws unless
 * overridden, and properties without a closed form throw {@link NoClosedFormError}.
 * Subclasses implement `toEvent` as `new Independent(this, n)` (kept out of here: no import cycle).
 */
export abstract class DistributionBase implements Distribution {
  abstract readonly kind: string;
  abstract readonly graph: Graph;
  abstract readonly batchShape: Shape;
  abstract readonly eventShape: Shape;
  abstract readonly hasRsample: boolean;
  /** Whether this instance checks constant arguments (resolved at construction). */
  readonly validateArgs: boolean;

  constructor(opts?: DistributionOptions) {
    this.validateArgs = validating(opts);
  }

  sample(noise: NoiseSource, sampleShape: Shape = []): Tensor {
    return this.rsample(noise, sampleShape);
  }

  rsample(_noise: NoiseSource, _sampleShape: Shape = []): Tensor {
    throw new NotReparameterizedError(this.kind);
  }

  abstract logProb(x: Tensor): Tensor;

  entropy(): Tensor {
    throw new NoClosedFormError(this.kind, 'entropy');
  }
  get mean(): Tensor {
    throw new NoClosedFormError(this.kind, 'mean');
  }
  get mode(): Tensor {
    throw new NoClosedFormError(this.kind, 'mode');
  }
  get variance(): Tensor {
    throw new NoClosedFormError(this.kind, 'variance');
  }
  get stddev(): Tensor {
    return this.variance.sqrt();
  }

  abstract toEvent(n: number): Distribution;

  /** Checks a constant `logProb` argument against the support (no-op for computed tensors). */
  protected checkSupport(x: Tensor, support: Constraint): void {
    checkValues(this.kind, 'value', x, support, this.validateArgs);
  }

  /** Caches a lazily built tensor so repeated property reads add no nodes. */
  private readonly cache = new Map<string, Tensor>();
  protected cached(name: string, build: () => Tensor): Tensor {
    let t = this.cache.get(name);
    if (!t) this.cache.set(name, (t = build()));
    return t;
  }
}
