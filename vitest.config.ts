import { defineConfig } from 'vitest/config';

/**
 * Two projects in one run. `unit`: the tests beside the code (host/, lattice/, capabilities/, wit/); they leave no
 * global state behind, so one worker runs file after file without a fresh process each (isolate: false; the unit
 * suite went from 131 s to 34 s on the shared 2-core machine, most of it was one process and module graph per file).
 * `integration`: test/ (real nats-server, hosts, browsers, CLI processes), each file in a process of its own.
 */
const UNIT = ['host/**/*.test.ts', 'lattice/**/*.test.ts', 'capabilities/**/*.test.ts', 'wit/**/*.test.ts'];

export default defineConfig({
  test: {
    exclude: ['**/node_modules/**', 'test/bench/**', 'test/chaos/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // many tests start nats-server clusters and host processes: two at a time keeps a 2-core machine responsive
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'unit', include: UNIT, isolate: false } },
      { extends: true, test: { name: 'integration', include: ['test/**/*.test.ts'] } },
    ],
  },
});
