import { readFile } from 'node:fs/promises';
import { defineConfig } from 'tsup';

export default defineConfig({
  // trainer/train-worker.ts is the module Web Worker entry (`@vae/train-web/worker`); client.ts starts it.
  // node.ts is the Node-only entry for build tools (`@vae/train-web/node`).
  entry: {
    index: 'src/index.ts',
    'trainer/train-worker': 'src/trainer/train-worker.ts',
    node: 'src/node.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  // onnxruntime-web stays external and is imported dynamically, so pages load only the build they use.
  external: ['onnxruntime-web', 'onnxruntime-web/wasm', 'onnxruntime-web/webgpu'],
  esbuildPlugins: [
    {
      // client.ts names the worker by its source file (bundlers of the sources follow it); the
      // build ships it as .js, beside index.js under trainer/. (CJS builds keep the URL too; a
      // module Worker is an ESM-only feature.)
      name: 'worker-url-js',
      setup(build) {
        build.onLoad({ filter: /[\\/]src[\\/]client\.ts$/ }, async (args) => ({
          contents: (await readFile(args.path, 'utf8')).replaceAll(
            './trainer/train-worker.ts',
            './trainer/train-worker.js',
          ),
          loader: 'ts',
        }));
      },
    },
  ],
});
