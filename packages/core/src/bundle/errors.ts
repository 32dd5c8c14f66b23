/**
 * What is wrong with a bundle:
 * - `malformed`: manifest.json is not valid JSON or does not match the schema;
 * - `version`: another bundle format or format version;
 * - `missing`: a file the manifest lists is absent;
 * - `hash`: a file's SHA-256 or size differs from the manifest;
 * - `latent-mismatch`: the latent size disagrees between manifest, prior and graphs;
 * - `shape`: array lengths or tensor shapes that do not fit together;
 * - `unsupported`: a model this bundle format cannot describe.
 */
import { UserError } from '../errors/user-error';

export type BundleErrorReason =
  | 'malformed'
  | 'version'
  | 'missing'
  | 'hash'
  | 'latent-mismatch'
  | 'shape'
  | 'unsupported';

/** A bundle that does not match its manifest (or a manifest that is not a bundle manifest). */
export class BundleError extends UserError {
  override name = 'BundleError';
  constructor(
    readonly reason: BundleErrorReason,
    message: string,
    /** The manifest field at fault, as a path like `prior.weights[2]` (when there is one). */
    readonly path?: string,
  ) {
    super(message);
  }
}
