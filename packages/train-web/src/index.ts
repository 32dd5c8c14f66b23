// @vae/train-web public API. Explicit named exports only; internals stay private.

// The page side: a trainer in a Web Worker.
export { BrowserTrainer, type ResumeOptions, type StartOptions } from './client';
// Typed errors (each crosses the worker boundary as { name, message } and is rebuilt on the page).
export {
  BackendError,
  errorFromMessage,
  errorToMessage,
  NonFiniteLossError,
  RecipeError,
  StoreError,
  TrainDataError,
  TrainerStateError,
  type TrainWebErrorName,
  WorkerError,
} from './errors';
// core's Backend on onnxruntime-web.
export { type CompiledGraph, OrtWebBackend, type OrtWebBackendOptions } from './ort-web-backend';
// Run storage: OPFS, IndexedDB fallback, memory.
export {
  defaultStorage,
  hasIndexedDb,
  hasOpfs,
  IDB_NAME,
  idbStorage,
  listRuns,
  memoryStorage,
  OPFS_FOLDER,
  openRunStore,
  opfsStorage,
  type RunStorage,
  type RunStore,
} from './store/index';
export { chooseThreads } from './threads';
export {
  DIGITS_VAL_COUNT,
  type RunData,
  readTrainData,
  type TabularInfo,
  type TrainData,
} from './trainer/data';
export { buildModel, buildOptimizer } from './trainer/model';
export type {
  EpochMessage,
  FromWorker,
  MessageEndpoint,
  ProgressMessage,
  ReadyMessage,
  SamplesMessage,
  StartMessage,
  ToWorker,
  TrainerEvent,
  TrainerEventType,
  WasmPaths,
} from './trainer/protocol';
export { checkRecipe, RECIPE_DEFAULTS, type Recipe, stepsPerRunFor } from './trainer/recipe';
export { RUN_FILES, type WebRunConfig } from './trainer/run-files';
export { type ServeOptions, serveTrainer } from './trainer/serve';
