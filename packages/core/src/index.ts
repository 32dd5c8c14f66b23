// @vae/core public API. Explicit named exports only; internals stay private.

// Randomness with explicit keys: @vae/random's, re-exported so `@vae/core` users need one import.
export type { PRNGKey } from '@vae/random';
export {
  bernoulli,
  fold,
  InvalidSeedError,
  key,
  normal,
  permutation,
  randomBits,
  split,
  uniform,
} from '@vae/random';
// Reverse-mode autodiff
export { grad } from './autodiff/grad';
export type { VjpRule } from './autodiff/vjp-rules';
export { notDifferentiable, vjpRules, zeroGradient } from './autodiff/vjp-rules';
// Backends: compile a graph once, run it with feeds, carry state between runs
export type { Backend, BuiltGraph, CompiledGraph, Feeds, StatefulGraph } from './backend/backend';
export { InterpreterBackend } from './backend/interpreter-backend';
export type { BackendFailure, ResolvedBackend } from './backend/registry';
export {
  BackendRegistry,
  BackendUnavailableError,
  backends,
  registerBackend,
  resolveBackend,
} from './backend/registry';
export {
  type OrtSessionLike,
  type OrtTensorLike,
  type SessionGraphOptions,
  sessionGraph,
} from './backend/session-graph';
export { carryState } from './backend/state';
// Exported model bundles: the reading side (manifest, hashes, float16, latent map; also the
// browser-safe entry `@vae/core/bundle`) and the writing side (createBundle, in export/)
export type {
  BundleCondition,
  BundleData,
  BundleDataScaling,
  BundleDtype,
  BundleErrorReason,
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
  GibbsGraphs,
  GibbsOptions,
  GibbsResult,
  LatentMapData,
  TabularRow,
  TabularRowInput,
  TabularValue,
} from './bundle/index';
export {
  BUNDLE_FORMAT,
  BUNDLE_FORMAT_VERSION,
  BundleError,
  decodeLatentMap,
  encodeLatentMap,
  featuresFromRows,
  featuresFromWindows,
  float16BitsToFloat32,
  float32ToFloat16Bits,
  formatTabularValue,
  fromFloat16Array,
  importanceWeightedMean,
  manifestSchema,
  metropolisWithinGibbs,
  parseManifest,
  parseManifestText,
  requireGraph,
  rowsFromFeatures,
  SeriesWindowError,
  scorePercentile,
  seriesScaling,
  sha256Hex,
  stringsFromTextIds,
  summarizeTestScores,
  TabularRowError,
  TEXT_RESERVED,
  TextInputError,
  tabularScaling,
  tabularWidth,
  textIdsFromStrings,
  toFloat16Array,
  verifyBundleFiles,
  windowsFromFeatures,
} from './bundle/index';
// Distributions and KL divergences
export type {
  DiscretizedLogisticOptions,
  Distribution,
  DistributionOptions,
  KLFn,
  Param,
} from './distributions/index';
export {
  Bernoulli,
  Categorical,
  ContinuousBernoulli,
  DiscretizedLogistic,
  DistributionBase,
  DistributionError,
  getValidateArgs,
  hasKL,
  Independent,
  KLNotImplemented,
  kl,
  Laplace,
  LogisticNormal,
  MixtureSameFamily,
  NoClosedFormError,
  Normal,
  NotReparameterizedError,
  registerKL,
  SequenceCategorical,
  setValidateArgs,
} from './distributions/index';
// Errors: user-facing (the message is the whole story) vs bugs
export { isUserError, USER_ERROR, UserError } from './errors/user-error';
// Evaluation passes on any backend: per-example ELBO, importance-sampled log p(x), their graphs
export type { EvalGraph } from './eval/eval-graphs';
export {
  buildElboGraph,
  buildLogWeightGraph,
  CORRUPTED_INPUT,
  dataInputs,
  padRows,
  sliceRows,
} from './eval/eval-graphs';
export type { ElboPass, SplitInputs } from './eval/evaluate';
export { elboPass, importanceSampledLogLikelihood, mean } from './eval/evaluate';
export { type BundleRunner, bundleElboPass, bundleRunner } from './export/bundle-elbo';
export {
  bundleTestScores,
  TEST_SCORE_EXAMPLES,
  TEST_SCORE_K,
  TEST_SCORE_SEED,
  testScoreSummary,
} from './export/bundle-test-scores';
export {
  type ExportParity,
  type ExportParityRun,
  exportParity,
  latentMapMeta,
  maxAbsDiff,
} from './export/export-checks';
export type { Bundle, BundleMeta } from './export/index';
export { amendManifest, BUNDLE_FILES, createBundle } from './export/index';
export { pca2 } from './export/pca';
// Tensor-graph IR
export type { DataOf, DType, HostTensor } from './ir/dtype';
export { allocData, f32, fromNumbers, hostTensor, i64, sizeOf, toNumbers } from './ir/dtype';
export { FeedError, IRError, MissingRuleError, NotDifferentiableError, ShapeError } from './ir/errors';
export { Graph, Node } from './ir/graph';
export { interpret } from './ir/interpret';
export type { Kernel, KernelContext } from './ir/kernels/index';
export { kernels } from './ir/kernels/index';
export type { LoopBody } from './ir/loop';
export { loop } from './ir/loop';
export type { AttrKind, AttrSpec, Attrs, AttrValue, OpName, OpSpec, SubgraphAttr } from './ir/ops';
export { isOpName, opNames, ops } from './ir/ops';
export type { Dim, Shape } from './ir/shape';
export { broadcastShapes, formatShape } from './ir/shape';
export type { ShapeRule, TensorMeta } from './ir/shape-rules';
export { shapeRules } from './ir/shape-rules';
export { Tensor } from './ir/tensor';
// Layers (data-only specs; `initLayer` / `applyLayer` to avoid generic top-level names)
export type {
  ActivationFn,
  ApplyContext,
  Conv1dSpec,
  ConvStackOptions,
  ConvTranspose1dSpec,
  EmbeddingSpec,
  GruOptions,
  GruParams,
  GruSpec,
  InitScheme,
  LayerSpec,
  LayerType,
  LstmOptions,
  LstmParams,
  LstmSpec,
  ParamInfo,
  PermuteSpec,
  RepeatSpec,
} from './layers/index';
export {
  apply as applyLayer,
  convDecoder,
  convDecoder28,
  convEncoder,
  convEncoder28,
  convStackProblem,
  convStackSizes,
  DEFAULT_CONV_HIDDEN,
  gru,
  init as initLayer,
  LayerSpecError,
  lstm,
  mlp,
  outputShape,
  paramCount,
  paramShapes,
  validate as validateLayer,
} from './layers/index';
// Models
export type {
  AESpec,
  Batch,
  ConditionSpec,
  ConvVAEImageOptions,
  ConvVAEOptions,
  DenoiseSpec,
  InpaintGraph,
  LikelihoodSpec,
  LossOptions,
  MlpVAEOptions,
  ModelSpec,
  Params,
  PriorSpec,
  ProbabilityGraph,
  ProbabilityRole,
  SeriesConvVAEOptions,
  SeriesGruVAEOptions,
  SeriesStepTerms,
  SeriesVAEOptions,
  TabularColumn,
  TabularVAEOptions,
  TextBatch,
  TextDecoderSpec,
  TextVAEOptions,
  VAERole,
  VAESpec,
} from './models/index';
export {
  AE,
  checkDenoise,
  convVAE,
  convVAE28,
  corrupt,
  decodeTextIds,
  importanceInpaintGraph,
  likelihoodFrom,
  ModelSpecError,
  mlpVAE,
  modelFromSpec,
  observedLogLikelihood,
  probabilityRoleGraph,
  roleGibbsGraphs,
  sequenceMask,
  seriesConvLengths,
  seriesConvVAE,
  seriesGruVAE,
  seriesStepScoreGraph,
  seriesStepTerms,
  shiftRight,
  TabularLikelihood,
  TEXT_IDS,
  TextVAE,
  tabularInputSize,
  tabularOutputSize,
  tabularVAE,
  textDecodeGraph,
  textVAE,
  textVAESpec,
  VAE,
  validateTextVAE,
  vampComponents,
} from './models/index';
export { activeUnits, columnMeans } from './objectives/diagnostics';
// Objectives and diagnostics
export type { ElboInput, ElboTerms } from './objectives/elbo';
export { elbo, klPerDimension } from './objectives/elbo';
export type { ImportanceInput } from './objectives/iwae';
export { combineLogWeightChunks, iwaeBound, logImportanceWeights, logMeanExp } from './objectives/iwae';
export type { KLSchedule } from './objectives/schedules';
export { cyclicalWarmup, linearWarmup } from './objectives/schedules';
// ONNX
export { dequantizeInt8 } from './onnx/dequantize-int8';
export type { LowerOptions } from './onnx/lower';
export { IR_VERSION, lowerToModel, OPSET, toOnnx } from './onnx/lower';
export type { LowerContext, LowerRule } from './onnx/lower-rules';
export { lowerRules } from './onnx/lower-rules';
export { decodeModel, encodeModel, OnnxDecodeError } from './onnx/onnx-proto';
export type * from './onnx/onnx-types';
export { OnnxDataType } from './onnx/onnx-types';
export type { LowerPass, PassContext, Rewrite } from './onnx/passes/index';
export { lowerPasses } from './onnx/passes/index';
export type { ImportedModel } from './onnx/read';
export { fromOnnx, OnnxImportError } from './onnx/read';
// Optimizers and learning-rate schedules (update rules written as graph ops)
export type {
  AdamOptions,
  HostMap,
  LearningRate,
  LoopUpdate,
  Optimizer,
  Schedule,
  SgdOptions,
  TensorMap,
} from './optim/index';
export {
  adam,
  adamw,
  clipByGlobalNorm,
  constantLR,
  cosineLR,
  linearWarmupLR,
  OptimizerError,
  scheduleValue,
  sgd,
  stepLR,
} from './optim/index';
// Noise as graph inputs, filled from a key
export type { NoiseDraw, NoiseSource } from './random/noise';
export { GraphNoise } from './random/noise';
// The training engine on any backend: K-step graphs, their feeds, the epoch loop, checkpoints
export type { Checkpoint, TrainProgress } from './train/checkpoint';
export {
  CheckpointError,
  decodeCheckpoint,
  decodeParams,
  encodeCheckpoint,
  encodeParams,
} from './train/checkpoint';
export { ImageCorrupter } from './train/corrupt-images';
export type {
  BatchFiller,
  DataRequest,
  DataSource,
  FeedMakerInit,
  StepDataKeys,
} from './train/data-source';
export { FeedMaker, inlineDataSource } from './train/data-source';
export { NonFiniteLossError, TrainConfigError } from './train/errors';
export { stepNoiseFeeds } from './train/noise-feeds';
export { decodeSafetensors, encodeSafetensors, SafetensorsError } from './train/safetensors';
export { SlicedNoise } from './train/sliced-noise';
export type { StepGraph, StepGraphOptions } from './train/step-graph';
export { buildStepGraph, NEXT_PREFIX, STATE_PREFIX } from './train/step-graph';
export type {
  MetricsSink,
  StepCall,
  StepLoopOptions,
  StepPosition,
  StepRunner,
} from './train/step-loop';
export { EpochTotals, nanGuard, StepLoop } from './train/step-loop';
export { TRAIN_DEFAULTS } from './train/train-defaults';
export type {
  CheckpointSink,
  StepDataInit,
  TrainLoopOptions,
  TrainSetInfo,
} from './train/train-loop';
export { runSizes, trainLoop } from './train/train-loop';
export type { CallListener, ProgressEvent, TrainRecipe, TrainResult } from './train/train-types';
export { defaultStepsPerRun, EVAL_SEED, runKeys } from './train/train-types';
export type { BestSoFar, ValidationFigures } from './train/validation';
export { stopsEarly, trackBest, validationInputs, validationPass } from './train/validation';
