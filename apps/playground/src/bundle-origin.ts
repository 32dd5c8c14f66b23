/** Where a loaded bundle's files can be read again: its folder URL, or the dropped files by name. */
import type { BundleSource } from '@vae/infer-web';

/** The folder URL of a URL source (with a trailing slash), or the files of a dropped or picked source. */
export function originOf(source: BundleSource): URL | Map<string, Blob> {
  if (typeof source === 'string' || source instanceof URL) {
    const s = source.toString();
    return new URL(s.endsWith('/') ? s : `${s}/`, location.href);
  }
  const files: File[] = Array.isArray(source) ? [...(source as File[])] : [];
  if ('item' in source && typeof source.item === 'function')
    for (let i = 0; i < (source as FileList).length; i++) files.push((source as FileList).item(i)!);
  const map = new Map<string, Blob>();
  for (const f of files) map.set(f.name.slice(f.name.lastIndexOf('/') + 1), f);
  // Files by name (e.g. a bundle exported in this tab): bytes, buffers or blobs.
  if (files.length === 0 && !('item' in source))
    for (const [name, data] of Object.entries(source as Record<string, BlobPart>))
      map.set(name, data instanceof Blob ? data : new Blob([data]));
  return map;
}
