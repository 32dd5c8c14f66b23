import type { BundleManifest } from '@vae/infer-web';

/**
 * Prior samples decoded before any model is in use (by @vae/core's interpreter at start-up, from
 * the bundle's own graphs): the samples view shows them until the model draws its own.
 */
export interface Preview {
  manifest: BundleManifest;
  seed: number;
  temperature: number;
  label: number;
  n: number;
  z: Float32Array;
  params: Float32Array;
  /** Data-space means of the samples (the bundle's data-mean graph). */
  values: Float32Array;
}
