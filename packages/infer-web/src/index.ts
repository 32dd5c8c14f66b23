// @vae/infer-web: loading exported bundles on onnxruntime-web arrives with its issue.
// Until then it re-exports the core pieces a browser page can already use.
export { fromOnnx, interpret, key, normal, OPSET, split } from '@vae/core';
