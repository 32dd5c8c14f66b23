/** Reductions over importance log-weights computed by a bundle's graphs (float64 arithmetic; browser-safe). */

/**
 * Combines chunks of log-weights (each [k_i, N], flattened row-major) computed in separate runs into
 * log p(x) ~ logsumexp over all K weights - log K, per example, in float64. This is how a backend
 * evaluates K = 1000+ importance samples with bounded memory.
 */
export function combineLogWeightChunks(
  chunks: readonly { k: number; data: ArrayLike<number> }[],
  n: number,
): Float64Array {
  const max = new Float64Array(n).fill(Number.NEGATIVE_INFINITY);
  for (const c of chunks) for (let i = 0; i < c.k * n; i++) max[i % n] = Math.max(max[i % n]!, c.data[i]!);
  const sum = new Float64Array(n);
  let total = 0;
  for (const c of chunks) {
    total += c.k;
    for (let i = 0; i < c.k * n; i++) sum[i % n]! += Math.exp(c.data[i]! - max[i % n]!);
  }
  return Float64Array.from(sum, (s, j) => max[j]! + Math.log(s) - Math.log(total));
}

/**
 * Self-normalised importance-weighted mean: per example i, sum_k softmax_k(logw[k, i]) values[k, i, :]
 * in float64, for log-weights [k, n] and values [k, n, width] (both row-major). This is how a reader
 * combines a score graph's `logw` with per-draw outputs, e.g. E[x_mis | x_obs] for imputation
 * (Mattei & Frellsen 2019), the reduction `vae impute` does inside its graph.
 */
export function importanceWeightedMean(
  logw: ArrayLike<number>,
  values: ArrayLike<number>,
  k: number,
  n: number,
  width: number,
): Float32Array {
  const out = new Float32Array(n * width);
  for (let i = 0; i < n; i++) {
    let max = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < k; j++) max = Math.max(max, logw[j * n + i]!);
    const w = Array.from({ length: k }, (_, j) => Math.exp(logw[j * n + i]! - max));
    const total = w.reduce((a, b) => a + b, 0);
    for (let f = 0; f < width; f++) {
      let s = 0;
      for (let j = 0; j < k; j++) s += w[j]! * values[(j * n + i) * width + f]!;
      out[i * width + f] = s / total;
    }
  }
  return out;
}
