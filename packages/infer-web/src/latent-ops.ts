/** Paths through latent space: interpolation and traversal (pure, batched as one [n, latent] array). */
import { InferError } from './errors';

const norm = (v: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  return Math.sqrt(s);
};

/**
 * `steps` points from a to b (both included, exactly). `lerp` is the straight line; `slerp` moves the
 * direction along the great circle and the norm linearly from |a| to |b| (so with |a| = |b| every point
 * keeps that norm, where the straight line would cut through the low-density centre of a Gaussian).
 */
export function interpolatePath(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  steps: number,
  mode: 'lerp' | 'slerp' = 'lerp',
): Float32Array {
  const d = a.length;
  if (b.length !== d) throw new InferError('input', `interpolate: a has ${d} values, b has ${b.length}`);
  if (!(Number.isInteger(steps) && steps >= 2))
    throw new InferError('input', `interpolate: steps must be an integer >= 2, got ${steps}`);
  const out = new Float32Array(steps * d);
  const na = norm(a);
  const nb = norm(b);
  let dot = 0;
  for (let i = 0; i < d; i++) dot += (a[i]! / (na || 1)) * (b[i]! / (nb || 1));
  const omega = Math.acos(Math.min(1, Math.max(-1, dot)));
  const straight = mode === 'lerp' || na === 0 || nb === 0 || Math.sin(omega) < 1e-6;
  for (let s = 0; s < steps; s++) {
    const t = s / (steps - 1);
    if (s === 0 || s === steps - 1) {
      out.set(Array.from(s === 0 ? a : b), s * d);
      continue;
    }
    if (straight) {
      for (let i = 0; i < d; i++) out[s * d + i] = (1 - t) * a[i]! + t * b[i]!;
      continue;
    }
    const wa = Math.sin((1 - t) * omega) / Math.sin(omega);
    const wb = Math.sin(t * omega) / Math.sin(omega);
    const r = (1 - t) * na + t * nb;
    for (let i = 0; i < d; i++) out[s * d + i] = r * (wa * (a[i]! / na) + wb * (b[i]! / nb));
  }
  return out;
}

/** One row per value: a copy of z with coordinate `dim` set to that value. */
export function traversePath(z: ArrayLike<number>, dim: number, values: ArrayLike<number>): Float32Array {
  const d = z.length;
  if (!(Number.isInteger(dim) && dim >= 0 && dim < d))
    throw new InferError('input', `traverse: dim must be an integer in [0, ${d}), got ${dim}`);
  if (values.length === 0) throw new InferError('input', 'traverse: give at least one value');
  const out = new Float32Array(values.length * d);
  for (let r = 0; r < values.length; r++) {
    out.set(Array.from(z), r * d);
    out[r * d + dim] = values[r]!;
  }
  return out;
}
