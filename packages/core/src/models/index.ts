export { AE } from './ae';
export type { ConvVAEOptions, MlpVAEOptions, TabularVAEOptions } from './builders';
export { convVAE28, mlpVAE, tabularVAE } from './builders';
export { type ConvVAEImageOptions, convVAE } from './conv-vae';
export { checkDenoise, corrupt } from './corruption';
export { decodeTextIds, textDecodeGraph } from './decode-text';
export type { InpaintGraph } from './inpaint';
export { importanceInpaintGraph, observedLogLikelihood } from './inpaint';
export { roleGibbsGraphs } from './inpaint-graphs';
export { likelihoodFrom, likelihoodParamShape } from './likelihood';
export { buildPrior } from './prior';
export type { ProbabilityGraph, ProbabilityRole } from './probability-roles';
export { probabilityRoleGraph, VAMP_LOC, VAMP_SCALE, vampComponents } from './probability-roles';
export { type SeriesStepTerms, seriesStepScoreGraph, seriesStepTerms } from './series-scores';
export {
  type SeriesConvVAEOptions,
  type SeriesGruVAEOptions,
  type SeriesVAEOptions,
  seriesConvLengths,
  seriesConvVAE,
  seriesGruVAE,
} from './series-vae';
export type {
  AESpec,
  ConditionSpec,
  DenoiseSpec,
  LikelihoodSpec,
  ModelSpec,
  PriorSpec,
  TabularColumn,
  TextDecoderSpec,
  VAESpec,
} from './spec';
export { ModelSpecError } from './spec';
export { tabularEncoderInput } from './tabular-input';
export { TabularLikelihood, tabularInputSize, tabularOutputSize } from './tabular-likelihood';
export { sequenceMask, shiftRight } from './text-decoder';
export { TEXT_IDS, type TextVAEOptions, textVAESpec, validateTextVAE } from './text-spec';
export { modelFromSpec, type TextBatch, TextVAE, textVAE } from './text-vae';
export type { Batch, LossOptions, Params, VAERole } from './vae';
export { VAE } from './vae';
