/** Reading a bundle from a URL or from dropped files, validated against its manifest. */
import { type BundleManifest, parseManifestText, verifyBundleFiles } from '@vae/core/bundle';
import { InferError, toInferError } from './errors';

/** A file as a browser hands it over (File, Blob) or as bytes. */
export type BundleFileData = Uint8Array | ArrayBuffer | Blob;

/** Something with `length` and `item(i)`, like the FileList of an <input type=file> or a drop. */
export interface FileListLike {
  readonly length: number;
  item(index: number): File | null;
}

/**
 * Where a bundle comes from: the URL of its folder (manifest.json and the files beside it), or its
 * files by name (paths are reduced to their last segment, so a dropped folder works).
 */
export type BundleSource =
  | string
  | URL
  | Readonly<Record<string, BundleFileData>>
  | FileListLike
  | readonly File[];

/** A bundle in memory, checked: the manifest parsed and every listed file present with its SHA-256. */
export interface LoadedBundle {
  manifest: BundleManifest;
  files: Record<string, Uint8Array>;
}

const baseName = (p: string) => p.slice(p.lastIndexOf('/') + 1);

async function bytesOf(d: BundleFileData): Promise<Uint8Array> {
  if (d instanceof Uint8Array) return d;
  if (d instanceof ArrayBuffer) return new Uint8Array(d);
  return new Uint8Array(await d.arrayBuffer());
}

function isFileList(s: unknown): s is FileListLike {
  return (
    typeof s === 'object' &&
    s !== null &&
    typeof (s as FileListLike).item === 'function' &&
    typeof (s as FileListLike).length === 'number'
  );
}

async function fromFiles(source: Exclude<BundleSource, string | URL>): Promise<Record<string, Uint8Array>> {
  const entries: [string, BundleFileData][] = [];
  if (isFileList(source)) {
    for (let i = 0; i < source.length; i++) {
      const f = source.item(i);
      if (f) entries.push([f.name, f]);
    }
  } else if (Array.isArray(source)) for (const f of source as readonly File[]) entries.push([f.name, f]);
  else entries.push(...Object.entries(source as Record<string, BundleFileData>));
  const out: Record<string, Uint8Array> = {};
  for (const [name, d] of entries) out[baseName(name)] = await bytesOf(d);
  return out;
}

async function get(url: URL, fetcher: typeof fetch): Promise<Uint8Array> {
  let res: Response;
  try {
    res = await fetcher(url);
  } catch (e) {
    throw new InferError('fetch', `GET ${url.href} failed: ${(e as Error).message ?? e}`, undefined, {
      cause: e,
    });
  }
  if (!res.ok) throw new InferError('fetch', `GET ${url.href}: HTTP ${res.status} ${res.statusText}`.trim());
  return new Uint8Array(await res.arrayBuffer());
}

/** The folder URL of a bundle, absolute (relative URLs resolve against the page or worker location). */
export function bundleBaseUrl(src: string | URL): URL {
  const s = src.toString();
  const base = (globalThis as { location?: { href: string } }).location?.href;
  try {
    return new URL(s.endsWith('/') ? s : `${s}/`, base);
  } catch (e) {
    throw new InferError('fetch', `bundle URL ${s} is not a valid URL`, undefined, { cause: e });
  }
}

/**
 * Reads some files of a bundle at a URL whose manifest is already read, each checked against its
 * SHA-256 in the manifest (a page that needs only a few files first: see {@link readPreview}).
 * @throws InferError reason `fetch`, `missing` or `hash`
 */
export async function readBundleFiles(
  base: URL,
  manifest: BundleManifest,
  names: readonly string[],
  fetcher: typeof fetch = globalThis.fetch,
): Promise<LoadedBundle> {
  try {
    const bytes = await Promise.all(names.map((n) => get(new URL(n, base), fetcher)));
    const files = Object.fromEntries(names.map((n, i) => [n, bytes[i]!]));
    await verifyBundleFiles({ files: Object.fromEntries(names.map((n) => [n, manifest.files[n]!])) }, files);
    return { manifest, files };
  } catch (e) {
    throw toInferError(e, 'malformed');
  }
}

/**
 * Reads and checks a bundle: manifest.json against the schema, then the SHA-256 of every file.
 * @throws InferError reason `fetch`, `malformed`, `version`, `missing`, `hash`, `latent-mismatch` or `shape`
 */
export async function readBundle(
  source: BundleSource,
  fetcher: typeof fetch = globalThis.fetch,
): Promise<LoadedBundle> {
  try {
    let files: Record<string, Uint8Array>;
    let manifest: BundleManifest;
    if (typeof source === 'string' || source instanceof URL) {
      const base = bundleBaseUrl(source);
      manifest = parseManifestText(await get(new URL('manifest.json', base), fetcher));
      const names = Object.keys(manifest.files);
      const bytes = await Promise.all(names.map((n) => get(new URL(n, base), fetcher)));
      files = Object.fromEntries(names.map((n, i) => [n, bytes[i]!]));
    } else {
      files = await fromFiles(source);
      const text = files['manifest.json'];
      if (!text) throw new InferError('missing', 'the bundle has no manifest.json', 'manifest.json');
      manifest = parseManifestText(text);
    }
    await verifyBundleFiles(manifest, files);
    return { manifest, files };
  } catch (e) {
    throw toInferError(e, 'malformed');
  }
}
