import type { Graph } from '../ir/graph';
import { broadcastShapes, type Dim, formatShape, type Shape } from '../ir/shape';
import { Tensor } from '../ir/tensor';
import type { NoiseSource } from '../random/noise';
import { DistributionBase } from './base';
import { Categorical } from './categorical';
import type { Distribution } from './distribution';
import { DistributionError } from './errors';
import { Independent } from './independent';
import { argmaxLast, gumbelFromUniform, oneHotMask, where } from './math';
import { type DistributionOptions, extendedShape } from './validate';

/**
 * A mixture of K distributions of one family (torch's `MixtureSameFamily`): `mixture` weighs the
 * components, and the component distribution's last batch dim is the component axis. A
 * mixture-of-Gaussians prior over a D-dim latent is
 * `new MixtureSameFamily(logitsK, new Normal(locKD, scaleKD).toEvent(1))`.
 * `logProb` is a logsumexp over components. `sample` picks a component by Gumbel-max on uniform
 * noise (a one-hot from Equal(x, ReduceMax(x))) and is not reparameterisable: `rsample` throws.
 */
export class MixtureSameFamily extends DistributionBase {
  readonly kind = 'mixture_same_family';
  readonly graph: Graph;
  readonly batchShape: Dim[];
  readonly eventShape: Dim[];
  readonly hasRsample = false;
  readonly mixture: Categorical;
  readonly component: Distribution;
  readonly numComponents: number;

  /** `mixture` is a Categorical or its logits (shape `batchShape ++ [K]`). */
  constructor(mixture: Categorical | Tensor, component: Distribution, opts?: DistributionOptions) {
    super(opts);
    const kind = 'mixture_same_family';
    const mix = mixture instanceof Tensor ? new Categorical(mixture, opts) : mixture;
    const cb = component.batchShape;
    const k = cb[cb.length - 1];
    if (typeof k !== 'number') {
      throw new DistributionError(
        kind,
        `the component distribution needs a static last batch dim (the components), got batch shape ${formatShape(cb)}`,
      );
    }
    if (mix.numCategories !== k) {
      throw new DistributionError(
        kind,
        `mixture has ${mix.numCategories} categories but the component batch shape ${formatShape(cb)} has ${k} components`,
      );
    }
    const rest = cb.slice(0, -1);
    const bad = () =>
      new DistributionError(
        kind,
        `mixture batch shape ${formatShape(mix.batchShape)} does not broadcast into the component batch shape ${formatShape(rest)} (without the component axis)`,
      );
    if (mix.batchShape.length > rest.length) throw bad();
    try {
      this.batchShape = broadcastShapes(kind, mix.batchShape, rest);
    } catch {
      throw bad();
    }
    this.graph = component.graph;
    this.mixture = mix;
    this.component = component;
    this.numComponents = k;
    this.eventShape = [...component.eventShape];
  }

  /** Adds `n` trailing size-1 axes so a `[..., K]` tensor lines up with `[..., K, ...event]`. */
  private padEvent(t: Tensor): Tensor {
    const n = this.eventShape.length;
    return n === 0 ? t : t.unsqueeze(Array.from({ length: n }, (_, i) => t.rank + i));
  }

  /** The component axis of a `[..., K, ...event]` tensor. */
  private componentAxis(t: Tensor): number {
    return t.rank - 1 - this.eventShape.length;
  }

  logProb(x: Tensor): Tensor {
    const e = this.eventShape.length;
    if (x.rank < e) {
      throw new DistributionError(
        this.kind,
        `value ${formatShape(x.shape)} has fewer dims than the event shape`,
      );
    }
    const perComponent = this.component.logProb(x.unsqueeze([x.rank - e])); // [..., K]
    return perComponent.add(this.mixture.logProbs).logSumExp([-1]);
  }

  override sample(noise: NoiseSource, sampleShape: Shape = []): Tensor {
    const k = this.numComponents;
    // Gumbel noise over the full batch shape, so a mixture with a smaller batch than the components
    // still picks a component per element.
    const u = noise.uniform(extendedShape(sampleShape, this.batchShape, [k]));
    const idx = argmaxLast(this.mixture.logits.add(gumbelFromUniform(u)));
    const draws = this.component.sample(noise, sampleShape); // [..., K, ...event]
    const picked = where(this.padEvent(oneHotMask(idx, k)), draws, 0);
    return picked.sum([this.componentAxis(picked)]);
  }

  /** sum_k pi_k mean_k. */
  override get mean(): Tensor {
    return this.cached('mean', () => {
      const w = this.padEvent(this.mixture.probs).mul(this.component.mean);
      return w.sum([this.componentAxis(w)]);
    });
  }

  /** Law of total variance: sum_k pi_k (var_k + (mean_k - mean)^2). */
  override get variance(): Tensor {
    return this.cached('variance', () => {
      const cm = this.component.mean;
      const dev = cm.sub(this.mean.unsqueeze([this.componentAxis(cm)])).square();
      const w = this.padEvent(this.mixture.probs).mul(this.component.variance.add(dev));
      return w.sum([this.componentAxis(w)]);
    });
  }

  toEvent(n: number): Distribution {
    return new Independent(this, n);
  }
}
