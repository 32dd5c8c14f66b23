import { BundleError } from './errors';
import type { BundleFileEntry, BundleManifest } from './manifest';

/** Lowercase hex SHA-256 of `bytes` (Web Crypto: Node >= 20 and browsers). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle)
    throw new BundleError('unsupported', 'SHA-256 needs Web Crypto (crypto.subtle): use a secure context');
  const digest = new Uint8Array(await subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  let out = '';
  for (const b of digest) out += b.toString(16).padStart(2, '0');
  return out;
}

/** The manifest entry for one file's bytes. */
export async function fileEntry(bytes: Uint8Array): Promise<BundleFileEntry> {
  return { sha256: await sha256Hex(bytes), bytes: bytes.byteLength };
}

/**
 * Checks that every file the manifest lists is present with the listed size and SHA-256. Extra
 * files (manifest.json itself, anything unlisted) are ignored.
 * @throws BundleError reason `missing` or `hash`, naming the file.
 */
export async function verifyBundleFiles(
  manifest: Pick<BundleManifest, 'files'>,
  files: Readonly<Record<string, Uint8Array>>,
): Promise<void> {
  for (const [name, want] of Object.entries(manifest.files)) {
    const bytes = Object.hasOwn(files, name) ? files[name] : undefined;
    if (!bytes)
      throw new BundleError(
        'missing',
        `bundle file ${name} is listed in manifest.json but missing`,
        `files.${name}`,
      );
    if (bytes.byteLength !== want.bytes)
      throw new BundleError(
        'hash',
        `bundle file ${name} has ${bytes.byteLength} bytes, manifest.json says ${want.bytes}`,
        `files.${name}`,
      );
    const got = await sha256Hex(bytes);
    if (got !== want.sha256)
      throw new BundleError(
        'hash',
        `bundle file ${name}: SHA-256 ${got} does not match manifest.json (${want.sha256})`,
        `files.${name}`,
      );
  }
}
