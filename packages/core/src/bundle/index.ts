export type { Bundle, BundleMeta } from './create';
export { amendManifest, BUNDLE_FILES, createBundle } from './create';
export type { BundleErrorReason } from './errors';
export { BundleError } from './errors';
export { float16BitsToFloat32, float32ToFloat16Bits, fromFloat16Array, toFloat16Array } from './float16';
export { sha256Hex, verifyBundleFiles } from './hash';
export type { LatentMapData } from './latent-map';
export { decodeLatentMap, encodeLatentMap } from './latent-map';
export type {
  BundleCondition,
  BundleData,
  BundleDataScaling,
  BundleDtype,
  BundleFileEntry,
  BundleGraphInfo,
  BundleImage,
  BundleLatentMap,
  BundleLikelihood,
  BundleManifest,
  BundleParity,
  BundlePrior,
  BundleTensorInfo,
} from './manifest';
export {
  BUNDLE_FORMAT,
  BUNDLE_FORMAT_VERSION,
  manifestSchema,
  parseManifest,
  parseManifestText,
} from './manifest';
