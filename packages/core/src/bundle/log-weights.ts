/** Combining IWAE log-weights computed in several runs (pure float64 arithmetic; browser-safe). */

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
