/**
 * The first two principal components of n points in d dimensions (power iteration with deflation
 * on the d x d covariance; d is a latent size, so this is cheap). Returns the n x 2 projection and
 * the basis (mean and unit axes), so a 2-D point maps back to z = mean + x axes[0] + y axes[1].
 */
export function pca2(
  points: Float32Array,
  n: number,
  d: number,
): { projected: Float32Array; mean: number[]; axes: [number[], number[]] } {
  const mean = new Float64Array(d);
  for (let i = 0; i < n * d; i++) mean[i % d]! += points[i]! / n;
  const cov = new Float64Array(d * d);
  for (let r = 0; r < n; r++)
    for (let a = 0; a < d; a++) {
      const va = points[r * d + a]! - mean[a]!;
      for (let b = 0; b < d; b++)
        cov[a * d + b]! += (va * (points[r * d + b]! - mean[b]!)) / Math.max(n - 1, 1);
    }
  const components: Float64Array[] = [];
  for (let c = 0; c < Math.min(2, d); c++) {
    let v = Float64Array.from({ length: d }, (_, i) => 1 / Math.sqrt(d) + i * 1e-3);
    for (let it = 0; it < 500; it++) {
      const w = new Float64Array(d);
      for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) w[a]! += cov[a * d + b]! * v[b]!;
      for (const u of components) {
        const dot = w.reduce((s, x, i) => s + x * u[i]!, 0);
        for (let i = 0; i < d; i++) w[i]! -= dot * u[i]!;
      }
      const norm = Math.hypot(...w) || 1;
      const next = w.map((x) => x / norm);
      const delta = next.reduce((s, x, i) => s + Math.abs(x - v[i]!), 0);
      v = next;
      if (delta < 1e-12) break;
    }
    // A fixed sign (largest entry positive) so the map does not flip between exports.
    const big = v.reduce((bi, x, i) => (Math.abs(x) > Math.abs(v[bi]!) ? i : bi), 0);
    if (v[big]! < 0) v = v.map((x) => -x);
    components.push(v);
  }
  const out = new Float32Array(n * 2);
  for (let r = 0; r < n; r++)
    components.forEach((u, c) => {
      let s = 0;
      for (let a = 0; a < d; a++) s += (points[r * d + a]! - mean[a]!) * u[a]!;
      out[r * 2 + c] = s;
    });
  const axis = (c: number) => Array.from(components[c] ?? new Float64Array(d));
  return { projected: out, mean: Array.from(mean), axes: [axis(0), axis(1)] };
}
