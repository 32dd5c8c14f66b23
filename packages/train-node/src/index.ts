// @vae/train-node: train VAEs on onnxruntime-node, checkpoint, evaluate, export bundles.

// The backend-agnostic engine lives in @vae/core (step graphs, trainLoop, evaluation passes,
// checkpoint bytes, pca2) and the Feeder in @vae/datasets; re-exported here, as before the move.
export type {
  Checkpoint,
  ElboPass,
  SplitInputs,
  StepGraph,
  StepGraphOptions,
  TrainProgress,
} from '@vae/core';
export {
  buildStepGraph,
  CheckpointError,
  decodeSafetensors,
  EVAL_SEED,
  elboPass,
  encodeSafetensors,
  importanceSampledLogLikelihood,
  NEXT_PREFIX,
  NonFiniteLossError,
  pca2,
  runKeys,
  SafetensorsError,
  STATE_PREFIX,
  TrainConfigError,
} from '@vae/core';
export type { FeedSpec } from '@vae/datasets';
export { Feeder } from '@vae/datasets';
export { AnomalyLabelsError } from './anomaly/anomaly-labels';
export type { AnomalyReport, ThresholdReport } from './anomaly/anomaly-report';
export type { RocPoint } from './anomaly/ranking';
export { auprc, auroc, rocCurve, thresholdAtFpr } from './anomaly/ranking';
export type { ScoreCommandOptions, ScoreResult } from './anomaly/score-command';
export { scoreCommand } from './anomaly/score-command';
export type { ScoreMethodName, ScoreParts } from './anomaly/score-methods';
export { SCORE_METHODS } from './anomaly/score-methods';
export { DEFAULT_SCORE } from './anomaly/score-options';
export type { ScoreScale } from './anomaly/standardise';
export { StandardiseError, standardisedSum, validationScale } from './anomaly/standardise';
export { DEVICES, type Device, DeviceError, parseDevice } from './backend/device';
export type { CompiledGraph, OrtBackendOptions } from './backend/ort-backend';
export { FeedError, OnnxModelError, OrtBackend, requireDevice } from './backend/ort-backend';
export type { ProfileRow, ProfileSummary } from './backend/ort-profile';
export { formatProfile, ProfileFormatError, profileFiles, summariseProfile } from './backend/ort-profile';
export { ORT_NODE_PRIORITY } from './backend/register';
export { writeFileAtomic } from './checkpoint/atomic';
export { loadCheckpoint, loadParams, saveCheckpoint, saveParams } from './checkpoint/checkpoint';
export type { RunData } from './data/load-data';
export { IMAGE_DATASETS, loadImageData, loadRunData, splitInputs } from './data/load-data';
export { loadTabularData } from './data/tabular-data';
export { imputeCommand } from './data/tabular-impute';
export type { SampleRowsOptions, SampleRowsResult } from './data/tabular-sample';
export { sampleRows, sampleRowsCommand } from './data/tabular-sample';
export { DEFAULT_TEST_FRACTION, USER_SPLIT_SEED } from './data/user-data';
export type {
  DenoiseCommandOptions,
  DenoiseResult,
  Quality as DenoiseQuality,
} from './denoise/denoise-command';
export { denoiseCommand } from './denoise/denoise-command';
export { psnr, ssim } from './denoise/image-quality';
export type { EmbedCommandOptions, EmbedResult } from './embed/embed-command';
export { embedCommand } from './embed/embed-command';
export type { EvalCommandOptions } from './eval/eval-command';
export { evalCommand } from './eval/eval-command';
export type { EvalReport } from './eval/evaluate';
export { report } from './eval/evaluate';
export type { ExportOptions, ExportResult } from './export/export-run';
export { BundleExistsError, exportRun, ParityError } from './export/export-run';
export { pngGrid } from './render/png-grid';
export type { DataInfo, LoadedRun, Recipe, RunConfig } from './run/run-dir';
export { loadRun, RunError, readConfig, runPaths, writeConfig } from './run/run-dir';
export type { RunLock, RunLockHolder } from './run/run-lock';
export { acquireRunLock, RunLockedError } from './run/run-lock';
export type { TrainCommandOptions } from './run/train-command';
export { trainCommand } from './run/train-command';
export type { SeriesEvalFields } from './series/series-eval';
export type { SeriesScoreOptions, SeriesScoreResult } from './series/series-score';
export { seriesScoreCommand } from './series/series-score';
export type { TextEvalFields } from './text/text-eval';
export type { TextFlags, TextRecipe } from './text/text-settings';
export type { TextInterpOptions, TextSampleOptions } from './text/text-views';
export { textInterpCommand, textSampleCommand } from './text/text-views';
export { MetricsLog, readMetrics } from './train/metrics-log';
export type { ProgressEvent, TrainOptions, TrainResult } from './train/trainer';
export { train } from './train/trainer';
export type { InspectResult } from './views/inspect';
export { formatInspect, inspectCommand } from './views/inspect';
export { interpCommand, slerp } from './views/interp';
export { plotCommand } from './views/plot';
export { reconCommand } from './views/recon';
export { sampleCommand } from './views/sample';
