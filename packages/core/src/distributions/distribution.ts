import type { Graph } from '../ir/graph';
import type { Shape } from '../ir/shape';
import type { Tensor } from '../ir/tensor';
import type { NoiseSource } from '../random/noise';

/**
 * A probability distribution over tensors, built as graph code (torch.distributions / NumPyro
 * shape semantics). `batchShape` indexes independent distributions; `eventShape` is the shape of
 * one draw; `logProb(x)` has shape `sampleShape ++ batchShape`. Randomness comes from a
 * NoiseSource (noise as graph inputs), so sampling is reproducible from an explicit key.
 *
 * Properties without a closed form or definition (e.g. a mixture's entropy, a Categorical's mean)
 * throw `NoClosedFormError`; `rsample` on a non-reparameterised distribution throws
 * `NotReparameterizedError`.
 */
export interface Distribution {
  /** Registry key for KL pairs, e.g. 'normal'. */
  readonly kind: string;
  /** The graph the parameters live in (where numbers and derived tensors are built). */
  readonly graph: Graph;
  readonly batchShape: Shape;
  readonly eventShape: Shape;
  /** True when `rsample` is reparameterised (differentiable in the parameters). */
  readonly hasRsample: boolean;
  /** A draw of shape `sampleShape ++ batchShape ++ eventShape` (not meant to be differentiated). */
  sample(noise: NoiseSource, sampleShape?: Shape): Tensor;
  /** A reparameterised draw: a differentiable function of the parameters and the noise inputs. */
  rsample(noise: NoiseSource, sampleShape?: Shape): Tensor;
  /** Log density / mass with all normalising constants, in nats. */
  logProb(x: Tensor): Tensor;
  /**
   * `logProb(x)` summed over the last `n` batch dims, as {@link Independent} needs it. Optional: a
   * distribution may arrange the sum for cheaper ONNX (Bernoulli sums its softplus term on its own,
   * which lowers without a per-element Log); without it, Independent sums `logProb(x)`.
   */
  logProbSum?(x: Tensor, n: number): Tensor;
  /** Entropy in nats, shape `batchShape`. */
  entropy(): Tensor;
  /** Shape `batchShape ++ eventShape`. */
  readonly mean: Tensor;
  /** Shape `batchShape ++ eventShape`. */
  readonly mode: Tensor;
  /** Shape `batchShape ++ eventShape`. */
  readonly variance: Tensor;
  /** Square root of `variance`. */
  readonly stddev: Tensor;
  /** Reinterprets the last `n` batch dims as event dims (returns an Independent). */
  toEvent(n: number): Distribution;
}
