// @vae/infer-web public API. Explicit named exports only; internals stay private.

// Re-exported so a page needs one import for keys, draws and manifests. Manifests come from core's
// browser-safe bundle entry; the PRNG names from @vae/random.
export type {
  BundleManifest,
  BundleSeries,
  BundleTabularColumn,
  BundleTestScores,
  BundleText,
  SeriesWindowsInput,
  TabularRow,
  TabularRowInput,
  TabularValue,
} from '@vae/core/bundle';
export { BundleError, formatTabularValue, parseManifest, scorePercentile } from '@vae/core/bundle';
export type { PRNGKey } from '@vae/random';
export { fold, key, normal, split } from '@vae/random';
export type {
  Decoded,
  Encoded,
  ImputeOptions,
  Inpainted,
  InpaintOptions,
  KeyLike,
  LoadOptions,
  PictureOptions,
  Reconstruction,
  SampleOptions,
  ScoreOptions,
  TabularSampleOptions,
  TextDecodeOptions,
  TextSampleOptions,
  VaeModel,
  ValueOptions,
  WindowReconstruction,
  WindowScores,
} from './api';
export type { InferErrorReason } from './errors';
export { InferError } from './errors';
export type { ImageGeometry, RgbaOptions } from './image';
export { gridRGBA, toImageData, toRGBA } from './image';
export type { Condition, Rows } from './inputs';
export { interpolatePath, traversePath } from './latent-ops';
export { loadModel } from './load';
export type { PreviewSamples } from './preview';
export { hasPreview, previewSamples, readPreview } from './preview';
export type { Backend, RuntimeOptions } from './runtime';
export { chooseThreads } from './runtime';
export type { BundleFileData, BundleSource, FileListLike, LoadedBundle } from './source';
export { readBundle } from './source';
export { serveModel } from './worker-host';
export type { MessageEndpoint } from './worker-protocol';
