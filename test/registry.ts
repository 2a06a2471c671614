/**
 * Every loss the library exports, with what tests and benchmarks need to drive it without a
 * line per loss: its kind, the options to exercise, and the float32 tolerance of its kernel.
 *
 * Elementwise and three-input (ternary) entries are derived: each float64 reference in
 * test/reference/ (which carries the test-side data) joined by name with the library's export of
 * that name. Row-wise and embedding entries are listed here, their references in test/reference/
 * under the same names.
 *
 * The entries hold the loss functions of one copy of the library: `registryOf(lib)` binds them to
 * the module given (the source, the built dist/, a second module graph for the other build).
 */
import type { NumericOption } from '../src/core/args.js';
import type { ElementwiseLoss } from '../src/core/elementwise.js';
import type { SimilarityLoss } from '../src/core/similarity.js';
import type { PairLoss, TernaryLoss, TripletLoss } from '../src/core/types.js';
import { type InbatchReference, inbatchReferences } from './reference/inbatch.js';
import { type ElementFamily, type ElementFormula, type ElementReference, references } from './reference/index.js';
import { type SimilarityReference, similarityReferences } from './reference/similarity.js';
import { type TernaryReference, ternaryReferences } from './reference/ternary.js';

type Lib = typeof import('../src/api.js');

/** An elementwise loss: its reference's test-side data, its family (the reference's file) and the library's function. */
export interface ElementwiseEntry extends Omit<ElementReference, keyof ElementFormula> {
  name: string;
  family: ElementFamily;
  kind: 'elementwise';
  loss: ElementwiseLoss<any>;
  /** The loss's own options with their ranges (the common ones — reduction, weights, out — are implied). */
  options: readonly NumericOption[];
  /** The float64 formula. */
  reference: ElementReference;
}

/** What looks like a loss or metric of the library: a function with its companions' names. */
const isLossLike = (v: unknown): v is { lossName: string; options: readonly NumericOption[]; grad?: unknown } =>
  typeof v === 'function' && typeof (v as { lossName?: unknown }).lossName === 'string';

function elementwiseEntries(lib: Lib): ElementwiseEntry[] {
  const exports = lib as unknown as Record<string, unknown>;
  return Object.entries(references).flatMap(([name, reference]) => {
    const loss = exports[name];
    if (!isLossLike(loss)) return []; // unmatchedOf reports it
    const { loss: _loss, grad: _grad, gradScale: _gradScale, family, ...data } = reference;
    return [{ ...data, name, family, kind: 'elementwise' as const, loss: loss as ElementwiseLoss<any>, options: loss.options, reference }];
  });
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
  /** Class weights scale the terms and 'mean' divides by Σ w_row (PyTorch's margin losses), not by Σ of the targets' class weights. */
  meanOverRows?: boolean;
  /** The largest logit magnitude whose loss the dtype holds, for a loss that squares the logits (default: the dtype's range). */
  hugeLogit?: { f32: number; f64: number };
  /** The boolean option under which the dense target is given as log P: a case with it set takes log t for each target t drawn. */
  logTarget?: string;
}

