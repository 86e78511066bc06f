import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // one worker process at a time keeps timings and memory assertions honest on 2 cores
    pool: 'forks',
    execArgv: ['--expose-gc'], // the memory suite forces collections to see the FinalizationRegistry work
    maxWorkers: 2,
  },
});
