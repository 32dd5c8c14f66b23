/**
 * Typed errors for `@vae/datasets`. Every error names its `source` (a file path, or a label such
 * as `<bytes>` for in-memory input) and the problem, so a user can tell which file is bad and why.
 */

/**
 * The user-error brand of `@vae/core` (`USER_ERROR`, read by its `isUserError` and `instanceof
 * UserError`): a registered symbol, so this package carries it without importing core, which the
 * package arrows forbid (DESIGN.md: datasets depends on random only). Every dataset error is
 * user-facing: its message names the file and says what is wrong with it.
 */
const USER_ERROR: unique symbol = Symbol.for('@vae/user-error');

/** Base class of every error thrown by this package; all are user-facing (see {@link USER_ERROR}). */
export class DatasetError extends Error {
  override readonly name: string = 'DatasetError';
  /** The user-error brand that `@vae/core`'s `isUserError` checks. */
  get [USER_ERROR](): true {
    return true;
  }
  /** The file (or in-memory label) the error is about. */
  readonly source: string;

  /**
   * @param source - the file path or in-memory label the problem is in
   * @param message - what is wrong (the source is prefixed automatically)
   * @param options - standard `ErrorOptions` (e.g. `cause`)
   */
  constructor(source: string, message: string, options?: ErrorOptions) {
    super(`${source}: ${message}`, options);
    this.source = source;
  }
}

/** A file that cannot be opened or read (missing, a directory, no permission, I/O failure). */
export class FileAccessError extends DatasetError {
  override readonly name = 'FileAccessError';
  /** The Node error code when there is one (e.g. `ENOENT`). */
  readonly code: string | undefined;

  /**
   * @param source - the path
   * @param message - what failed
   * @param code - the system error code, if any
   * @param options - standard `ErrorOptions`
   */
  constructor(source: string, message: string, code?: string, options?: ErrorOptions) {
    super(source, message, options);
    this.code = code;
  }
}

/** Why an IDX file was rejected. */
export type IdxProblem =
  | 'bad-magic'
  | 'bad-dtype'
  | 'bad-rank'
  | 'bad-dimensions'
  | 'too-large'
  | 'truncated'
  | 'trailing-data'
  | 'bad-compression'
  | 'unexpected-content';

/** An IDX (MNIST-family) file whose bytes do not form a valid IDX array. */
export class IdxFormatError extends DatasetError {
  override readonly name = 'IdxFormatError';
  /** Machine-readable kind of problem. */
  readonly problem: IdxProblem;

  /**
   * @param source - the file path or label
   * @param problem - the kind of problem
   * @param message - a human-readable description
   * @param options - standard `ErrorOptions`
   */
  constructor(source: string, problem: IdxProblem, message: string, options?: ErrorOptions) {
    super(source, message, options);
    this.problem = problem;
  }
}

/** Why an image file or an image folder was rejected. */
export type ImageProblem =
  | 'not-an-image'
  | 'corrupt'
  | 'unsupported'
  | 'too-large'
  | 'size-mismatch'
  | 'empty-folder'
  | 'empty-class'
  | 'mixed-layout'
  | 'nested-folder'
  | 'too-many-classes';

/** An image that cannot be decoded, or an image folder whose layout or sizes do not fit together. */
export class ImageFormatError extends DatasetError {
  override readonly name = 'ImageFormatError';
  /** Machine-readable kind of problem. */
  readonly problem: ImageProblem;

  /**
   * @param source - the image file or folder
   * @param problem - the kind of problem
   * @param message - a human-readable description
   * @param options - standard `ErrorOptions` (e.g. the decoder's error as `cause`)
   */
  constructor(source: string, problem: ImageProblem, message: string, options?: ErrorOptions) {
    super(source, message, options);
    this.problem = problem;
  }
}

/** Why a CSV file was rejected. */
export type CsvProblem = 'empty' | 'ragged-row' | 'malformed' | 'duplicate-header';

