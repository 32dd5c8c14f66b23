/**
 * `@vae/datasets`: datasets for vae. IDX (MNIST-family) files plain or gzip, Fashion-MNIST and
 * MNIST from local files, the embedded default digits, CSV/tabular data with schemas, synthetic
 * 2-D data, and reproducible batching with transforms. The Node-only loaders (file access) are
 * exported here too; `@vae/datasets/pure` has the rest without Node built-ins.
 */

export { type Batch, Batcher, type BatcherOptions } from './batching/batcher';
export { materialize } from './batching/materialize';
export {
  computeStandardization,
  type StandardizationOptions,
  type StandardizationStats,
  standardize,
  unstandardize,
} from './batching/standardize';
export {
  applyTransforms,
  dynamicBinarize,
  type StaticBinarizeOptions,
  scaleToUnit,
  staticBinarize,
  type Transform,
  type TransformContext,
} from './batching/transforms';
export {
  createDataset,
  type Dataset,
  type DatasetInit,
  type DType,
  type DTypeArray,
  type Example,
  shapeSize,
  sliceDataset,
  subsetDataset,
} from './dataset';
export {
  DIGITS_CACHE_HEADER_BYTES,
  type DigitsCacheContents,
  decodeDigitsCache,
  encodeDigitsCache,
} from './embedded/digits-cache';
export {
  MNIST_DEFAULT_COUNT,
  MNIST_DEFAULT_IMAGES_SHA256,
  MNIST_DEFAULT_LABELS_SHA256,
  MNIST_DEFAULT_SPLIT_SEED,
  MNIST_DEFAULT_TRAIN_COUNT,
  type MnistDefault,
  splitMnistDefault,
} from './embedded/mnist-default';
export {
  ChecksumError,
  CsvFormatError,
  type CsvProblem,
  DatasetArgumentError,
  DatasetError,
  DatasetNotFoundError,
  DatasetShapeError,
  FileAccessError,
  IdxFormatError,
  type IdxProblem,
  SchemaError,
  type SchemaProblem,
} from './errors';
export {
  decodeIdxValues,
  encodeIdx,
  IDX_DEFAULT_MAX_BYTES,
  IDX_ELEMENT_BYTES,
  IDX_MAX_RANK,
  type IdxArray,
  type IdxDType,
  type IdxDTypeArray,
  type IdxHeader,
  type IdxReadOptions,
  idxTypeCode,
  readIdxHeader,
} from './idx/idx-format';
export { IdxAccumulator, type IdxAccumulatorOptions, parseIdx } from './idx/idx-parser';
export {
  FASHION_MNIST_CLASS_NAMES,
  MNIST_CLASS_NAMES,
  MNIST_FILE_NAMES,
  type MnistFamily,
  type MnistFileRole,
  type MnistSplitArrays,
  mnistSplitFromIdx,
} from './mnist-family/mnist-family';
export { readCsvFile } from './node/csv-node';
export { DEBIAN_FASHION_MNIST_DIR, fashionMnist, mnist } from './node/fashion-mnist-node';
export { readIdxFile, readIdxStream } from './node/idx-node';
export {
  type CacheStatus,
  defaultCacheDir,
  MNIST_DEFAULT_CACHE_FILE,
  type MnistDefaultOptions,
  type MnistDefaultResult,
  mnistDefault,
} from './node/mnist-default-node';
export { loadMnistFamily, type MnistFamilyLoadOptions, type MnistFamilySpec } from './node/mnist-family-node';
export { fillNormal, fillUniform, fillWords, permutation } from './random/draws';
export { type DataKey, dataKey, foldIn, type KeyLike, splitKey, toDataKey } from './random/key';
export { threefry2x32 } from './random/threefry';
export { gaussianMixture, type SyntheticOptions, spirals, twoMoons } from './synthetic/synthetic';
export { type CsvParseOptions, type CsvTable, DEFAULT_MISSING_TOKENS, parseCsv } from './tabular/csv';
export {
  type CategoricalEncoding,
  type ColumnEncoding,
  type EncodedTable,
  fitTabularEncoder,
  TabularEncoder,
  type TabularEncoderOptions,
  type TabularValue,
} from './tabular/encoder';
export { PENGUINS_SCHEMA, PENGUINS_SPECIES, penguins } from './tabular/penguins';
export {
  applySchema,
  type BinaryColumn,
  type CategoricalColumn,
  type ColumnSchema,
  type ContinuousColumn,
  checkSchema,
  type InferSchemaOptions,
  inferSchema,
  parseNumber,
  type TabularSchema,
  type TypedTable,
} from './tabular/schema';
export { labelsFromColumn, tabularDataset } from './tabular/tabular-dataset';
