// @vae/core/onnx: ONNX models as data, browser-safe and without onnxruntime: read a model file into
// the IR and run it with the reference interpreter (exact float32, no wasm to fetch), e.g. to paint
// a first picture while onnxruntime-web loads. The main entry has all of this and more.
export { interpret } from './ir/interpret';
export { dequantizeInt8 } from './onnx/dequantize-int8';
export { fromOnnx, OnnxImportError } from './onnx/read';
