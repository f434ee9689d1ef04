import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'host/**/*.test.ts',
      'lattice/**/*.test.ts',
      'capabilities/**/*.test.ts',
      'wit/**/*.test.ts',
      'test/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**', 'test/bench/**', 'test/chaos/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // many tests start nats-server clusters and host processes: two at a time keeps a 2-core machine responsive
    maxWorkers: 2,
  },
});
