/**
 * Layers as data: JSON-serialisable specs, `init` for their parameters, `apply` to build their graph.
 * @packageDocumentation
 */
export { type ApplyContext, apply } from './apply';
export {
  type ConvStackOptions,
  convDecoder,
  convEncoder,
  convStackProblem,
  convStackSizes,
  DEFAULT_CONV_HIDDEN,
} from './conv-stack';
export { type AnyConv1dSpec, applyConv1d, type Padding1d, pads1d } from './conv1d';
export { applyEmbedding } from './embedding';
export { type GruOptions, type GruParams, gru } from './gru';
export { fans, init } from './init';
export { type LstmOptions, type LstmParams, lstm } from './lstm';
export {
  applyPermute,
  applyRepeat,
  type PermuteSpec,
  permProblem,
  type RepeatSpec,
} from './permute';
export { convDecoder28, convEncoder28, mlp } from './presets';
export { forEachLeaf, leafParams, outputShape, type ParamInfo, paramCount, paramShapes } from './shapes';
export {
  type ActivationFn,
  type ActivationSpec,
  type BatchNormSpec,
  type Conv1dSpec,
  type Conv2dSpec,
  type ConvTranspose1dSpec,
  type ConvTranspose2dSpec,
  type DenseSpec,
  type DropoutSpec,
  type EmbeddingSpec,
  type FlattenSpec,
  type GruSpec,
  type InitScheme,
  type LayerNormSpec,
  type LayerSpec,
  LayerSpecError,
  type LayerType,
  type LstmSpec,
  type Pair,
  type ReshapeSpec,
  type ResidualSpec,
  type SequentialSpec,
  type UpsampleSpec,
} from './spec';
export { validate } from './validate';
