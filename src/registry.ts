/**
 * Every loss the library exports, with what tests and benchmarks need to drive it without a
 * line per loss: its kind, the options to exercise, and the float32 tolerance of its kernel.
 * References (float64, written from the formulas) live in test/reference/, keyed by the same name.
 */
import type { NumericOption } from './core/args.js';
import type { ElementwiseLoss } from './core/elementwise.js';
import { huber, mae, mse, smoothL1 } from './loss/regression.js';
import type { PairLoss, TripletLoss } from './core/rows.js';
import { contrastive, cosineEmbedding, triplet } from './loss/embedding.js';

export interface ElementwiseEntry {
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
function entry(loss: ElementwiseLoss<any>, rest: Omit<ElementwiseEntry, 'name' | 'loss' | 'options'>): ElementwiseEntry {
  return { name: loss.lossName, loss, options: loss.options, ...rest };
}

/** A row-wise embedding loss: inputs are batches of rows of `dim` values, with a label per row or not. */
export interface EmbeddingEntry {
  name: string;
  family: 'embedding';
  kind: 'embedding';
  loss: PairLoss<any> | TripletLoss<any>;
  options: readonly NumericOption[];
  /** Names of the embedding inputs (and keys of the gradient), in argument order after the label. */
  inputs: readonly string[];
  /** The labels tests draw: none, {0, 1} (soft values allowed), or ±1. */
  labels: 'none' | 'binary' | 'sign';
  /** Option sets worth testing beyond the defaults (boolean options included). */
  cases: readonly Record<string, number | boolean>[];
  /** Relative tolerance of a float32 row's loss and gradient against float64, on the scale of the row. */
  f32Tolerance: number;
}

export type RegistryEntry = ElementwiseEntry | EmbeddingEntry;

function embedding(loss: PairLoss<any> | TripletLoss<any>, rest: Omit<EmbeddingEntry, 'name' | 'loss' | 'options' | 'family' | 'kind'>): EmbeddingEntry {
  return { name: loss.lossName, loss, options: loss.options, family: 'embedding', kind: 'embedding', ...rest };
}

export const registry: readonly RegistryEntry[] = [
  entry(mse, { family: 'regression', kind: 'elementwise', cases: [{}], domain: realLine, kinks: () => [], f32Tolerance: 1e-6 }),
  entry(mae, { family: 'regression', kind: 'elementwise', cases: [{}], domain: realLine, kinks: () => [0], f32Tolerance: 1e-6 }),
  entry(huber, { family: 'regression', kind: 'elementwise', cases: [{}, { delta: 0.25 }, { delta: 3 }], domain: realLine,
    kinks: (o) => [o.delta ?? 1], f32Tolerance: 1e-6 }),
  entry(smoothL1, { family: 'regression', kind: 'elementwise', cases: [{}, { beta: 0.5 }, { beta: 4 }], domain: realLine,
    kinks: (o) => [o.beta ?? 1], f32Tolerance: 1e-6 }),
  embedding(contrastive, { inputs: ['a', 'b'], labels: 'binary', cases: [{}, { margin: 0.5 }, { margin: 4 }], f32Tolerance: 1e-5 }),
  embedding(triplet, { inputs: ['anchor', 'positive', 'negative'], labels: 'none',
    cases: [{}, { margin: 0.2 }, { squared: true, margin: 4 }, { swap: true }, { swap: true, squared: true, margin: 3 }], f32Tolerance: 1e-5 }),
  embedding(cosineEmbedding, { inputs: ['a', 'b'], labels: 'sign', cases: [{}, { margin: 0.3 }], f32Tolerance: 1e-5 }),
];
