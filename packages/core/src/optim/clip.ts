import type { Tensor } from '../ir/tensor';
import { checkRange, OptimizerError, type TensorMap } from './optimizer';

/**
 * Gradient clipping by global norm, as torch.nn.utils.clip_grad_norm_ (L2): with
 * `norm = sqrt(sum of all squared entries)`, every gradient is scaled by
 * `min(maxNorm / (norm + 1e-6), 1)`. Returns the scaled gradients and the norm before clipping.
 * @param gradScale - the gradients are of a loss multiplied by this (see `LoopUpdate.lossScale`):
 *   the norm is measured on the unscaled gradients, so clipping is the same either way
 */
export function clipByGlobalNorm(
  grads: TensorMap,
  maxNorm: number,
  gradScale?: Tensor,
): { grads: Record<string, Tensor>; norm: Tensor } {
  checkRange('maxNorm', maxNorm, 0);
  const entries = Object.entries(grads);
  const first = entries[0]?.[1];
  if (!first) throw new OptimizerError('clipByGlobalNorm: no gradients');
  let sq: Tensor | null = null;
  for (const [, g] of entries) {
    const s = g.rank === 0 ? g.square() : g.square().sum();
    sq = sq ? sq.add(s) : s;
  }
  const norm = gradScale ? sq!.sqrt().div(gradScale) : sq!.sqrt();
  const scale = norm.graph.scalar(maxNorm).div(norm.add(1e-6)).minimum(1);
  return { grads: Object.fromEntries(entries.map(([k, g]) => [k, g.mul(scale)])), norm };
}
