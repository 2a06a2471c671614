/**
 * Confusion counts: `confusionMatrix` (C×C, true label × predicted label, predictions as labels or
 * as rows of scores), `binaryConfusion` (tp, fp, fn, tn at a threshold), each with an exact,
 * mergeable accumulator; and `precisionRecallF1` read from a confusion matrix.
 */

import { MODE_FLOAT_TARGET, MODE_WEIGHTED, SLOT_LABELS, SLOT_PRED, SLOT_WEIGHTS } from '../core/abi.js';
import { SimdlossError, show } from '../core/errors.js';
import { KernelPair } from '../core/kernels.js';
import type { WasmArray } from '../core/memory.js';
import { countInto, operand, pass, type Table, values } from '../core/tally.js';
import { type TallyAccumulator, type TallySpec, tallying } from '../core/tally-stream.js';
import type { Labels } from '../core/types.js';
import { arrayOf, binaryTargetOf, floatsOf, integerOption, labelsOf, MAX_CLASSES, optionsOf, weightsOf } from './checks.js';

/** Float32 or float64 values, or a WasmArray of one. */
export type Floats = Float32Array | Float64Array | WasmArray<'f32'> | WasmArray<'f64'>;

const LABELS = new KernelPair('confusionLabels');
const SCORES = new KernelPair('confusionScores');
const BINARY = new KernelPair('binaryConfusion');

/** Options of {@link confusionMatrix}. */
export interface ConfusionMatrixOptions {
  /** The number of classes C: labels lie in [0, C), a row of scores has C values. Required; an integer in [1, 4096]. */
  classes: number;
  /**
   * One weight per example (finite, ≥ 0), of the scores' dtype when `pred` holds scores; each cell
   * is then Σ w over its examples.
   *
   * @defaultValue every example counts 1
   */
  weights?: Floats;
}

/** A confusion matrix's accumulator: `update(labels, pred, weights?)`, `result()` the C×C matrix so far. */
export type ConfusionMatrixAccumulator = TallyAccumulator<[labels: Labels, pred: Labels | Floats, weights?: Floats], Float64Array>;

/** {@link confusionMatrix}: the function, and its accumulators. */
export interface ConfusionMatrixMetric {
  /** The metric's exported name, as its accumulators' states name it. */
  readonly metricName: 'confusionMatrix';
  (labels: Labels, pred: Labels | Floats, opts: ConfusionMatrixOptions): Float64Array;
  /** An accumulator: options fixed here (`classes`), batches and their weights given to `update`. */
  create(opts: Omit<ConfusionMatrixOptions, 'weights'>): ConfusionMatrixAccumulator;
  /** Restores an accumulator from its `toJSON()` state (or that state's JSON text). */
  fromJSON(state: unknown): ConfusionMatrixAccumulator;
}

function classesOf(fn: string, opts: Record<string, unknown>): number {
  return integerOption(fn, 'classes', opts.classes, 1, MAX_CLASSES);
}

/** Counts one batch of (labels, pred, weights) into a C×C table; returns the examples. */
function countConfusion(fn: string, C: number, table: Table, labels: unknown, pred: unknown, weights: unknown): number {
  let n = 0;
  countInto(table, (at) => {
    const y = labelsOf(fn, 'labels', labels);
    n = y.length;
    const p = arrayOf(fn, 'pred', pred);
    const scores = p instanceof Float32Array || p instanceof Float64Array;
    if (!(scores || p instanceof Int32Array)) {
      throw new SimdlossError(
        `${fn}: pred must be an Int32Array of predicted labels, or a Float32Array or Float64Array of scores (opts.classes a row); got ${show(pred)}`,
        'pred',
      );
    }
    const per = scores ? C : 1;
    if (p.length !== n * per) {
      const what = scores ? `${n} rows × ${C} classes = ${n * C} scores` : `${n} predicted labels`;
      throw new SimdlossError(`${fn}: pred has ${p.length} elements but labels has ${n}: expected ${what}`, 'pred');
    }
    const w = weightsOf(fn, weights, n, scores ? p : undefined, 'pred');
    const f32 = scores ? p instanceof Float32Array : w instanceof Float32Array;
    const ops = [
      operand(fn, 'labels', labels, 1, SLOT_LABELS),
      operand(fn, 'pred', pred, per, SLOT_PRED),
      operand(fn, 'opts.weights', weights, 1, SLOT_WEIGHTS),
    ];
    const mode = w === undefined ? 0 : MODE_WEIGHTED;
    const expected = [`an integer in [0, ${C})`, scores ? 'a score, not NaN' : `an integer in [0, ${C})`] as const;
    const kernel = (scores ? SCORES : LABELS).of(f32);
    pass(fn, n, ops, (m, [zy, zp, zw]) => kernel(m, C, zy!, zp!, zw!, at, mode), { names: ['labels', 'pred'], expected });
  });
  return n;
}

