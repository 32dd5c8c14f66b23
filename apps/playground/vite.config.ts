import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import { digitsAsset } from './vite-plugins/digits-asset';

// COOP/COEP make the page cross-origin isolated so onnxruntime-web can use threads.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/**
 * Cold start: onnxruntime-web only fetches its 14 MB .wasm when the first session is created, after
 * the bundle has been fetched and hashed. Preloading the wasm (and modulepreloading the ORT chunk)
 * from index.html overlaps that download with everything else (the interpreter's first picture,
 * src/first-picture/, comes before ORT is started). The preload matches ORT's own
 * `fetch(url, { credentials: 'same-origin' })`, so the browser reuses the response.
 */
function preloadOrt(): Plugin {
  return {
    name: 'vae-preload-ort',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        const files = Object.keys(ctx.bundle ?? {});
        // The CPU build only: the asyncify .wasm belongs to the WebGPU build, loaded only when asked for.
        const wasm = files.filter((f) => /ort-wasm-simd-threaded-[\w-]+\.wasm$/.test(f));
        // The page's own ORT chunk (the model worker's build has a copy of its own).
        const ort = (ctx.chunk?.dynamicImports ?? []).filter((f) =>
          /(^|\/)ort-(?!webgpu)[\w-]+\.js$/.test(f),
        );
        return [
          ...wasm.map((f) => ({
            tag: 'link',
            // Low priority: the first picture's bundle files (index.html's inline script) go first.
            attrs: {
              rel: 'preload',
              href: `./${f}`,
              as: 'fetch',
              type: 'application/wasm',
              crossorigin: '',
              fetchpriority: 'low',
            },
            injectTo: 'head' as const,
          })),
          ...ort.map((f) => ({
            tag: 'link',
            attrs: { rel: 'modulepreload', href: `./${f}`, crossorigin: '' },
            injectTo: 'head' as const,
          })),
        ];
      },
    },
  };
}

/** `VAE_BUNDLE=/path/to/bundle vite` serves that folder at /bundle/ in dev (the built app uses scripts/serve.mjs). */
function devBundle(dir: string | undefined): Plugin {
  return {
    name: 'vae-dev-bundle',
    apply: 'serve',
    configureServer(server) {
      if (!dir) return;
      const root = resolve(dir);
      server.middlewares.use('/bundle', (req, res, next) => {
        const rel = normalize(decodeURIComponent((req.url ?? '/').split('?')[0]!));
        const file = join(root, rel);
        if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) return next();
        const type = extname(file) === '.json' ? 'application/json' : 'application/octet-stream';
        res.setHeader('Content-Type', type);
        for (const [k, v] of Object.entries(isolation)) res.setHeader(k, v);
        createReadStream(file).pipe(res);
      });
    },
  };
}

/**
 * TRAP (TOOLCHAIN.md): ORT's pthread workers import the chunk ORT lives in. If that chunk holds app
 * code, the worker touches `document`, dies, and session creation hangs forever. So each ORT build
 * (the CPU one, and the WebGPU one that is only imported on request) gets a chunk of its own.
 */
const ortChunks = {
  groups: [
    { name: 'ort-webgpu', test: /onnxruntime-web[\\/]dist[\\/]ort\.webgpu/, priority: 2 },
    { name: 'ort', test: /onnxruntime-web/, priority: 1 },
  ],
};

export default defineConfig({
  base: './',
  resolve: { conditions: ['@vae/source', 'module', 'browser', 'development|production'] },
  server: { headers: isolation },
  preview: { headers: isolation },
  // Pre-bundling ORT would inline it with other deps; its thread workers must load ORT's own chunk.
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  build: {
    target: 'es2022',
    rolldownOptions: { output: { codeSplitting: ortChunks } },
  },
  // infer-web's optional model worker bundles ORT too: same rule inside the worker build.
  worker: { format: 'es', rolldownOptions: { output: { codeSplitting: ortChunks } } },
  plugins: [preloadOrt(), devBundle(process.env.VAE_BUNDLE), digitsAsset()],
});
