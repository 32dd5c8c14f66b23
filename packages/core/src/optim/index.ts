/**
 * Optimizers as graph transforms (SGD, Adam, AdamW as torch.optim defines them), gradient clipping
 * and learning-rate schedules written as ops on the step tensor.
 * @packageDocumentation
 */
export { ADAM_M, ADAM_V, type AdamOptions, adam, adamw } from './adam';
export { clipByGlobalNorm } from './clip';
export {
  type HostMap,
  type LoopUpdate,
  type Optimizer,
  OptimizerError,
  STEP,
  type TensorMap,
  type UpdateArgs,
  type UpdateResult,
} from './optimizer';
export {
  constantLR,
  cosineLR,
  type LearningRate,
  linearWarmupLR,
  lrAt,
  type Schedule,
  scheduleValue,
  stepLR,
} from './schedule';
export { SGD_MOMENTUM, type SgdOptions, sgd } from './sgd';
