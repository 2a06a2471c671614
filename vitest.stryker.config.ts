// The suite `npm run mutate` (Stryker) runs against each mutant of src/: every test file that
// exercises the wrapper's logic in process, with CI's fixed seeds. Left out: what runs browsers,
// other runtimes or child processes (runtimes, browsers, playground, demo, scripts; docs, whose
// typedoc build fails inside Stryker's sandbox), the long runs (soak, scale, fuzz), the files
// that test only assembly/ or tools/ (math, math-quick, constants, mutants; shape-lint, which
// would measure Stryker's instrumented copy of src/), and the three reference sweeps over every
// length 0–67 and the chunk edges (categorical, elementwise, binary: 50 of the suite's 100 s). A
// mutant of the shared call path is covered by nearly every test, and one that survives reruns
// all of them: with the sweeps in, that is ~100 s a survivor. The same comparisons at random
// lengths and chunk edges stay in through properties.test.ts, which is why it keeps FC_RUNS at 100
// rather than fewer. Leaving tests out can only lower the score, never raise it. A new test file
// is in unless it is one of those.
// STRYKER_TESTS (comma-separated files) narrows it for a run on one source file, e.g.
//   STRYKER_TESTS=test/unit/stream.test.ts,test/unit/stream-merge.test.ts npx stryker run --mutate src/core/stream.ts
import { relative } from 'node:path';
import { configDefaults, defineConfig } from 'vitest/config';
import { BaseSequencer, type Reporter, type TestSpecification } from 'vitest/node';
import base from './vitest.config.js';

/** The test file of the last failing test: Stryker runs mutant after mutant in one vitest process. */
let lastFailed: string | undefined;

/** Records the file of each failing test (vitest's own cache marks every file a cancelled run did not finish as failed). */
const failures: Reporter = {
  onTestCaseResult(test) {
    if (test.result().state === 'failed') lastFailed = test.module.moduleId;
  },
};

/**
 * A mutant's run stops at its first failing test, so the file that failed last goes first: it
 * likely kills the next mutant of the same code too. Then, with STRYKER_TESTS (a group of
 * tools/mutants/stryker-groups.ts), its files in the order listed: the cache-based order below put
 * a group's own test file after ~800 tests of the registry-wide files, which every mutant then ran
 * before it was killed (12 s each). Without it, the quickest first: vitest's own order runs the
 * longest first, which spent the 13 s of faults.test.ts before the quick error tests got to kill
 * a mutant.
 */
class QuickFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root;
    const listed = process.env.STRYKER_TESTS?.split(',');
    const rank = (f: TestSpecification) => {
      if (f.moduleId === lastFailed) return -2;
      if (listed !== undefined) return listed.indexOf(relative(root, f.moduleId));
      return this.ctx.cache.getFileTestResults(`${f.project.name}:${relative(root, f.moduleId)}`)?.duration ?? -1;
    };
    return [...files].sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: process.env.STRYKER_TESTS?.split(',') ?? ['test/**/*.test.ts'],
    exclude: [
      ...configDefaults.exclude,
      'test/runtime/**',
      'test/property/soak.test.ts',
      'test/property/scale.test.ts',
      'test/property/fuzz.test.ts',
      'test/property/math.test.ts',
      'test/unit/math-quick.test.ts',
      'test/unit/constants.test.ts',
      'test/unit/mutants.test.ts',
      'test/unit/shape-lint.test.ts',
      'test/unit/categorical.test.ts',
      'test/unit/elementwise.test.ts',
      'test/unit/binary.test.ts',
    ],
    // fewer property runs than CI's 1000: each mutant reruns every test that reaches it
    env: { FC_SEED: '20261201', FUZZ_SEED: '20261201', FC_RUNS: '100' },
    reporters: ['default', failures],
    sequence: { sequencer: QuickFirst },
    setupFiles: ['test/setup/fail-fast.ts'],
  },
});