/** A CSV text that cannot be read as a rectangular table. */
export class CsvFormatError extends DatasetError {
  override readonly name = 'CsvFormatError';
  /** Machine-readable kind of problem. */
  readonly problem: CsvProblem;
  /** 1-based record number (the header is record 1), when the problem is in one record. */
  readonly record: number | undefined;

  /**
   * @param source - the file path or label
   * @param problem - the kind of problem
   * @param message - a human-readable description
   * @param record - 1-based record number, if any
   */
  constructor(source: string, problem: CsvProblem, message: string, record?: number) {
    super(source, message);
    this.problem = problem;
    this.record = record;
  }
}

/** Why a table does not fit its schema. */
export type SchemaProblem =
  | 'not-numeric'
  | 'not-binary'
  | 'unknown-category'
  | 'unknown-column'
  | 'missing-column'
  | 'bad-schema';

/** A table whose values disagree with its (given or inferred) schema. */
export class SchemaError extends DatasetError {
  override readonly name = 'SchemaError';
  /** Machine-readable kind of problem. */
  readonly problem: SchemaProblem;
  /** The column concerned, if any. */
  readonly column: string | undefined;
  /** 1-based record number (the header is record 1), if any. */
  readonly record: number | undefined;

  /**
   * @param source - the file path or label
   * @param problem - the kind of problem
   * @param message - a human-readable description
   * @param column - the column concerned, if any
   * @param record - 1-based record number, if any
   */
  constructor(source: string, problem: SchemaProblem, message: string, column?: string, record?: number) {
    super(source, message);
    this.problem = problem;
    this.column = column;
    this.record = record;
  }
}

/** A named dataset whose files could not be found in any of the places searched. */
export class DatasetNotFoundError extends DatasetError {
  override readonly name = 'DatasetNotFoundError';
  /** The directories that were searched, in order. */
  readonly searched: readonly string[];

  /**
   * @param dataset - the dataset name (used as the source)
   * @param searched - directories searched, in order
   * @param message - the full explanation, including how to get the files
   */
  constructor(dataset: string, searched: readonly string[], message: string) {
    super(dataset, message);
    this.searched = searched;
  }
}

/** Two arrays that should describe the same examples disagree (counts, shapes, label range). */
export class DatasetShapeError extends DatasetError {
  override readonly name = 'DatasetShapeError';
}

/** An invalid argument to a dataset, batcher or transform function. */
export class DatasetArgumentError extends DatasetError {
  override readonly name = 'DatasetArgumentError';
}

/** Data whose checksum differs from the pinned value (e.g. a modified package or a corrupt cache). */
export class ChecksumError extends DatasetError {
  override readonly name = 'ChecksumError';
  /** The pinned checksum. */
  readonly expected: string;
  /** The checksum found. */
  readonly actual: string;

  /**
   * @param source - the file or package concerned
   * @param what - which part was checked
   * @param expected - the pinned checksum
   * @param actual - the checksum found
   */
  constructor(source: string, what: string, expected: string, actual: string) {
    super(source, `${what} checksum mismatch: expected sha256 ${expected}, found ${actual}`);
    this.expected = expected;
    this.actual = actual;
  }
}

/** Why an NPY/NPZ file (or an array in it) was rejected. */
export type NpyProblem =
  | 'bad-magic'
  | 'bad-version'
  | 'bad-header'
  | 'bad-dtype'
  | 'bad-shape'
  | 'too-large'
  | 'truncated'
  | 'trailing-data'
  | 'bad-zip'
  | 'missing-key'
  | 'bad-labels';

/** A NumPy `.npy` / `.npz` file whose bytes (or arrays) cannot be used as a dataset. */
export class NpyFormatError extends DatasetError {
  override readonly name = 'NpyFormatError';
  /** Machine-readable kind of problem. */
  readonly problem: NpyProblem;

  /**
   * @param source - the file path or label (`file.npz[x.npy]` for an archive member)
   * @param problem - the kind of problem
   * @param message - a human-readable description
   * @param options - standard `ErrorOptions`
   */
  constructor(source: string, problem: NpyProblem, message: string, options?: ErrorOptions) {
    super(source, message, options);
    this.problem = problem;
  }
}
