import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/pure.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  // `import.meta.url` (used to locate the `mnist` package) needs a shim in the CommonJS build.
  shims: true,
});
