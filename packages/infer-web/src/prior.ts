/** p(z) from the manifest: draws (with a temperature) and log-densities, in float64. */
import { type BundlePrior, fold, normal, type PRNGKey, uniform } from '@vae/core';
import { LOG_2PI, logSumExp, normalLogPdf } from './math';

/**
 * `n` draws from the prior, [n, latent] row-major. Standard normal: `temperature * normal(key)`.
 * Mixtures: component from `uniform(fold(key, 0))` by the weights, then
 * `mean + temperature * scale * normal(fold(key, 1))`.
 */
export function samplePrior(
  prior: BundlePrior,
  latent: number,
  n: number,
  k: PRNGKey,
  temperature = 1,
): Float32Array {
  if (prior.type === 'standard-normal') {
    const z = normal(k, n * latent);
    if (temperature !== 1) for (let i = 0; i < z.length; i++) z[i] = z[i]! * temperature;
    return z;
  }
  const u = uniform(fold(k, 0), n);
  const eps = normal(fold(k, 1), n * latent);
  const z = new Float32Array(n * latent);
  for (let i = 0; i < n; i++) {
    let c = prior.components - 1;
    let acc = 0;
    for (let q = 0; q < prior.components; q++)
      if (u[i]! < (acc += prior.weights[q]!)) {
        c = q;
        break;
      }
    const m = prior.means[c]!;
    const s = prior.scales[c]!;
    for (let d = 0; d < latent; d++) z[i * latent + d] = m[d]! + temperature * s[d]! * eps[i * latent + d]!;
  }
  return z;
}

/** log p(z) of row `row` of `z` ([rows, latent]). */
export function logPrior(prior: BundlePrior, z: Float32Array, row: number, latent: number): number {
  const o = row * latent;
  if (prior.type === 'standard-normal') {
    let s = 0;
    for (let d = 0; d < latent; d++) s += -0.5 * z[o + d]! ** 2;
    return s - 0.5 * latent * LOG_2PI;
  }
  const terms = new Float64Array(prior.components);
  for (let c = 0; c < prior.components; c++) {
    let s = Math.log(prior.weights[c]!);
    const m = prior.means[c]!;
    const sc = prior.scales[c]!;
    for (let d = 0; d < latent; d++) s += normalLogPdf(z[o + d]!, m[d]!, sc[d]!);
    terms[c] = s;
  }
  return logSumExp(terms, prior.components);
}
