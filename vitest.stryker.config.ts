// The suite `npm run mutate` (Stryker) runs against each mutant of src/: every test file that
// exercises the wrapper's logic in process, with CI's fixed seeds. Left out: what runs browsers,
// other runtimes or child processes (runtimes, playground, demo, scripts), the long runs (soak,
// scale, fuzz) and the files that test only assembly/ or tools/ (math, math-quick, constants,
// mutants). A new test file is in unless it is one of those.
// STRYKER_TESTS (comma-separated files) narrows it for a run on one source file, e.g.
//   STRYKER_TESTS=test/unit/stream.test.ts,test/unit/stream-merge.test.ts npx stryker run --mutate src/core/stream.ts
import { configDefaults, defineConfig } from 'vitest/config';
import base from './vitest.config.js';

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: process.env.STRYKER_TESTS?.split(',') ?? ['test/**/*.test.ts'],
    exclude: [
      ...configDefaults.exclude,
      'test/runtime/runtimes.test.ts',
      'test/runtime/playground.test.ts',
      'test/runtime/demo.test.ts',
      'test/runtime/scripts.test.ts',
      'test/property/soak.test.ts',
      'test/property/scale.test.ts',
      'test/property/fuzz.test.ts',
      'test/property/math.test.ts',
      'test/unit/math-quick.test.ts',
      'test/unit/constants.test.ts',
      'test/unit/mutants.test.ts',
    ],
    // fewer property runs than CI's 1000: each mutant reruns every test that reaches it
    env: { FC_SEED: '20261201', FUZZ_SEED: '20261201', FC_RUNS: '100' },
    reporters: ['default'],
  },
});
