/**
 * Hand-written codec between ONNX's protobuf bytes and the plain objects of `onnx-types.ts`.
 * Field numbers follow onnx.proto (checked against onnx 1.12's copy).
 */
export { decodeModel } from './onnx-proto-decode';
export { encodeModel } from './onnx-proto-encode';
export { OnnxDecodeError } from './protobuf';
