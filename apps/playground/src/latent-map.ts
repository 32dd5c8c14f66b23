/** Reading a bundle's latent-map.bin (n x 2 float32, then n int32 labels, little-endian) and its hash. */
import type { BundleManifest } from '@vae/infer-web';

export interface LatentMap {
  points: Float32Array;
  labels?: Int32Array;
  method: 'identity' | 'pca';
  /** z = mean + x * axes[0] + y * axes[1], when the bundle ships its PCA basis. */
  basis?: { mean: number[]; axes: [number[], number[]] };
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const d = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(d), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Parses and checks the latent map described by the manifest. @throws Error on size or hash mismatch. */
export async function readLatentMap(m: BundleManifest, bytes: Uint8Array): Promise<LatentMap> {
  const entry = m.latentMap!;
  const want = m.files[entry.file];
  if (want && (want.bytes !== bytes.byteLength || want.sha256 !== (await sha256Hex(bytes))))
    throw new Error(`${entry.file}: SHA-256 or size differs from manifest.json`);
  const n = entry.n;
  if (bytes.byteLength !== n * 8 + (entry.labels ? n * 4 : 0))
    throw new Error(`${entry.file}: ${bytes.byteLength} bytes do not hold ${n} points`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const points = Float32Array.from({ length: 2 * n }, (_, i) => view.getFloat32(4 * i, true));
  const labels = entry.labels
    ? Int32Array.from({ length: n }, (_, i) => view.getInt32(8 * n + 4 * i, true))
    : undefined;
  // Not in the manifest format yet: a PCA basis would let a click decode exactly (see the README).
  const basis = (entry as { basis?: LatentMap['basis'] }).basis;
  return { points, method: entry.method, ...(labels ? { labels } : {}), ...(basis ? { basis } : {}) };
}

/** The latent point a map position stands for. */
export function mapToLatent(map: LatentMap, latent: number, x: number, y: number): Float32Array {
  const z = new Float32Array(latent);
  if (map.basis) {
    for (let d = 0; d < latent; d++)
      z[d] = (map.basis.mean[d] ?? 0) + x * (map.basis.axes[0][d] ?? 0) + y * (map.basis.axes[1][d] ?? 0);
    return z;
  }
  // identity: the map is the latent space; pca without a basis: the first two latent axes (approximate).
  z[0] = x;
  if (latent > 1) z[1] = y;
  return z;
}

/**
 * Where a latent point sits on the map: its projection on the PCA basis (unit axes), z0 and z1 for
 * an identity map, and z0 and z1 as well for a PCA map without a basis (the same approximation as
 * {@link mapToLatent}, so a clicked point comes back where it was clicked).
 */
export function latentToMap(map: LatentMap, z: ArrayLike<number>): [number, number] {
  if (!map.basis) return [z[0] ?? 0, z[1] ?? 0];
  let [x, y] = [0, 0];
  for (let d = 0; d < z.length; d++) {
    const c = z[d]! - (map.basis.mean[d] ?? 0);
    x += c * (map.basis.axes[0][d] ?? 0);
    y += c * (map.basis.axes[1][d] ?? 0);
  }
  return [x, y];
}
