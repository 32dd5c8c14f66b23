import { defineConfig } from 'vitest/config';

/** Browser tests: real headless Chromium against the built app (see e2e/README). One file at a time. */
export default defineConfig({
  // train-here.test.ts trains with @vae/train-node in this process: sibling packages from their src.
  ssr: { resolve: { conditions: ['@vae/source', 'module', 'node', 'development|production'] } },
  test: {
    include: ['e2e/**/*.test.ts'],
    globalSetup: ['e2e/global-setup.ts'],
    fileParallelism: false,
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
