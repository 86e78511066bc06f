import { defineConfig } from 'vitest/config';
import { relaxedSimdFlags } from './scripts/wasm-flags.mjs';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // one worker process at a time keeps timings and memory assertions honest on 2 cores
    pool: 'forks',
    // --expose-gc: the memory suite forces collections to see the FinalizationRegistry work; the relaxed-SIMD
    // flag where this Node needs it, so that the tests run the build current engines load
    execArgv: ['--expose-gc', ...relaxedSimdFlags()],
    maxWorkers: 2,
  },
});
