// @vae/core/bundle: the reading side of an exported model bundle (the contract between the Node
// exporter and a browser). Browser-safe and small: it imports nothing from models, the IR or ONNX;
// the writing side (createBundle) lives in ../export and is exported by the main entry.
export { isUserError, USER_ERROR, UserError } from '../errors/user-error';
export type { BundleErrorReason } from './errors';
export { BundleError } from './errors';
export { float16BitsToFloat32, float32ToFloat16Bits, fromFloat16Array, toFloat16Array } from './float16';
export type { GibbsGraphs, GibbsOptions, GibbsResult } from './gibbs-inpaint';
export { metropolisWithinGibbs } from './gibbs-inpaint';
export { sha256Hex, verifyBundleFiles } from './hash';
export type { LatentMapData } from './latent-map';
export { decodeLatentMap, encodeLatentMap } from './latent-map';
export { combineLogWeightChunks, importanceWeightedMean } from './log-weights';
export type {
  BundleCondition,
  BundleData,
  BundleDataScaling,
  BundleDtype,
  BundleFileEntry,
  BundleGraphInfo,
  BundleGraphs,
  BundleImage,
  BundleLatentMap,
  BundleLikelihood,
  BundleManifest,
  BundleParity,
  BundlePrior,
  BundleSeries,
  BundleTabular,
  BundleTabularColumn,
  BundleTensorInfo,
  BundleTestScores,
  BundleText,
  TabularColumn,
} from './manifest';
export { BUNDLE_FORMAT, BUNDLE_FORMAT_VERSION, TEXT_RESERVED } from './manifest';
export { manifestSchema, parseManifest, parseManifestText } from './parse-manifest';
export { requireGraph, seriesScaling } from './sequence-checks';
export type { SeriesWindowsInput } from './series-windows';
export { featuresFromWindows, SeriesWindowError, windowsFromFeatures } from './series-windows';
export { tabularColumnWidth, tabularScaling } from './tabular-checks';
export type { TabularRow, TabularRowInput, TabularValue } from './tabular-rows';
export {
  featuresFromRows,
  formatTabularValue,
  rowsFromFeatures,
  TabularRowError,
  tabularWidth,
} from './tabular-rows';
export { scorePercentile, summarizeTestScores, TEST_SCORE_BINS, TEST_SCORE_QUANTILES } from './test-scores';
export { stringsFromTextIds, TextInputError, textIdsFromStrings } from './text-ids';
