/** Default cap on threads: idle onnxruntime threads spin and steal cores from the page. */
const MAX_DEFAULT_THREADS = 8;

/**
 * WASM threads onnxruntime-web can use here: 1 unless the scope is cross-origin isolated (threads
 * need SharedArrayBuffer); then `requested`, or `navigator.hardwareConcurrency` capped at 8. The
 * same rule as `@vae/infer-web`'s `chooseThreads`, written again here because train-web must not
 * import infer-web (DESIGN.md arrows): change both together.
 */
export function chooseThreads(requested?: number): number {
  const g = globalThis as { crossOriginIsolated?: boolean; navigator?: { hardwareConcurrency?: number } };
  if (g.crossOriginIsolated !== true) return 1;
  const n = requested ?? Math.min(MAX_DEFAULT_THREADS, g.navigator?.hardwareConcurrency ?? 1);
  return Math.max(1, Math.floor(n));
}