/** The target a call with options `o` takes: log t (0 → −∞) under the entry's log-target option, else t itself. */
export function targetsFor<A>(entry: { logTarget?: string }, o: Record<string, unknown>, t: A): A {
  if (entry.logTarget === undefined || o[entry.logTarget] !== true) return t;
  if (!(t instanceof Float32Array || t instanceof Float64Array)) return t;
  return t.map(Math.log) as A;
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
    multiMargin,
    multilabelSoftMargin,
    nll,
    softmaxFocal,
    sparseSoftmaxFocal,
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
      cases: [{}, { eps: 0.05 }, { fromLogits: true }, { logTarget: true }, { logTarget: true, fromLogits: true }],
      logTarget: 'logTarget',
    }),
    rowEntry(categoricalHinge, { target: 'dense', metric: false, domain: { pred: [-3, 3] }, f32Tolerance: 1e-6, cases: [{}] }),
    rowEntry(categoricalAccuracy, { target: 'dense', metric: true, domain: { pred: [-3, 3] }, f32Tolerance: 0, cases: [{}] }),
    rowEntry(sparseCategoricalAccuracy, { target: 'labels', metric: true, domain: { pred: [-3, 3] }, f32Tolerance: 0, cases: [{}] }),
    rowEntry(topKAccuracy, { target: 'labels', metric: true, domain: { pred: [-3, 3] }, f32Tolerance: 0, cases: [{}, { k: 1 }, { k: 2 }] }),
    rowEntry(multiMargin, {
      target: 'labels',
      metric: false,
      domain: { pred: [-3, 3] },
      f32Tolerance: 2e-5,
      meanOverRows: true,
      // ((1e18·1.5)² is a float32 number; the squares of 1e37 are not)
      hugeLogit: { f32: 1e18, f64: 1e150 },
      cases: [{}, { p: 2 }, { margin: 0.5, classWeights: rampWeights }, { p: 2, margin: 3, classWeights: rampWeights }, { margin: 0 }],
    }),
    rowEntry(multilabelSoftMargin, {
      target: 'dense',
      metric: false,
      domain: { pred: [-8, 8] },
      f32Tolerance: 2e-5,
      meanOverRows: true,
      cases: [{}, { classWeights: rampWeights }],
    }),
    rowEntry(nll, {
      target: 'labels',
      metric: false,
      domain: { pred: [-10, 0] },
      f32Tolerance: 1e-6,
      cases: [{}, { classWeights: rampWeights }, { ignoreIndex: 1 }, { classWeights: rampWeights, ignoreIndex: 0 }],
    }),
    rowEntry(softmaxFocal, {
      target: 'dense',
      metric: false,
      domain: { pred: [-8, 8] },
      f32Tolerance: 2e-5,
      cases: [{}, { gamma: 0 }, { gamma: 0.5, alpha: rampWeights }, { labelSmoothing: 0.1 }, { gamma: 3.5, alpha: 1, labelSmoothing: 0.3 }],
    }),
    rowEntry(sparseSoftmaxFocal, {
      target: 'labels',
      metric: false,
      domain: { pred: [-8, 8] },
      f32Tolerance: 2e-5,
      cases: [
        {},
        { gamma: 0, alpha: rampWeights },
        { gamma: 0.5, ignoreIndex: 1 },
        { labelSmoothing: 0.1 },
        { gamma: 3.5, alpha: rampWeights, labelSmoothing: 0.3, ignoreIndex: 0 },
      ],
    }),
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

/**
 * A three-input elementwise loss (target, a, b): one element of each per example, a gradient per
 * input, keyed by the input's name. Its reference's test-side data, joined with the export by name.
 */
export interface TernaryEntry extends Omit<TernaryReference, 'loss' | 'grads' | 'scale' | 'gradScales' | 'kinkGap' | 'clampGap' | 'edge'> {
  name: string;
  family: 'ternary';
  kind: 'ternary';
  loss: TernaryLoss<any, string>;
  /** The loss's own numeric options with their ranges (boolean ones appear in `cases`). */
  options: readonly NumericOption[];
  /** The float64 formula. */
  reference: TernaryReference;
}

function ternaryEntries(lib: Lib): TernaryEntry[] {
  const exports = lib as unknown as Record<string, unknown>;
  return Object.entries(ternaryReferences).flatMap(([name, reference]) => {
    const loss = exports[name];
    if (!isLossLike(loss)) return []; // unmatchedOf reports it
    const { loss: _l, grads: _g, scale: _s, gradScales: _gs, kinkGap: _k, clampGap: _c, edge: _e, ...data } = reference;
    const entry: TernaryEntry = {
      ...data,
      name,
      family: 'ternary',
      kind: 'ternary',
      loss: loss as TernaryLoss<any, string>,
      options: loss.options,
      reference,
    };
    return [entry];
  });
}

/**
 * A similarity loss (target, pred): an example is one row of `dim` values of each, the gradient is
 * dL/dpred. Its reference's test-side data, joined with the export by name.
 */
export interface SimilarityEntry extends Omit<SimilarityReference, 'row'> {
  name: string;
  family: 'similarity';
  kind: 'similarity';
  loss: SimilarityLoss<any>;
  /** The loss's own numeric options with their ranges. */
  options: readonly NumericOption[];
  /** The float64 formula. */
  reference: SimilarityReference;
}

