/** Reading manifest.json: JSON, then format and version, then the schema, then consistency. */
import { BundleError } from './errors';
import type { BundleManifest } from './manifest';
import { checkConsistency } from './manifest-checks';
import {
  BUNDLE_FORMAT,
  BUNDLE_FORMAT_VERSION,
  formatIssuePath,
  manifestSchema,
  safeParseManifest,
} from './manifest-schema';

/**
 * Validates a parsed manifest.json: format and version first (reason `version`), then the schema
 * (reason `malformed`), then consistency (`latent-mismatch`, `shape`). The error message and
 * `path` name the field at fault.
 * @throws BundleError
 */
export function parseManifest(json: unknown): BundleManifest {
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new BundleError('malformed', 'manifest.json must be a JSON object');
  const head = json as Record<string, unknown>;
  if (head.format !== BUNDLE_FORMAT)
    throw new BundleError(
      'malformed',
      `manifest.json: format must be "${BUNDLE_FORMAT}", got ${JSON.stringify(head.format)}`,
      'format',
    );
  if (typeof head.formatVersion === 'number' && head.formatVersion < BUNDLE_FORMAT_VERSION)
    throw new BundleError(
      'version',
      `manifest.json: formatVersion ${head.formatVersion} is an older bundle format (this reader needs ${BUNDLE_FORMAT_VERSION}, with its probability graphs): re-export it with \`vae export\``,
      'formatVersion',
    );
  if (head.formatVersion !== BUNDLE_FORMAT_VERSION)
    throw new BundleError(
      'version',
      `manifest.json: formatVersion ${JSON.stringify(head.formatVersion)} is not supported (this reader knows ${BUNDLE_FORMAT_VERSION})`,
      'formatVersion',
    );
  const result = safeParseManifest(json);
  if (!result.success) {
    const issue = result.issues[0];
    const path = formatIssuePath(issue);
    throw new BundleError('malformed', `manifest.json: ${path || '(root)'}: ${issue.message}`, path);
  }
  const manifest: BundleManifest = result.output;
  checkConsistency(manifest);
  return manifest;
}

/** The valibot schema of {@link BundleManifest} (structure only; {@link parseManifest} also checks consistency). */
export { manifestSchema };

/** Parses manifest.json bytes or text and validates them ({@link parseManifest}). */
export function parseManifestText(text: string | Uint8Array): BundleManifest {
  const s = typeof text === 'string' ? text : new TextDecoder().decode(text);
  let json: unknown;
  try {
    json = JSON.parse(s);
  } catch (e) {
    throw new BundleError('malformed', `manifest.json is not valid JSON: ${(e as Error).message}`);
  }
  return parseManifest(json);
}
