import { BundleError } from './errors';
import type { BundleLatentMap } from './manifest';

/** Points of a 2-D latent map (x, y pairs) and optional integer labels. */
export interface LatentMapData {
  points: Float32Array;
  labels?: Int32Array;
}

/** Bytes of a latent-map file: n * 2 float32, then n int32 labels when given, little-endian. */
export function encodeLatentMap(points: Float32Array, labels?: Int32Array | readonly number[]): Uint8Array {
  if (points.length === 0 || points.length % 2 !== 0)
    throw new BundleError('shape', `latentMap.points must hold n x 2 values (n >= 1), got ${points.length}`);
  const n = points.length / 2;
  if (labels && labels.length !== n)
    throw new BundleError('shape', `latentMap.labels has ${labels.length} entries for ${n} points`);
  const out = new Uint8Array(n * 8 + (labels ? n * 4 : 0));
  const view = new DataView(out.buffer);
  for (let i = 0; i < 2 * n; i++) view.setFloat32(4 * i, points[i]!, true);
  if (labels) for (let i = 0; i < n; i++) view.setInt32(8 * n + 4 * i, labels[i]!, true);
  return out;
}

/** Reads a latent-map file described by the manifest. @throws BundleError reason `shape` */
export function decodeLatentMap(entry: BundleLatentMap, bytes: Uint8Array): LatentMapData {
  const n = entry.n;
  const want = n * 8 + (entry.labels ? n * 4 : 0);
  if (bytes.byteLength !== want)
    throw new BundleError(
      'shape',
      `latent map ${entry.file}: ${bytes.byteLength} bytes, ${n} points need ${want}`,
    );
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const points = Float32Array.from({ length: 2 * n }, (_, i) => view.getFloat32(4 * i, true));
  if (!entry.labels) return { points };
  return { points, labels: Int32Array.from({ length: n }, (_, i) => view.getInt32(8 * n + 4 * i, true)) };
}
