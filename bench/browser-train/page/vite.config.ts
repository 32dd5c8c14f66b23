import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

// COOP/COEP make the page cross-origin isolated: threads (SharedArrayBuffer) for both runtimes, and
// performance.measureUserAgentSpecificMemory for the memory figures.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/** Where the page is built and served from (run.ts imports it). */
export const BENCH_TRAIN_DIST = resolve(tmpdir(), 'vae-bench-browser-train');

const page = (name: string) => resolve(import.meta.dirname, name);

export default defineConfig({
  root: import.meta.dirname,
  resolve: { conditions: ['@vae/source'] },
  server: { headers: isolation },
  preview: { headers: isolation },
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  // @vae/train-web's trainer runs in a module worker that imports onnxruntime-web.
  worker: { format: 'es' },
  build: {
    target: 'esnext',
    // tfjs-backend-wasm's threaded workers are built from Function.toString(): minifying breaks them.
    minify: false,
    // Outside the repository (run.ts writes the data next to it): nothing built lands in the tree.
    outDir: BENCH_TRAIN_DIST,
    emptyOutDir: true,
    rolldownOptions: {
      input: {
        bench: page('index.html'),
        coldTfjs: page('cold-tfjs.html'),
        coldOurs: page('cold-ours.html'),
        blank: page('blank.html'),
      },
      output: {
        // onnxruntime-web in its own chunk: its thread worker imports its own module URL (see
        // /work/shared/TOOLCHAIN.md, "onnxruntime-web").
        codeSplitting: { groups: [{ name: 'ort', test: /onnxruntime-web/ }] },
      },
    },
  },
});
