// The groups `npm run mutate` runs Stryker on, one after the other, each against its own test set:
// the test files that import or reach the group's code. A run against Stryker's whole suite tests
// ~10 mutants a minute on a shared 2-core machine (a survivor of shared code reruns every test that
// reaches it); against the files that exercise one group, a group of ~30 mutants takes a minute.
// Leaving tests out can only lower a score, so each group's score is a lower bound of what the
// whole suite would give. `vitest.stryker.config.ts`'s exclusions still apply: a file listed here
// that it leaves out is not run. Every `.ts` file of src/ but the two `.d.ts` declarations belongs
// to exactly one group (test/unit/stryker-groups.test.ts checks it).

export interface StrykerGroup {
  /** The name given to `npm run mutate -- <name>`, and of the group's files under reports/. */
  readonly name: string;
  /** The source files mutated (globs as Stryker's `mutate` takes them). */
  readonly mutate: readonly string[];
  /** The test files run against each mutant. */
  readonly tests: readonly string[];
}

/** Test files that drive every loss of the registry: bad input, option ranges, properties, the pinned digest. */
const REGISTRY = [
  'test/unit/bad-input-matrix.test.ts',
  'test/unit/option-ranges.test.ts',
  'test/property/properties.test.ts',
  'test/unit/golden.test.ts',
];

const METRIC_PROPERTIES = ['test/property/metric-accumulators.test.ts', 'test/property/metric-fuzz.test.ts'];

