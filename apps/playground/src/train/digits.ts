/**
 * The embedded digits: `digits.bin` beside index.html (the digits cache format of @vae/datasets:
 * a 32-byte header, 10,000 uint8 28x28 images, their labels; written by the Vite plugin in
 * vite-plugins/digits-asset.ts). Fetched once, and only when training on them starts.
 */
let pending: Promise<Uint8Array> | null = null;

export function loadDigits(url = new URL('./digits.bin', document.baseURI)): Promise<Uint8Array> {
  pending ??= fetch(url).then(async (res) => {
    if (!res.ok) throw new Error(`GET ${url.pathname}: HTTP ${res.status} (the embedded digits)`);
    return new Uint8Array(await res.arrayBuffer());
  });
  // A failed fetch is not kept: the next Start tries again.
  pending.catch(() => {
    pending = null;
  });
  return pending;
}
