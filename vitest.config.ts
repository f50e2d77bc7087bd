import os from 'node:os';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    alias: {
      '@': path.resolve(import.meta.dirname),
      // Unit tests run outside React's server environment.
      'server-only': path.resolve(import.meta.dirname, 'lib/testing/server-only-stub.ts'),
    },
  },
  test: {
    include: ['lib/**/*.test.ts', 'emulator/**/*.test.ts', 'app/**/*.test.ts', 'app/**/*.test.tsx'],
    environment: 'node',
    pool: 'forks',
    // Vitest's default (cores - 1) is one worker on a 2-core machine; many files wait on sockets and timers.
    maxWorkers: Math.max(2, os.availableParallelism()),
    testTimeout: 30_000,
    hookTimeout: 60_000,
    setupFiles: ['lib/testing/setup.ts'],
    globalSetup: ['lib/testing/pglite-template.ts'],
  },
});
