/**
 * `@vae/datasets/pure`: everything that needs no Node built-ins (IDX parsing from bytes, datasets,
 * batching, transforms, CSV and schemas, synthetic data, the PRNG), for browsers and workers.
 * The main entry `@vae/datasets` re-exports all of this plus the Node file loaders.
 */

export { type Batch, Batcher, type BatcherOptions } from './batching/batcher';
export { Feeder, type FeedSpec, type FeedTensor } from './batching/feeder';
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
  ImageFormatError,
  type ImageProblem,
  NpyFormatError,
  type NpyProblem,
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
  compositeOnBlack,
  type ImageFit,
  isGrey,
  type RawImage,
  type ResampleOptions,
  resampleImage,
  rgbToGrey,
} from './image/resample';
export {
  FASHION_MNIST_CLASS_NAMES,
  MNIST_CLASS_NAMES,
  MNIST_FILE_NAMES,
  type MnistFamily,
  type MnistFileRole,
  type MnistSplitArrays,
  mnistSplitFromIdx,
} from './mnist-family/mnist-family';
export {
  type ArrayDataset,
  type ArrayLayoutOptions,
  arrayDataset,
  examplesFromArray,
  labelsFromArray,
  NPY_DATA_DTYPES,
  NPY_LABEL_DTYPES,
  type NumericArray,
  numericClassNames,
  toChannelsFirst,
} from './npy/array-dataset';
export {
  describeDTypes,
  NPY_DEFAULT_MAX_BYTES,
  NPY_DTYPES,
  NPY_MAX_HEADER_BYTES,
  type NpyDType,
  type NpyHeader,
  type NpyReadOptions,
  readNpyHeader,
} from './npy/npy-header';
export { decodeNpyData, type NpyArray, type NpyDTypeArray, parseNpy } from './npy/npy-parser';
export { type NpzContents, type NpzReadOptions, npzMemberSource, parseNpz } from './npy/npz';
export {
  type DataKey,
  dataKey,
  fillNormal,
  fillUniform,
  fillWords,
  foldIn,
  type KeyLike,
  permutation,
  splitKey,
  threefry2x32,
  toDataKey,
} from './random';
export {
  type SeriesColumns,
  type SeriesMissing,
  seriesColumns,
} from './series/series-columns';
export {
  type SeriesPeriod,
  type SeriesWindowOptions,
  type SeriesWindows,
  seriesWindows,
  windowStarts,
} from './series/series-windows';
export { stepScores } from './series/step-scores';
export { splitTestFraction, type TestFractionOptions, type TestFractionSplit } from './split/test-fraction';
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
  columnDecimals,
  inferUsableSchema,
  subTable,
  TABULAR_TEST_FRACTION,
  TABULAR_VAL_FRACTION,
  type TabularBundleColumn,
  type TabularSplit,
  tabularBundleColumns,
  tabularSplitRows,
} from './tabular/prepare';
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
export {
  buildCharVocab,
  type CharCorpus,
  type CharCorpusOptions,
  type CharVocab,
  charCorpus,
  decodeChars,
  encodeChars,
  TEXT_BOS,
  TEXT_EOS,
  TEXT_PAD,
  TEXT_UNK,
} from './text/char-corpus';