const confusionSpec: TallySpec<Float64Array> = {
  name: 'confusionMatrix',
  resolve: (fn, opts) => ({ classes: classesOf(fn, optionsOf(fn, opts, ['classes'])) }),
  cells: (o) => (o.classes as number) ** 2,
  batch: (fn, o, table, [labels, pred, weights]) => countConfusion(fn, o.classes as number, table, labels, pred, weights),
  shape: (_, cells) => cells,
};

/**
 * The confusion matrix: entry [t·C + k] counts the examples of true label t predicted as k (with
 * weights, their Σ w) — scikit-learn's `confusion_matrix` with `labels = [0, C)` and `sample_weight`.
 * `pred` holds predicted labels (an Int32Array, one per example) or rows of C scores (Float32Array
 * or Float64Array, row r at [r·C, (r + 1)·C)), whose argmax is the prediction: the first largest
 * score, so ties go to the lower class. Counts run in wasm; the result is a Float64Array of C²
 * cells, whatever the input dtype. Labels outside [0, C), NaN scores and weights that are
 * negative or not finite are refused with their index.
 *
 * @example
 * ```ts
 * import { confusionMatrix } from 'simdloss';
 *
 * const labels = Int32Array.of(2, 0, 2, 2, 0, 1);
 * confusionMatrix(labels, Int32Array.of(0, 0, 2, 2, 0, 2), { classes: 3 });   // [2, 0, 0,  0, 0, 1,  1, 0, 2]: rows true, columns predicted
 * const acc = confusionMatrix.create({ classes: 3 });   // exact and mergeable: counts are integers
 * acc.update(Int32Array.of(1), Float32Array.of(0.1, 0.7, 0.2)).result();   // [0, 0, 0,  0, 1, 0,  0, 0, 0]: argmax of the scores
 * ```
 */
export const confusionMatrix: ConfusionMatrixMetric = Object.defineProperty(
  function confusionMatrix(labels: Labels, pred: Labels | Floats, opts: ConfusionMatrixOptions): Float64Array {
    const fn = 'confusionMatrix';
    const o = optionsOf(fn, opts, ['classes', 'weights']);
    if (opts === undefined)
      throw new SimdlossError(`${fn}: opts.classes is required (opts must give the number of classes)`, 'opts.classes');
    const C = classesOf(fn, o);
    const table = new Float64Array(2 * C * C);
    countConfusion(fn, C, table, labels, pred, o.weights);
    return values(table);
  } as ConfusionMatrixMetric,
  'metricName',
  { value: 'confusionMatrix' },
);
tallying(confusionMatrix, confusionSpec);

/** Options of {@link binaryConfusion}. */
export interface BinaryConfusionOptions {
  /**
   * An example is predicted positive where its score is above the threshold (score > threshold,
   * compared in float64). Any finite number.
   *
   * @defaultValue 0.5
   */
  threshold?: number;
  /**
   * One weight per example (finite, ≥ 0), of the scores' dtype; each count is then Σ w.
   *
   * @defaultValue every example counts 1
   */
  weights?: Floats;
}

/** The four counts of a binary classifier at one threshold (with weights: Σ w of each). */
export interface BinaryCounts {
  /** Positive targets predicted positive. */
  tp: number;
  /** Negative targets predicted positive. */
  fp: number;
  /** Positive targets predicted negative. */
  fn: number;
  /** Negative targets predicted negative. */
  tn: number;
}

/** A binary target: Int32Array labels 0 and 1, or 0 and 1 in a float array of the scores' dtype. */
export type BinaryTarget = Labels | Floats;

