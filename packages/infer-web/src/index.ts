// @vae/infer-web public API. Explicit named exports only; internals stay private.

// Re-exported from @vae/core so a page needs one import for keys, draws, manifests and graph inspection.
export type { BundleManifest, PRNGKey } from '@vae/core';
export { BundleError, fold, fromOnnx, interpret, key, normal, OPSET, parseManifest, split } from '@vae/core';
export type {
  Decoded,
  Encoded,
  KeyLike,
  LoadOptions,
  PictureOptions,
  Reconstruction,
  SampleOptions,
  ScoreOptions,
  VaeModel,
  ValueOptions,
} from './api';
export type { InferErrorReason } from './errors';
export { InferError } from './errors';
export type { ImageGeometry, RgbaOptions } from './image';
export { gridRGBA, toImageData, toRGBA } from './image';
export type { Condition, Rows } from './inputs';
export { interpolatePath, traversePath } from './latent-ops';
export { likelihoodValues, logLikelihood } from './likelihood';
export { loadModel } from './load';
export { logPrior, samplePrior } from './prior';
export type { Backend, RuntimeOptions } from './runtime';
export { chooseThreads } from './runtime';
export type { BundleFileData, BundleSource, FileListLike, LoadedBundle } from './source';
export { readBundle } from './source';
export { serveModel } from './worker-host';
export type { MessageEndpoint } from './worker-protocol';
