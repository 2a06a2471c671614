// The suite `npm run mutate` (Stryker) runs against each mutant of src/: every test file that
// exercises the wrapper's logic in process, with CI's fixed seeds. Left out: what runs browsers,
// other runtimes or child processes (runtimes, playground, demo, scripts), the long runs (soak,
// scale, fuzz) and the files that test only assembly/ through the audit build (math, constants).
// STRYKER_TESTS (comma-separated files) narrows it for a run on one source file, e.g.
//   STRYKER_TESTS=test/stream.test.ts,test/stream-merge.test.ts npx stryker run --mutate src/core/stream.ts
import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: process.env.STRYKER_TESTS?.split(',') ?? [
      'test/accuracy.test.ts', 'test/bad-input.test.ts', 'test/binary.test.ts', 'test/categorical-errors.test.ts',
      'test/categorical.test.ts', 'test/embedding-stream.test.ts', 'test/embedding.test.ts', 'test/errors.test.ts',
      'test/faults.test.ts', 'test/golden.test.ts', 'test/lesson.test.ts', 'test/loading.test.ts', 'test/logcosh.test.ts',
      'test/losses.test.ts', 'test/memory.test.ts', 'test/overlap.test.ts', 'test/properties.test.ts',
      'test/stream-merge.test.ts', 'test/stream.test.ts', 'test/ties.test.ts', 'test/types.test.ts',
    ],
    // fewer property runs than CI's 1000: each mutant reruns every test that reaches it
    env: { FC_SEED: '20261201', FUZZ_SEED: '20261201', FC_RUNS: '100' },
    reporters: ['default'],
  },
});
