import { defineConfig, mergeConfig } from 'vitest/config';
import { sharedTestConfig } from '../../vitest.shared';

/** Unit tests of the page's pure helpers (Node); the browser tests are vitest.e2e.config.ts. */
export default mergeConfig(sharedTestConfig, defineConfig({ test: { include: ['src/**/*.test.ts'] } }));
