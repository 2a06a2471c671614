/**
 * Every loss the library exports, with what tests and benchmarks need to drive it without a
 * line per loss: its kind, the options to exercise, and the float32 tolerance of its kernel.
 * References (float64, written from the formulas) live in test/reference/, keyed by the same name.
 */
import type { NumericOption } from './core/args.js';
import type { ElementwiseLoss } from './core/elementwise.js';
import { huber, logCosh, mae, mse, smoothL1 } from './loss/regression.js';

export interface RegistryEntry {
  name: string;
  family: 'regression';
  kind: 'elementwise';
  loss: ElementwiseLoss<any>;
  /** The loss's own options with their ranges (the common ones — reduction, weights, out — are implied). */
  options: readonly NumericOption[];
  /** Option sets worth testing beyond the defaults. */
  cases: readonly Record<string, number>[];
  /** Where target and pred are drawn from in tests and benchmarks. */
  domain: { target: readonly [number, number]; pred: readonly [number, number] };
  /** Places the loss has a kink, where central differences do not apply (|r| values). */
  kinks(opts: Record<string, number>): number[];
  /** Per-element relative tolerance of the float32 kernel against float64 (float64 kernels: 1e-12). */
  f32Tolerance: number;
}

const realLine = { target: [-10, 10], pred: [-10, 10] } as const;

/** An entry whose name and options come from the loss itself. */
function entry(loss: ElementwiseLoss<any>, rest: Omit<RegistryEntry, 'name' | 'loss' | 'options'>): RegistryEntry {
  return { name: loss.lossName, loss, options: loss.options, ...rest };
}

export const registry: readonly RegistryEntry[] = [
  entry(mse, { family: 'regression', kind: 'elementwise', cases: [{}], domain: realLine, kinks: () => [], f32Tolerance: 1e-6 }),
  entry(mae, { family: 'regression', kind: 'elementwise', cases: [{}], domain: realLine, kinks: () => [0], f32Tolerance: 1e-6 }),
  entry(huber, { family: 'regression', kind: 'elementwise', cases: [{}, { delta: 0.25 }, { delta: 3 }], domain: realLine,
    kinks: (o) => [o.delta ?? 1], f32Tolerance: 1e-6 }),
  entry(smoothL1, { family: 'regression', kind: 'elementwise', cases: [{}, { beta: 0.5 }, { beta: 4 }], domain: realLine,
    kinks: (o) => [o.beta ?? 1], f32Tolerance: 1e-6 }),
  // float32 elements are within 2 ulp (test/logcosh.test.ts); 1e-6 leaves room for the reductions
  entry(logCosh, { family: 'regression', kind: 'elementwise', cases: [{}], domain: realLine, kinks: () => [], f32Tolerance: 1e-6 }),
];
