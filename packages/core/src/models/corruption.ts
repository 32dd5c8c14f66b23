/**
 * The input corruption of denoising models, one implementation for the denoising autoencoder
 * (`AE`) and the denoising VAE (`VAE` with `denoise`): the corrupted x~ is built as graph ops on
 * noise from a {@link NoiseSource}, so its randomness is an explicit graph input (a training step's
 * seeded draws), never a random op inside the graph.
 */
import type { Tensor } from '../ir/tensor';
import type { NoiseSource } from '../random/noise';
import { type DenoiseSpec, type LikelihoodSpec, ModelSpecError } from './spec';

export type { DenoiseSpec };

/**
 * Checks a `denoise` field: a Gaussian std > 0, a rate in (0, 1); a tabular likelihood is refused
 * (its encoder input is one-hot codes and standardised columns with a missing-value mask, not pixels).
 * @throws ModelSpecError, one line naming the field
 */
export function checkDenoise(d: DenoiseSpec, likelihood?: LikelihoodSpec): void {
  const bad = (why: string) => new ModelSpecError(`denoise: ${why}, got ${JSON.stringify(d)}`);
  if (d.type === 'gaussian') {
    if (!(Number.isFinite(d.std) && d.std > 0)) throw bad('gaussian needs std > 0');
  } else if (d.type === 'mask' || d.type === 'salt-pepper') {
    if (!(Number.isFinite(d.rate) && d.rate > 0 && d.rate < 1)) throw bad(`${d.type} needs 0 < rate < 1`);
  } else throw bad('type must be gaussian, mask or salt-pepper');
  if (likelihood?.type === 'tabular')
    throw new ModelSpecError('denoise is for image and vector data; a tabular model cannot be denoising');
}

/**
 * x~ for clean x ([N, ...]): `gaussian` x + std eps (eps ~ N(0, 1); not clipped, so the noise stays
 * zero-mean); `mask` x where u > rate, else 0; `salt-pepper` 0 where u < rate/2, 1 where
 * rate/2 <= u < rate, else x (u ~ U[0, 1)). One draw of x's shape per call.
 */
export function corrupt(d: DenoiseSpec, x: Tensor, noise: NoiseSource): Tensor {
  switch (d.type) {
    case 'gaussian':
      return x.add(noise.normal(x.shape).mul(d.std));
    case 'mask':
      return x.mul(noise.uniform(x.shape).greater(d.rate).cast('float32'));
    case 'salt-pepper': {
      const u = noise.uniform(x.shape);
      const hit = u.less(d.rate).cast('float32');
      const pepper = u.less(d.rate / 2).cast('float32');
      // Kept values plus 1 where salted (hit but not peppered).
      return x.mul(hit.rsub(1)).add(hit.sub(pepper));
    }
  }
}
