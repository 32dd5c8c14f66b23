import type { ViteUserConfig } from 'vitest/config';

/** Tests read sibling packages' `src` through the `@vae/source` export condition. */
export const sharedTestConfig: ViteUserConfig = {
  resolve: { conditions: ['@vae/source', 'module', 'browser', 'development|production'] },
  ssr: { resolve: { conditions: ['@vae/source', 'module', 'node', 'development|production'] } },
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
};
