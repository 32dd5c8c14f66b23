import { defineConfig } from 'vitest/config';

/** Browser tests: real headless Chromium against the built app (see e2e/README). One file at a time. */
export default defineConfig({
  test: {
    include: ['e2e/**/*.test.ts'],
    globalSetup: ['e2e/global-setup.ts'],
    fileParallelism: false,
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
