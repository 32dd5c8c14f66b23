import type { Shape } from '../ir/shape';
import type { Tensor } from '../ir/tensor';
import type { NoiseSource } from '../random/noise';

/**
 * A probability distribution over tensors, built as graph code (torch.distributions / NumPyro
 * shape semantics). `batchShape` indexes independent distributions; `eventShape` is the shape of
 * one draw; `logProb(x)` has shape `sampleShape ++ batchShape`. Randomness comes from a
 * NoiseSource (noise as graph inputs), so sampling is reproducible from an explicit key.
 */
export interface Distribution {
  /** Registry key for KL pairs, e.g. 'normal'. */
  readonly kind: string;
  readonly batchShape: Shape;
  readonly eventShape: Shape;
  /** True when `rsample` is reparameterised (differentiable in the parameters). */
  readonly hasRsample: boolean;
  sample(noise: NoiseSource, sampleShape?: Shape): Tensor;
  rsample(noise: NoiseSource, sampleShape?: Shape): Tensor;
  /** Log density / mass with all normalising constants, in nats. */
  logProb(x: Tensor): Tensor;
  entropy(): Tensor;
  readonly mean: Tensor;
  /** Reinterprets the last `n` batch dims as event dims (returns an Independent). */
  toEvent(n: number): Distribution;
}
