import { defineConfig } from 'vite';

// COOP/COEP make the page cross-origin isolated so onnxruntime-web can use threads.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  resolve: { conditions: ['@vae/source'] },
  server: { headers: isolation },
  preview: { headers: isolation },
});
