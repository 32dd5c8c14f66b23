export { AE } from './ae';
export type { ConvVAEOptions, MlpVAEOptions, TabularVAEOptions } from './builders';
export { convVAE28, mlpVAE, tabularVAE } from './builders';
export { type ConvVAEImageOptions, convVAE } from './conv-vae';
export { likelihoodFrom, likelihoodParamShape } from './likelihood';
export { buildPrior } from './prior';
export type { ProbabilityGraph, ProbabilityRole } from './probability-roles';
export { probabilityRoleGraph, VAMP_LOC, VAMP_SCALE, vampComponents } from './probability-roles';
export type {
  AESpec,
  ConditionSpec,
  LikelihoodSpec,
  ModelSpec,
  PriorSpec,
  TabularColumn,
  VAESpec,
} from './spec';
export { ModelSpecError } from './spec';
export { tabularEncoderInput } from './tabular-input';
export { TabularLikelihood, tabularInputSize, tabularOutputSize } from './tabular-likelihood';
export type { Batch, LossOptions, Params } from './vae';
export { VAE } from './vae';
