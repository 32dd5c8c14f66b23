import { defineConfig } from 'tsup';

export default defineConfig({
  // index.ts is `@vae/core`; bundle/index.ts is `@vae/core/bundle` (the browser-safe reading side).
  entry: { index: 'src/index.ts', bundle: 'src/bundle/index.ts' },
  format: ['esm', 'cjs'],
  // Shared chunks in both formats: one BundleError / UserError class whichever entry a program loads.
  splitting: true,
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
});
