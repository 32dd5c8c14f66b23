import { defineConfig } from 'tsup';

export default defineConfig({
  // data-worker: the training data worker thread, loaded by URL from next to the built module
  // (src/train/data-source.ts picks `.js` there).
  entry: { index: 'src/index.ts', cli: 'src/cli.ts', 'data-worker': 'src/train/data-worker.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
});
