import { resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vite';

// COOP/COEP make the page cross-origin isolated: threads (SharedArrayBuffer) for both runtimes.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/** Adds <link rel=preload> for the onnxruntime-web wasm to the tuned cold-start page, so its download
 *  starts with the HTML instead of after the JS has run (the fetch ORT makes is served from it). */
function preloadOrtWasm(): Plugin {
  return {
    name: 'preload-ort-wasm',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        if (!/cold-(ours|interp)\.html$/.test(ctx.filename) || !ctx.bundle) return;
        const wasm = Object.keys(ctx.bundle).find((f) => /ort-wasm-simd-threaded[^/]*\.wasm$/.test(f));
        if (!wasm) throw new Error('onnxruntime-web wasm asset not found in the bundle');
        return [
          {
            tag: 'link',
            attrs: {
              rel: 'preload',
              as: 'fetch',
              type: 'application/wasm',
              crossorigin: '',
              href: `/${wasm}`,
            },
            injectTo: 'head-prepend',
          },
        ];
      },
    },
  };
}

export default defineConfig({
  root: import.meta.dirname,
  resolve: { conditions: ['@vae/source'] },
  server: { headers: isolation },
  preview: { headers: isolation },
  plugins: [preloadOrtWasm()],
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  build: {
    target: 'esnext',
    // tfjs-backend-wasm's threaded workers are built from Function.toString(): minifying breaks them.
    minify: false,
    outDir: resolve(import.meta.dirname, 'dist'),
    emptyOutDir: true,
    rolldownOptions: {
      input: {
        bench: resolve(import.meta.dirname, 'index.html'),
        coldOurs: resolve(import.meta.dirname, 'cold-ours.html'),
        coldPlain: resolve(import.meta.dirname, 'cold-plain.html'),
        coldInterp: resolve(import.meta.dirname, 'cold-interp.html'),
        coldTfjs: resolve(import.meta.dirname, 'cold-tfjs.html'),
      },
      output: {
        // onnxruntime-web in its own chunk: its thread worker imports its own module URL. The webgpu
        // build (which @vae/infer-web imports only on request) gets a chunk of its own, else it is
        // merged into the wasm one and every page parses both (97 KB -> 254 KB).
        codeSplitting: {
          groups: [
            { name: 'ort-webgpu', test: /onnxruntime-web[\\/]dist[\\/]ort\.webgpu/, priority: 2 },
            { name: 'ort', test: /onnxruntime-web/, priority: 1 },
          ],
        },
      },
    },
  },
});
