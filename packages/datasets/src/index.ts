/**
 * `@vae/datasets`: datasets for vae. IDX (MNIST-family) files plain or gzip, Fashion-MNIST and
 * MNIST from local files, the embedded default digits, CSV/tabular data with schemas, synthetic
 * 2-D data, and reproducible batching with transforms. The Node-only loaders (file access) are
 * exported here too; `@vae/datasets/pure` has the rest without Node built-ins.
 */

// ... and the Node-only loaders (file access).
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
// Everything without Node built-ins (its explicit export list lives in pure.ts) ...
export * from './pure';
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
