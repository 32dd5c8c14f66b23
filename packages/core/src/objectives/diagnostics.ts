/**
 * Latent-space diagnostics on host arrays (values a backend returned): which latent dimensions
 * the model uses.
 */

/**
 * Active units (Burda et al. 2016): dimension d is active when the variance over data of the
 * posterior mean E_q[z_d|x] exceeds `threshold` (default 0.01). `means` is [N, D] row-major.
 */
export function activeUnits(
  means: ArrayLike<number>,
  n: number,
  d: number,
  threshold = 0.01,
): { count: number; variances: Float64Array } {
  if (means.length !== n * d) throw new RangeError(`activeUnits: ${means.length} values for [${n}, ${d}]`);
  const mean = new Float64Array(d);
  for (let i = 0; i < n * d; i++) mean[i % d]! += means[i]! / n;
  const variances = new Float64Array(d);
  for (let i = 0; i < n * d; i++) variances[i % d]! += (means[i]! - mean[i % d]!) ** 2 / Math.max(n - 1, 1);
  return { count: variances.filter((v) => v > threshold).length, variances };
}

/** Column means of an [N, D] row-major matrix (e.g. KL per dimension averaged over the data). */
export function columnMeans(values: ArrayLike<number>, n: number, d: number): Float64Array {
  const out = new Float64Array(d);
  for (let i = 0; i < n * d; i++) out[i % d]! += values[i]! / n;
  return out;
}