/** binaryConfusion's accumulator: `update(target, scores, weights?)`, `result()` the counts so far. */
export type BinaryConfusionAccumulator = TallyAccumulator<[target: BinaryTarget, scores: Floats, weights?: Floats], BinaryCounts>;

/** {@link binaryConfusion}: the function, and its accumulators. */
export interface BinaryConfusionMetric {
  /** The metric's exported name, as its accumulators' states name it. */
  readonly metricName: 'binaryConfusion';
  (target: BinaryTarget, scores: Floats, opts?: BinaryConfusionOptions): BinaryCounts;
  /** An accumulator: the threshold fixed here, batches and their weights given to `update`. */
  create(opts?: Omit<BinaryConfusionOptions, 'weights'>): BinaryConfusionAccumulator;
  /** Restores an accumulator from its `toJSON()` state (or that state's JSON text). */
  fromJSON(state: unknown): BinaryConfusionAccumulator;
}

function thresholdOf(fn: string, value: unknown): number {
  if (value === undefined) return 0.5;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  throw new SimdlossError(`${fn}: opts.threshold must be a finite number; got ${show(value)}`, 'opts.threshold');
}

function countBinary(fn: string, threshold: number, table: Table, target: unknown, scores: unknown, weights: unknown): number {
  let n = 0;
  countInto(table, (at) => {
    const s = floatsOf(fn, 'scores', scores);
    const y = binaryTargetOf(fn, target, s, 'scores');
    n = s.length;
    const w = weightsOf(fn, weights, n, s, 'scores');
    const ops = [
      operand(fn, 'target', target, 1, SLOT_LABELS),
      operand(fn, 'scores', scores, 1, SLOT_PRED),
      operand(fn, 'opts.weights', weights, 1, SLOT_WEIGHTS),
    ];
    const mode = (w === undefined ? 0 : MODE_WEIGHTED) | (y instanceof Int32Array ? 0 : MODE_FLOAT_TARGET);
    const say = { names: ['target', 'scores'], expected: ['0 or 1', 'a score, not NaN'] } as const;
    const kernel = BINARY.of(s instanceof Float32Array);
    pass(fn, n, ops, (m, [zy, zs, zw]) => kernel(m, zy!, zs!, zw!, threshold, at, mode), say);
  });
  return n;
}

function counts(cells: Float64Array): BinaryCounts {
  return { tp: cells[0]!, fp: cells[1]!, fn: cells[2]!, tn: cells[3]! };
}

const binarySpec: TallySpec<BinaryCounts> = {
  name: 'binaryConfusion',
  resolve: (fn, opts) => ({ threshold: thresholdOf(fn, optionsOf(fn, opts, ['threshold']).threshold) }),
  cells: () => 4,
  batch: (fn, o, table, [target, scores, weights]) => countBinary(fn, o.threshold as number, table, target, scores, weights),
  shape: (_, cells) => counts(cells),
};

/**
 * The binary confusion counts at a threshold: an example is predicted positive where its score >
 * threshold; `{ tp, fp, fn, tn }` count the examples (with weights, Σ w) by target and prediction.
 * The target is 0 or 1: Int32Array labels, or a float array of the scores' dtype. NaN scores are
 * refused with their index (±Infinity are scores like any other).
 *
 * @example
 * ```ts
 * import { binaryConfusion } from 'simdloss';
 *
 * const target = Int32Array.of(1, 0, 1, 0);
 * const scores = Float32Array.of(0.9, 0.6, 0.3, 0.1);
 * binaryConfusion(target, scores).tp;   // 1 (positive where score > 0.5: tp 1, fp 1, fn 1, tn 1)
 * binaryConfusion(target, scores, { threshold: 0.2 }).tp;   // 2
 * ```
 */
export const binaryConfusion: BinaryConfusionMetric = Object.defineProperty(
  function binaryConfusion(target: BinaryTarget, scores: Floats, opts?: BinaryConfusionOptions): BinaryCounts {
    const fn = 'binaryConfusion';
    const o = optionsOf(fn, opts, ['threshold', 'weights']);
    const table = new Float64Array(8);
    countBinary(fn, thresholdOf(fn, o.threshold), table, target, scores, o.weights);
    return counts(values(table));
  } as BinaryConfusionMetric,
  'metricName',
  { value: 'binaryConfusion' },
);
tallying(binaryConfusion, binarySpec);
