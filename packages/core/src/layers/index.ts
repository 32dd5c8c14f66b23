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
export { fans, init } from './init';
export { convDecoder28, convEncoder28, mlp } from './presets';
export { forEachLeaf, leafParams, outputShape, type ParamInfo, paramCount, paramShapes } from './shapes';
export {
  type ActivationFn,
  type ActivationSpec,
  type BatchNormSpec,
  type Conv2dSpec,
  type ConvTranspose2dSpec,
  type DenseSpec,
  type DropoutSpec,
  type FlattenSpec,
  type InitScheme,
  type LayerNormSpec,
  type LayerSpec,
  LayerSpecError,
  type LayerType,
  type Pair,
  type ReshapeSpec,
  type ResidualSpec,
  type SequentialSpec,
  type UpsampleSpec,
} from './spec';
export { validate } from './validate';
