import type { Graph } from '../ir/graph';
import type { Dim } from '../ir/shape';
import type { Tensor } from '../ir/tensor';
import { DistributionBase } from './base';
import { type Constraint, positive, real } from './constraints';
import type { Distribution } from './distribution';
import { Independent } from './independent';
import { logOfPositive } from './math';
import {
  broadcastAll,
  checkValues,
  type DistributionOptions,
  graphOf,
  type Param,
  toTensor,
} from './validate';

/** What a distribution declares about its parameters (NumPyro's `arg_constraints`), in constructor order. */
export type ArgConstraints<K extends string> = Readonly<Record<K, Constraint>>;

/** How the declared parameters shape the distribution. */
export interface ParamLayout {
  /**
   * Rightmost parameter dims that belong to one distribution rather than the batch (Categorical's
   * category axis, torch's `independent(real, 1)`); default 0.
   */
  readonly paramEventDims?: number;
}

/**
 * The one constructor of the parameterised distributions: numbers become scalar constants in the
 * graph of the tensor parameters, each parameter must be float32, constant values are checked
 * against the declared constraints (when `validateArgs`), and the parameters are broadcast to one
 * shape (torch's `broadcast_all`), which less `paramEventDims` is the batch shape. Event shape [].
 */
export abstract class ParametricDistribution<K extends string> extends DistributionBase {
  readonly graph: Graph;
  readonly batchShape: Dim[];
  readonly eventShape: Dim[] = [];
  /** The parameters, float32 and broadcast to one shape, by name. */
  protected readonly params: Readonly<Record<K, Tensor>>;

  constructor(
    kind: string,
    argConstraints: ArgConstraints<K>,
    values: Readonly<Record<K, Param>>,
    opts?: DistributionOptions,
    layout: ParamLayout = {},
  ) {
    super(opts);
    const names = Object.keys(argConstraints) as K[];
    const g = graphOf(
      kind,
      names.map((n) => values[n]),
    );
    const raw = {} as Record<K, Tensor>;
    for (const n of names) raw[n] = toTensor(kind, n, g, values[n]);
    for (const n of names) checkValues(kind, n, raw[n], argConstraints[n], this.validateArgs);
    const b = broadcastAll(kind, raw);
    this.graph = g;
    this.batchShape = b.shape.slice(0, b.shape.length - (layout.paramEventDims ?? 0));
    this.params = b.params;
  }

  toEvent(n: number): Distribution {
    return new Independent(this, n);
  }
}

/** A location-scale family: `loc` real and `scale` > 0 (Normal, Laplace, DiscretizedLogistic). */
export abstract class LocScaleDistribution extends ParametricDistribution<'loc' | 'scale'> {
  static readonly argConstraints = { loc: real, scale: positive };
  readonly loc: Tensor;
  /** The scale, broadcast to `batchShape` (Normal's standard deviation). */
  readonly scale: Tensor;

  constructor(kind: string, loc: Param, scale: Param, opts?: DistributionOptions) {
    super(kind, LocScaleDistribution.argConstraints, { loc, scale }, opts);
    ({ loc: this.loc, scale: this.scale } = this.params);
  }

  /** log(scale), exact when the scale was built as an Exp (see {@link logOfPositive}). */
  get logScale(): Tensor {
    return this.cached('logScale', () => logOfPositive(this.scale));
  }
}

/** A distribution given by real `logits` (Bernoulli, ContinuousBernoulli, Categorical). */
export abstract class LogitsDistribution extends ParametricDistribution<'logits'> {
  static readonly argConstraints = { logits: real };
  readonly logits: Tensor;

  constructor(kind: string, logits: Param, opts?: DistributionOptions, layout?: ParamLayout) {
    super(kind, LogitsDistribution.argConstraints, { logits }, opts, layout);
    this.logits = this.params.logits;
  }
}
