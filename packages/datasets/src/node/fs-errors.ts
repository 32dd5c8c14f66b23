/**
 * Maps Node file-system and zlib errors to this package's typed errors.
 */
import { DatasetError, FileAccessError, IdxFormatError } from '../errors';

const FS_MESSAGES: Record<string, string> = {
  ENOENT: 'file not found',
  EISDIR: 'is a directory, not a file',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTDIR: 'a component of the path is not a directory',
};

/**
 * Converts an error thrown while reading `path` into a {@link DatasetError}: our own errors pass
 * through, zlib errors become {@link IdxFormatError} (`bad-compression` / `truncated`), file-system
 * errors become {@link FileAccessError}.
 *
 * @param path - the file being read
 * @param error - what was thrown
 * @returns the typed error
 */
export function toDatasetError(path: string, error: unknown): DatasetError {
  if (error instanceof DatasetError) return error;
  const e = error as NodeJS.ErrnoException;
  const code = typeof e?.code === 'string' ? e.code : undefined;
  const message = e instanceof Error ? e.message : String(error);
  if (code === 'Z_BUF_ERROR' || /unexpected end of file/i.test(message)) {
    return new IdxFormatError(path, 'truncated', `truncated gzip data (${message})`, { cause: error });
  }
  if (code?.startsWith('Z_') || code === 'ERR_ZLIB_INITIALIZATION_FAILED') {
    return new IdxFormatError(path, 'bad-compression', `corrupt gzip data (${message})`, { cause: error });
  }
  const what = (code && FS_MESSAGES[code]) ?? `cannot read (${message})`;
  return new FileAccessError(path, what, code, { cause: error });
}
