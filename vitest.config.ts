import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    typecheck: { enabled: true, include: ['test/**/*.test-d.ts'] },
    restoreMocks: true,
    testTimeout: 20_000,
    // vitest's default is one worker fewer than the cores: a single worker on a 2-core CI machine. The slowest files
    // mostly wait for VBoxManage stand-in processes, so one worker per core (at least 2) keeps both cores busy.
    maxWorkers: Math.max(2, availableParallelism()),
  },
});
