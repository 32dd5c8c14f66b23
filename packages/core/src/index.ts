// @vae/core public API. Explicit named exports only; internals stay private.

// Reverse-mode autodiff
export { grad } from './autodiff/grad';
export type { VjpRule } from './autodiff/vjp-rules';
export { notDifferentiable, vjpRules, zeroGradient } from './autodiff/vjp-rules';
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
export type { AttrKind, AttrSpec, Attrs, AttrValue, OpName, OpSpec } from './ir/ops';
export { isOpName, opNames, ops } from './ir/ops';
export type { Dim, Shape } from './ir/shape';
export { broadcastShapes, formatShape } from './ir/shape';
export type { ShapeRule, TensorMeta } from './ir/shape-rules';
export { shapeRules } from './ir/shape-rules';
export { Tensor } from './ir/tensor';

// ONNX
export type { LowerOptions } from './onnx/lower';
export { IR_VERSION, lowerToModel, OPSET, toOnnx } from './onnx/lower';
export type { LowerContext, LowerRule } from './onnx/lower-rules';
export { lowerRules } from './onnx/lower-rules';
export { decodeModel, encodeModel, OnnxDecodeError } from './onnx/onnx-proto';
export type * from './onnx/onnx-types';
export { OnnxDataType } from './onnx/onnx-types';
export type { ImportedModel } from './onnx/read';
export { fromOnnx, OnnxImportError } from './onnx/read';

// Randomness with explicit keys
export type { PRNGKey } from './random/index';
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
} from './random/index';
