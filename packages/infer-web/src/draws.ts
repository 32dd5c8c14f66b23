import { normal, type PRNGKey, uniform } from '@vae/random';

/**
 * n standard-normal (times `scale`) or uniform [0, 1) draws from a key: the one layout of the draws
 * a model makes here (prior z, noise inputs), shared by the onnxruntime path and the preview.
 */
export function draw(kind: 'normal' | 'uniform', k: PRNGKey, n: number, scale = 1): Float32Array {
  if (kind === 'uniform') return uniform(k, n);
  const v = normal(k, n);
  if (scale !== 1) for (let i = 0; i < n; i++) v[i] = v[i]! * scale;
  return v;
}
