import { defineConfig } from 'vitest/config';

// Workspace packages resolve to their TypeScript sources through the "@ethp2p/source" export
// condition, so tests never need a build.
const conditions = ['@ethp2p/source', 'node', 'import', 'module', 'default'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: conditions } },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'tools/*/test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
  },
});
