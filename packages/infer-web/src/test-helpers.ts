/** Test-only helpers: bundles from @vae/core, and onnxruntime-node as the parity oracle. */
import { createRequire } from 'node:module';
import { type Bundle, type BundleMeta, createBundle, type HostTensor, key, type VAE } from '@vae/core';

// onnxruntime-node is a devDependency of @vae/core; resolve it from there (the same pinned version).
const requireFromCore = createRequire(import.meta.url);
// Its API is onnxruntime-common's, the same types as onnxruntime-web's.
export const ortNode = requireFromCore('onnxruntime-node') as typeof import('onnxruntime-web');

export interface Built {
  vae: VAE;
  params: Record<string, HostTensor>;
  bundle: Bundle;
}

export async function build(vae: VAE, seed = 0, meta: BundleMeta = {}): Promise<Built> {
  const params = vae.init(key(seed));
  return { vae, params, bundle: await createBundle(vae, params, meta) };
}

// The exact integer arithmetic of an int8 bundle file: a test-only oracle that @vae/core keeps next
// to the int8 export (not part of its public API), shared here by path.
export { int8Tolerance, roleInt8Reference } from '../../core/src/export/int8-reference';

/** Runs one bundle file on onnxruntime-node. */
export async function runNode(
  bytes: Uint8Array,
  feeds: Record<string, { data: Float32Array; dims: number[] }>,
): Promise<Record<string, Float32Array>> {
  const s = await ortNode.InferenceSession.create(bytes);
  try {
    const res = await s.run(
      Object.fromEntries(
        Object.entries(feeds).map(([k, v]) => [k, new ortNode.Tensor('float32', v.data, v.dims)]),
      ),
    );
    return Object.fromEntries(Object.entries(res).map(([k, t]) => [k, t.data as Float32Array]));
  } finally {
    await s.release();
  }
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** A JSON edit of a bundle's manifest, re-serialised (file hashes untouched). */
// biome-ignore lint/suspicious/noExplicitAny: the tests edit manifest JSON freely to break it
export function editManifest(files: Record<string, Uint8Array>, edit: (m: Record<string, any>) => void) {
  const m = JSON.parse(new TextDecoder().decode(files['manifest.json']!));
  edit(m);
  return { ...files, 'manifest.json': new TextEncoder().encode(JSON.stringify(m)) };
}
