import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Two speeds (docs/testing.md). `unit`: pure code and the in-memory host, no process started, vitest's default time
// limits; `npm run test:unit` is the loop to run after each edit. `e2e` (files named *.e2e.test.ts): the VBoxManage
// stand-in, a real sshd, the built CLI, promtool and prometheus. A test's time limit only catches a hang: no test
// asserts how long something took (timing goals are in `npm run bench`).
export default defineConfig({
  test: {
    restoreMocks: true,
    // vitest's default is one worker fewer than the cores: a single worker on a 2-core CI machine. The e2e files
    // mostly wait for stand-in processes, so one worker per core (at least 2) keeps both cores busy.
    maxWorkers: Math.max(2, availableParallelism()),
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      reporter: ['text-summary', 'json-summary', 'html'],
    },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/**/*.e2e.test.ts'],
          typecheck: { enabled: true, include: ['test/**/*.test-d.ts'] },
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/**/*.e2e.test.ts'],
          // The CLI is built once for the run, before any e2e file starts.
          globalSetup: ['test/helpers/build-cli.global.ts'],
          // Only a hang detector: a case is dozens of process starts, which take seconds each on a loaded machine.
          testTimeout: 120_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
