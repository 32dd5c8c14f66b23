/**
 * "Download bundle": the bundle trained in this tab as one .zip holding a `bundle/` folder (the files
 * `vae export` writes). Unzipped, the folder can be dropped on this page or served with
 * `node apps/playground/scripts/serve.mjs --bundle bundle`.
 */
import { zipSync } from 'fflate';
import { saveBlob } from '../download';

export function bundleZip(files: Record<string, Uint8Array>): Uint8Array {
  // ONNX weights hardly compress; level 1 keeps it quick.
  return zipSync(
    Object.fromEntries(Object.entries(files).map(([name, bytes]) => [`bundle/${name}`, bytes])),
    { level: 1 },
  );
}

export function saveBundleZip(files: Record<string, Uint8Array>, name = 'vae-bundle.zip'): void {
  const zip = bundleZip(files);
  saveBlob(new Blob([zip as Uint8Array<ArrayBuffer>], { type: 'application/zip' }), name);
}