/** Ordered quickest and least shared first; the call path (which other work changes) last. */
export const GROUPS: readonly StrykerGroup[] = [
  {
    name: 'entry',
    mutate: ['src/api.ts', 'src/index.ts', 'src/node.ts', 'src/inline.ts', 'src/workerd.ts', 'src/version.ts'],
    tests: [
      'test/unit/loading.test.ts',
      'test/unit/types.test.ts',
      'test/unit/init-options.test.ts',
      'test/unit/accumulator-state.test.ts',
    ],
  },
  {
    name: 'tfjs',
    mutate: ['src/tfjs.ts', 'src/tfjs/*.ts'],
    tests: ['test/unit/tfjs-bridge.test.ts', 'test/unit/tfjs-grad.test.ts', 'test/unit/tfjs-training.test.ts'],
  },
  {
    name: 'metric',
    mutate: ['src/metric/*.ts', 'src/core/tally.ts', 'src/core/tally-stream.ts'],
    tests: [
      'test/unit/metric-names.test.ts',
      'test/unit/metric-calls.test.ts',
      'test/unit/calibration.test.ts',
      'test/unit/confusion.test.ts',
      'test/unit/metric-bad-input.test.ts',
      'test/unit/metric-messages.test.ts',
      'test/unit/tally-stream.test.ts',
      'test/property/confusion.test.ts',
      ...METRIC_PROPERTIES,
      'test/unit/golden.test.ts',
    ],
  },
  {
    name: 'ranking',
    mutate: ['src/core/ranking.ts', 'src/core/ranking-bins.ts', 'src/core/ranking-metric.ts', 'src/loss/ranking.ts'],
    tests: [
      'test/unit/metric-names.test.ts',
      'test/unit/ranking.test.ts',
      'test/unit/ranking-bins.test.ts',
      'test/unit/ranking-scale.test.ts',
      'test/unit/ranking-targets.test.ts',
      'test/unit/ties.test.ts',
      // the one-shot metrics' refusals of bad options are among the metrics' own
      'test/unit/metric-bad-input.test.ts',
      'test/unit/metric-messages.test.ts',
      'test/property/ranking.test.ts',
      ...METRIC_PROPERTIES,
      'test/unit/golden.test.ts',
    ],
  },
  {
    name: 'similarity',
    mutate: ['src/core/similarity.ts', 'src/loss/similarity.ts'],
    // the quick files first: a mutant of the call path stops at its first failure
    tests: [
      'test/unit/similarity-messages.test.ts',
      'test/unit/similarity-calls.test.ts',
      'test/unit/similarity-staging.test.ts',
      'test/unit/similarity.test.ts',
      ...REGISTRY,
    ],
  },
  {
    name: 'inbatch',
    mutate: ['src/core/inbatch.ts', 'src/loss/inbatch.ts'],
    tests: ['test/unit/inbatch.test.ts', 'test/unit/inbatch-workspace.test.ts', 'test/unit/inbatch-growth.test.ts', ...REGISTRY],
  },
  {
    name: 'embedding',
    mutate: ['src/core/embedding.ts', 'src/loss/embedding.ts'],
    // the tfjs bridge reads the spec's shape (is the first tensor a label?), which no other test does
    tests: [
      'test/unit/embedding-calls.test.ts',
      'test/unit/embedding.test.ts',
      'test/unit/embedding-stream.test.ts',
      ...REGISTRY,
      'test/unit/tfjs-bridge.test.ts',
    ],
  },
  {
    name: 'memory',
    mutate: ['src/core/memory.ts'],
    tests: [
      'test/unit/allocator.test.ts',
      'test/unit/wasm-pointer.test.ts',
      'test/unit/memory.test.ts',
      'test/unit/overlap.test.ts',
      'test/unit/driver-overlap.test.ts',
      'test/unit/driver-staging.test.ts',
      'test/unit/abi.test.ts',
      'test/unit/faults.test.ts',
    ],
  },
  {
    name: 'stream',
    mutate: ['src/core/stream.ts', 'src/core/compensated.ts'],
    tests: [
      'test/unit/stream.test.ts',
      'test/unit/stream-merge.test.ts',
      'test/unit/accumulator-state.test.ts',
      'test/unit/embedding-stream.test.ts',
      // the compensated step's branches and overflow, cell by cell
      'test/unit/tally-stream.test.ts',
    ],
  },
  {
    name: 'core',
    mutate: [
      'src/core/init.ts',
      'src/core/wasm.ts',
      'src/core/kernels.ts',
      'src/core/abi.ts',
      'src/core/errors.ts',
      'src/core/options.ts',
      'src/core/args.ts',
      'src/core/overlap.ts',
      'src/core/staging.ts',
      'src/core/weights.ts',
      'src/core/types.ts',
      'src/core/typed.ts',
      'src/core/shape.ts',
    ],
    tests: [
      'test/unit/init-options.test.ts',
      'test/unit/staging-limit.test.ts',
      'test/unit/abi.test.ts',
      'test/unit/faults.test.ts',
      'test/unit/loading.test.ts',
      'test/unit/node-wasm-files.test.ts',
      'test/unit/driver-messages.test.ts',
      'test/unit/driver-overlap.test.ts',
      'test/unit/driver-reductions.test.ts',
      'test/unit/driver-staging.test.ts',
      'test/unit/driver-wiring.test.ts',
      'test/unit/overlap.test.ts',
      'test/unit/overlap-remembered.test.ts',
      'test/unit/overlap-shares.test.ts',
      'test/unit/similarity-messages.test.ts',
      'test/unit/elementwise-errors.test.ts',
      'test/unit/categorical-errors.test.ts',
      'test/unit/regression-options.test.ts',
      // multiMargin's p, the one option with a list of values (1 or 2), is refused only here
      'test/unit/margins-multilabel.test.ts',
      'test/unit/tfjs-bridge.test.ts',
      ...REGISTRY,
    ],
  },
  {
    name: 'loss',
    mutate: ['src/loss/binary.ts', 'src/loss/categorical.ts', 'src/loss/regression.ts'],
    tests: [
      'test/unit/regression-options.test.ts',
      'test/unit/driver-wiring.test.ts',
      'test/unit/focal.test.ts',
      'test/unit/logcosh.test.ts',
      'test/unit/kl-log-target.test.ts',
      'test/unit/margins-multilabel.test.ts',
      'test/unit/accuracy.test.ts',
      'test/unit/categorical-errors.test.ts',
      'test/unit/elementwise-errors.test.ts',
      ...REGISTRY,
    ],
  },
  {
    name: 'ternary',
    mutate: ['src/core/ternary.ts', 'src/loss/ternary.ts'],
    tests: ['test/unit/ternary.test.ts', 'test/unit/ternary-staging.test.ts', 'test/unit/call-plan.test.ts', ...REGISTRY],
  },
  {
    name: 'plan',
    mutate: ['src/core/plan.ts', 'src/core/call.ts'],
    tests: [
      'test/unit/call-plan.test.ts',
      'test/unit/driver-wiring.test.ts',
      'test/unit/driver-messages.test.ts',
      'test/unit/driver-reductions.test.ts',
      // the call path's other families: accumulators' sums, a three-input loss's grad, a scale for
      // 'sum', the adapters' shape (each killed a survivor only these files reach)
      'test/unit/accumulator-state.test.ts',
      'test/unit/ternary.test.ts',
      'test/unit/inbatch.test.ts',
      'test/unit/tfjs-bridge.test.ts',
    ],
  },
  {
    name: 'elementwise',
    mutate: ['src/core/elementwise.ts'],
    tests: [
      'test/unit/call-plan.test.ts',
      'test/unit/elementwise-calls.test.ts',
      'test/unit/elementwise-errors.test.ts',
      'test/unit/driver-messages.test.ts',
      'test/unit/driver-overlap.test.ts',
      'test/unit/driver-reductions.test.ts',
      'test/unit/driver-staging.test.ts',
      'test/unit/driver-wiring.test.ts',
      'test/unit/overlap.test.ts',
      ...REGISTRY,
    ],
  },
  {
    name: 'classification',
    mutate: ['src/core/classification.ts'],
    tests: [
      'test/unit/classification-messages.test.ts',
      'test/unit/classification-calls.test.ts',
      'test/unit/classification-staging.test.ts',
      'test/unit/wide-row-growth.test.ts',
      'test/unit/call-plan.test.ts',
      'test/unit/categorical-errors.test.ts',
      'test/unit/accuracy.test.ts',
      'test/unit/focal.test.ts',
      'test/unit/kl-log-target.test.ts',
      'test/unit/margins-multilabel.test.ts',
      'test/unit/driver-reductions.test.ts',
      // the metrics' missing gradient companions
      'test/unit/driver-wiring.test.ts',
      ...REGISTRY,
    ],
  },
];
