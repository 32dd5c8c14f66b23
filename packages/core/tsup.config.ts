import { defineConfig } from 'tsup';

export default defineConfig({
  // index.ts is `@vae/core`; bundle/index.ts is `@vae/core/bundle` (the browser-safe reading side);
  // onnx-entry.ts is `@vae/core/onnx` (read ONNX into the IR, run the reference interpreter).
  entry: { index: 'src/index.ts', bundle: 'src/bundle/index.ts', onnx: 'src/onnx-entry.ts' },
  format: ['esm', 'cjs'],
  // Shared chunks in both formats: one BundleError / UserError class whichever entry a program loads.
  splitting: true,
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
});
