// The writing side of a bundle: a trained VAE -> encoder.onnx, decoder.onnx, manifest.json.
// It lowers the model's role graphs; what it writes is read back by the bundle entry (../bundle).
export type { Bundle, BundleMeta } from './create';
export { amendManifest, BUNDLE_FILES, createBundle } from './create';