function similarityEntries(lib: Lib): SimilarityEntry[] {
  const exports = lib as unknown as Record<string, unknown>;
  return Object.entries(similarityReferences).flatMap(([name, reference]) => {
    const loss = exports[name];
    if (!isLossLike(loss)) return []; // unmatchedOf reports it
    const { row: _row, ...data } = reference;
    const entry: SimilarityEntry = {
      ...data,
      name,
      family: 'similarity',
      kind: 'similarity',
      loss: loss as SimilarityLoss<any>,
      options: loss.options,
      reference,
    };
    return [entry];
  });
}

export type RegistryEntry = ElementwiseEntry | RowwiseEntry | EmbeddingEntry | TernaryEntry | SimilarityEntry;

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
  const { contrastive, triplet, cosineEmbedding } = lib;
  return [
    ...elementwiseEntries(lib),
    ...rowwiseEntries(lib),
    embedding(contrastive, { inputs: ['a', 'b'], labels: 'binary', cases: [{}, { margin: 0.5 }, { margin: 4 }], f32Tolerance: 1e-5 }),
    embedding(triplet, {
      inputs: ['anchor', 'positive', 'negative'],
      labels: 'none',
      cases: [{}, { margin: 0.2 }, { squared: true, margin: 4 }, { swap: true }, { swap: true, squared: true, margin: 3 }],
      f32Tolerance: 1e-5,
    }),
    embedding(cosineEmbedding, { inputs: ['a', 'b'], labels: 'sign', cases: [{}, { margin: 0.3 }], f32Tolerance: 1e-5 }),
    ...ternaryEntries(lib),
    ...similarityEntries(lib),
  ];
}

/** The entries each driver handles (tests and the bench loop over one kind at a time). */
export const elementwiseOf = (lib: object) => registryOf(lib).filter((e): e is ElementwiseEntry => e.kind === 'elementwise');
export const rowwiseOf = (lib: object) => registryOf(lib).filter((e): e is RowwiseEntry => e.kind === 'rowwise');
export const embeddingOf = (lib: object) => registryOf(lib).filter((e): e is EmbeddingEntry => e.kind === 'embedding');
export const ternaryOf = (lib: object) => registryOf(lib).filter((e): e is TernaryEntry => e.kind === 'ternary');
export const similarityOf = (lib: object) => registryOf(lib).filter((e): e is SimilarityEntry => e.kind === 'similarity');

/**
 * An in-batch loss (infoNCE, ntXent): two batches of rows, every row against every other. Kept
 * apart from registryOf (whose suites drive one example at a time): test/unit/inbatch.test.ts,
 * the golden digest and the bench drive these.
 */
export interface InbatchEntry {
  name: string;
  kind: 'inbatch';
  loss: any;
  options: readonly NumericOption[];
  reference: InbatchReference;
}

/** The in-batch entries: each reference of test/reference/inbatch.ts joined with the export of its name. */
export function inbatchOf(lib: object): InbatchEntry[] {
  const exports = lib as Record<string, unknown>;
  return Object.entries(inbatchReferences).flatMap(([name, reference]) => {
    const loss = exports[name];
    if (!isLossLike(loss)) return [];
    return [{ name, kind: 'inbatch' as const, loss, options: loss.options, reference }];
  });
}

/**
 * What the join leaves over: losses the library exports that no entry drives (an elementwise or
 * three-input loss without a float64 reference in test/reference/<family>.ts; a row-wise or embedding loss without
 * an entry here), and references of no exported loss. Metrics without a gradient that are not
 * row-wise (binaryAccuracy) have their own tests.
 */
export function unmatchedOf(lib: object): { withoutReference: string[]; withoutLoss: string[] } {
  const exports = lib as Record<string, unknown>;
  const driven = new Set([...registryOf(lib), ...inbatchOf(lib)].map((e) => e.name));
  const withoutReference = Object.keys(exports).filter((k) => {
    const v = exports[k];
    return isLossLike(v) && typeof v.grad === 'function' && !driven.has(k);
  });
  const withoutLoss = [
    ...Object.keys(references),
    ...Object.keys(ternaryReferences),
    ...Object.keys(similarityReferences),
    ...Object.keys(inbatchReferences),
  ].filter((name) => !isLossLike(exports[name]));
  return { withoutReference, withoutLoss };
}
