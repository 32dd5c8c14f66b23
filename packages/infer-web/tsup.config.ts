import { defineConfig } from 'tsup';

export default defineConfig({
  // worker.ts is the module Web Worker entry (`@vae/infer-web/worker`); index.ts starts it as ./worker.js.
  entry: ['src/index.ts', 'src/worker.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  // onnxruntime-web stays external and is imported dynamically, so pages load only the build they use.
  external: ['onnxruntime-web', 'onnxruntime-web/wasm', 'onnxruntime-web/webgpu'],
});
