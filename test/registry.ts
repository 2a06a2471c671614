/**
 * Every loss the library exports, with what tests and benchmarks need to drive it without a
 * line per loss: its kind, the options to exercise, and the float32 tolerance of its kernel.
 * References (float64, written from the formulas) live in test/reference/, keyed by the same name.
 *
 * The entries hold the loss functions of one copy of the library: `registryOf(lib)` binds them to
 * the module given (the source, the built dist/, a second module graph for the other build).
 */
import type { NumericOption } from '../src/core/args.js';
import type { ElementwiseLoss } from '../src/core/elementwise.js';
import type { PairLoss, TripletLoss } from '../src/core/types.js';

type Lib = typeof import('../src/api.js');

export interface ElementwiseEntry {
  name: string;
  family: 'regression' | 'binary';
  kind: 'elementwise';
  loss: ElementwiseLoss<any>;
  /** The loss's own options with their ranges (the common ones — reduction, weights, out — are implied). */
  options: readonly NumericOption[];
  /** Option sets worth testing beyond the defaults. */
  cases: readonly Record<string, number>[];
  /** Where target and pred are drawn from in tests and benchmarks. */
  domain: { target: readonly [number, number]; pred: readonly [number, number] };
  /** Targets that are labels: a share of them (1: all) drawn from these values instead of the domain. */
  labels?: { values: readonly number[]; share: number };
  /** (target, pred) pairs at the edges of the domain, replacing the generic extremes (huge, ±∞, NaN) where those are refused. */
  extremes?: readonly (readonly [number, number])[];
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

/**
 * A row-wise loss or metric: an example is one row of `classes` values. Tests and the bench drive
 * these by their target ('labels': an Int32Array per row; 'dense': a row in [0, 1]).
 */
export interface RowwiseEntry {
  name: string;
  family: 'classification';
  kind: 'rowwise';
  loss: any;
  options: readonly NumericOption[];
  target: 'labels' | 'dense';
  /** No gradient: the function alone. */
  metric: boolean;
  /** Option sets worth testing besides classes (class weights: a function of the class count). */
  cases: readonly Record<string, number | boolean | ((classes: number) => number[])>[];
  /** Where logits are drawn from in tests and benchmarks. */
  domain: { pred: readonly [number, number] };
  f32Tolerance: number;
}

function rowEntry(
  loss: { lossName: string; options: readonly NumericOption[] },
  rest: Omit<RowwiseEntry, 'name' | 'loss' | 'options' | 'family' | 'kind'>,
): RowwiseEntry {
  return { name: loss.lossName, loss, options: loss.options, family: 'classification', kind: 'rowwise', ...rest };
}

/** Class weights 0.5, 0.75, 1, 1.25, … (one per class) for test cases. */
const rampWeights = (classes: number): number[] => Array.from({ length: classes }, (_, k) => 0.5 + 0.25 * (k % 7));

function rowwiseEntries(lib: Lib): RowwiseEntry[] {
  const {
    sparseSoftmaxCrossEntropy,
    softmaxCrossEntropy,
    categoricalCrossEntropy,
    klDivergence,
    categoricalHinge,
    categoricalAccuracy,
    sparseCategoricalAccuracy,
    topKAccuracy,
  } = lib;
  return [
    rowEntry(sparseSoftmaxCrossEntropy, {
      target: 'labels',
      metric: false,
      domain: { pred: [-8, 8] },
      f32Tolerance: 2e-5,
      cases: [
        {},
        { labelSmoothing: 0.1 },
        { classWeights: rampWeights },
        { ignoreIndex: 1 },
        { labelSmoothing: 0.3, classWeights: rampWeights, ignoreIndex: 0 },
      ],
    }),
    rowEntry(softmaxCrossEntropy, {
      target: 'dense',
      metric: false,
      domain: { pred: [-8, 8] },
      f32Tolerance: 2e-5,
      cases: [{}, { labelSmoothing: 0.1 }, { classWeights: rampWeights }, { labelSmoothing: 0.3, classWeights: rampWeights }],
    }),
    rowEntry(categoricalCrossEntropy, {
      target: 'dense',
      metric: false,
      domain: { pred: [0.01, 0.99] },
      f32Tolerance: 2e-5,
      cases: [{}, { eps: 0.05 }],
    }),
    rowEntry(klDivergence, {
      target: 'dense',
      metric: false,
      domain: { pred: [0.01, 0.99] },
      f32Tolerance: 2e-5,
      cases: [{}, { eps: 0.05 }, { fromLogits: true }],
    }),
    rowEntry(categoricalHinge, { target: 'dense', metric: false, domain: { pred: [-3, 3] }, f32Tolerance: 1e-6, cases: [{}] }),
    rowEntry(categoricalAccuracy, { target: 'dense', metric: true, domain: { pred: [-3, 3] }, f32Tolerance: 0, cases: [{}] }),
    rowEntry(sparseCategoricalAccuracy, { target: 'labels', metric: true, domain: { pred: [-3, 3] }, f32Tolerance: 0, cases: [{}] }),
    rowEntry(topKAccuracy, { target: 'labels', metric: true, domain: { pred: [-3, 3] }, f32Tolerance: 0, cases: [{}, { k: 1 }, { k: 2 }] }),
  ];
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

export type RegistryEntry = ElementwiseEntry | RowwiseEntry | EmbeddingEntry;

function embedding(
  loss: PairLoss<any> | TripletLoss<any>,
  rest: Omit<EmbeddingEntry, 'name' | 'loss' | 'options' | 'family' | 'kind'>,
): EmbeddingEntry {
  return { name: loss.lossName, loss, options: loss.options, family: 'embedding', kind: 'embedding', ...rest };
}

const bound = new WeakMap<object, readonly RegistryEntry[]>();

/** Every entry, bound to the loss functions of `lib` (once per module). */
export function registryOf(lib: object): readonly RegistryEntry[] {
  let entries = bound.get(lib);
  if (entries === undefined) {
    entries = entriesOf(lib as Lib);
    bound.set(lib, entries);
  }
  return entries;
}

function entriesOf(lib: Lib): RegistryEntry[] {
  const { mse, mae, huber, smoothL1, logCosh, contrastive, triplet, cosineEmbedding } = lib;
  return [
    entry(mse, { family: 'regression', kind: 'elementwise', cases: [{}], domain: realLine, kinks: () => [], f32Tolerance: 1e-6 }),
    entry(mae, { family: 'regression', kind: 'elementwise', cases: [{}], domain: realLine, kinks: () => [0], f32Tolerance: 1e-6 }),
    entry(huber, {
      family: 'regression',
      kind: 'elementwise',
      cases: [{}, { delta: 0.25 }, { delta: 3 }],
      domain: realLine,
      kinks: (o) => [o.delta ?? 1],
      f32Tolerance: 1e-6,
    }),
    entry(smoothL1, {
      family: 'regression',
      kind: 'elementwise',
      cases: [{}, { beta: 0.5 }, { beta: 4 }],
      domain: realLine,
      kinks: (o) => [o.beta ?? 1],
      f32Tolerance: 1e-6,
    }),
    // float32 elements are within 2 ulp (test/logcosh.test.ts); 1e-6 leaves room for the reductions
    entry(logCosh, { family: 'regression', kind: 'elementwise', cases: [{}], domain: realLine, kinks: () => [], f32Tolerance: 1e-6 }),
    ...binaryEntries(lib),
    ...rowwiseEntries(lib),
    embedding(contrastive, { inputs: ['a', 'b'], labels: 'binary', cases: [{}, { margin: 0.5 }, { margin: 4 }], f32Tolerance: 1e-5 }),
    embedding(triplet, {
      inputs: ['anchor', 'positive', 'negative'],
      labels: 'none',
      cases: [{}, { margin: 0.2 }, { squared: true, margin: 4 }, { swap: true }, { swap: true, squared: true, margin: 3 }],
      f32Tolerance: 1e-5,
    }),
    embedding(cosineEmbedding, { inputs: ['a', 'b'], labels: 'sign', cases: [{}, { margin: 0.3 }], f32Tolerance: 1e-5 }),
  ];
}

/** The entries each driver handles (tests and the bench loop over one kind at a time). */
export const elementwiseOf = (lib: object) => registryOf(lib).filter((e): e is ElementwiseEntry => e.kind === 'elementwise');
export const rowwiseOf = (lib: object) => registryOf(lib).filter((e): e is RowwiseEntry => e.kind === 'rowwise');
export const embeddingOf = (lib: object) => registryOf(lib).filter((e): e is EmbeddingEntry => e.kind === 'embedding');

function binaryEntries(lib: Lib): ElementwiseEntry[] {
  const { binaryCrossEntropy, binaryCrossEntropyWithLogits, binaryFocal, hinge, squaredHinge } = lib;
  const hard = { values: [0, 1], share: 0.5 } as const; // half hard labels, half soft targets
  const logits = { target: [0, 1], pred: [-12, 12] } as const;
  const logitExtremes = [
    [0, 0],
    [1, 0],
    [1, -0],
    [0.5, 0],
    [1, 100],
    [1, -100],
    [0, 100],
    [0, -100],
    [1, -120],
    [0, 120],
    [1, 1e4],
    [1, -1e4],
    [0, 1e4],
    [0, -1e4],
    [0.5, 1e4],
    [0.25, -1e4],
    [1, 3e38],
    [0, -3e38],
    [0.3, 30],
    [1, 1e-30],
    [0, 1e-30],
    [1, NaN],
    [0.5, NaN],
  ] as const;
  const margins = [
    [1, 1],
    [-1, -1],
    [0, -1],
    [1, 0],
    [0, 0],
    [-1, 0],
    [1, -0],
    [1, 1e30],
    [-1, 1e30],
    [0, -3e38],
    [1, -3e38],
    [1, 1e-30],
    [0, Infinity],
    [1, Infinity],
    [-1, -Infinity],
    [1, NaN],
    [0, NaN],
  ] as const;
  return [
    // float32: ln ≤ 1 ulp, ln1p ≤ 2 ulp (math/), then 4 roundings of non-negative terms: ≤ ~6 ulp = 4e-7
    entry(binaryCrossEntropy, {
      family: 'binary',
      kind: 'elementwise',
      cases: [{}, { posWeight: 3 }, { eps: 1e-3, posWeight: 0.5 }],
      domain: { target: [0, 1], pred: [0, 1] },
      labels: hard,
      kinks: () => [],
      f32Tolerance: 1e-6,
      extremes: [
        [0, 0],
        [1, 1],
        [1, 0],
        [0, 1],
        [0.5, 0],
        [0.5, 1],
        [1, 1e-30],
        [0, 1e-30],
        [1, 2e-38],
        [0, -0],
        [1, 0.5],
        [0.3, 0.7],
        [1, 1 - 2 ** -24],
        [0, 1 - 2 ** -24],
        [0, 1e-7],
        [1, 0.9999999],
        [0.7, 0.7],
      ],
    }),
    // float32: exp ≤ 1 ulp, ln1p ≤ 2 ulp, ≤ 5 roundings of non-negative terms in the loss; the gradient
    // relative to its terms' scale (gradScale): σ ≤ 3 roundings, then 4
    entry(binaryCrossEntropyWithLogits, {
      family: 'binary',
      kind: 'elementwise',
      cases: [{}, { posWeight: 3 }, { labelSmoothing: 0.1 }, { posWeight: 0.5, labelSmoothing: 0.2 }],
      domain: logits,
      labels: hard,
      kinks: () => [],
      f32Tolerance: 1e-6,
      extremes: logitExtremes,
    }),
    // float32: m^γ = e^(γ·ln m) turns ln m's rounding (relative to |ln m| ≤ 12 on these logits) into
    // γ·|ln m|·2⁻²⁴ relative: ≤ 1e-5 for γ ≤ 5, on top of the cross-entropy's few ulp
    entry(binaryFocal, {
      family: 'binary',
      kind: 'elementwise',
      cases: [{}, { gamma: 0 }, { gamma: 0.5, alpha: 0.6 }, { gamma: 5, alpha: 1 }],
      domain: logits,
      labels: hard,
      kinks: () => [],
      f32Tolerance: 1e-5,
      extremes: logitExtremes,
    }),
    // exact but for the one rounding of 1 − y·ŷ (and its square): 1e-6 as the regression losses
    entry(hinge, {
      family: 'binary',
      kind: 'elementwise',
      cases: [{}],
      domain: { target: [-1, 1], pred: [-2.5, 2.5] },
      labels: { values: [-1, 0, 1], share: 1 },
      kinks: () => [0, 1],
      f32Tolerance: 1e-6,
      extremes: margins,
    }),
    entry(squaredHinge, {
      family: 'binary',
      kind: 'elementwise',
      cases: [{}],
      domain: { target: [-1, 1], pred: [-2.5, 2.5] },
      labels: { values: [-1, 0, 1], share: 1 },
      kinks: () => [0, 1],
      f32Tolerance: 1e-6,
      extremes: margins,
    }),
  ];
}
