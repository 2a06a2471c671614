/** Precision, recall and F1 per class, and their averages, read from a confusion matrix. */

import { SimdlossError, show } from '../core/errors.js';
import { MAX_CLASSES, optionsOf } from './checks.js';

/** How per-class scores are combined: 'none' (per-class arrays), 'macro', 'micro' or 'weighted'. */
export type Average = 'none' | 'macro' | 'micro' | 'weighted';

/** Options of {@link precisionRecallF1}. */
export interface PrecisionRecallF1Options<A extends Average = Average> {
  /**
   * 'none': one value per class; 'macro': their unweighted mean; 'weighted': their mean weighted by
   * support (the class's true count); 'micro': from the counts summed over classes (for one label
   * per example: precision = recall = F1 = accuracy).
   *
   * @defaultValue 'none'
   */
  average?: A;
}

/** Per-class precision, recall, F1 and support (the examples of each true class), each an array of C values. */
export interface PerClassScores {
  /** tp / (tp + fp) of each class: of the examples predicted k, the share truly k. */
  precision: Float64Array;
  /** tp / (tp + fn) of each class: of the examples truly k, the share predicted k. */
  recall: Float64Array;
  /** 2tp / (2tp + fp + fn) of each class: the harmonic mean of its precision and recall. */
  f1: Float64Array;
  /** The examples of each true class (with weights, their Σ w): the matrix's row sums. */
  support: Float64Array;
}

/** Averaged precision, recall and F1; support is the matrix's total. */
export interface AveragedScores {
  /** The averaged precision. */
  precision: number;
  /** The averaged recall. */
  recall: number;
  /** The averaged F1 ('macro' and 'weighted': the mean of the per-class F1, not the F1 of the mean precision and recall). */
  f1: number;
  /** The matrix's total: every example (with weights, Σ w). */
  support: number;
}

function averageOf(fn: string, value: unknown): Average {
  if (value === undefined) return 'none';
  if (value === 'none' || value === 'macro' || value === 'micro' || value === 'weighted') return value;
  throw new SimdlossError(`${fn}: opts.average must be 'none', 'macro', 'micro' or 'weighted'; got ${show(value)}`, 'opts.average');
}

/** C from a matrix of C² cells, each a finite count ≥ 0. */
function classesOfMatrix(fn: string, matrix: unknown): number {
  if (!(matrix instanceof Float64Array || matrix instanceof Float32Array || Array.isArray(matrix))) {
    throw new SimdlossError(`${fn}: matrix must be a Float64Array of C×C counts (from confusionMatrix); got ${show(matrix)}`, 'matrix');
  }
  const C = Math.round(Math.sqrt(matrix.length));
  if (C < 1 || C > MAX_CLASSES || C * C !== matrix.length) {
    throw new SimdlossError(
      `${fn}: matrix must have C² elements for a class count C in [1, ${MAX_CLASSES}]; got ${matrix.length}`,
      'matrix',
    );
  }
  for (let i = 0; i < matrix.length; i++) {
    const v = matrix[i];
    if (typeof v !== 'number' || !(v >= 0) || v === Infinity) {
      throw new SimdlossError(`${fn}: matrix[${i}] must be a finite count ≥ 0; got ${show(v)}`, 'matrix', i);
    }
  }
  return C;
}

/** a / b, and 0 where b is 0 (scikit-learn's zero_division=0). */
function ratio(a: number, b: number): number {
  return b > 0 ? a / b : 0;
}

/** Per class k: tp = M[k,k], predicted = Σ column k, support = Σ row k. */
function perClass(matrix: ArrayLike<number>, C: number): PerClassScores & { tp: Float64Array; predicted: Float64Array } {
  const tp = new Float64Array(C);
  const predicted = new Float64Array(C);
  const support = new Float64Array(C);
  for (let t = 0; t < C; t++) {
    for (let k = 0; k < C; k++) {
      const v = matrix[t * C + k]!;
      support[t]! += v;
      predicted[k]! += v;
    }
    tp[t] = matrix[t * C + t]!;
  }
  const precision = tp.map((x, k) => ratio(x, predicted[k]!));
  const recall = tp.map((x, k) => ratio(x, support[k]!));
  // F1 = 2tp / (2tp + fp + fn): scikit-learn's form, 0 when no example is in class k either way.
  const f1 = tp.map((x, k) => ratio(2 * x, predicted[k]! + support[k]!));
  return { precision, recall, f1, support, tp, predicted };
}

function mean(x: Float64Array, weights?: Float64Array): number {
  let s = 0;
  let w = 0;
  for (let k = 0; k < x.length; k++) {
    const wk = weights === undefined ? 1 : weights[k]!;
    s += wk * x[k]!;
    w += wk;
  }
  return ratio(s, w);
}

/**
 * Precision, recall and F1 from a confusion matrix (rows true labels, columns predictions, as
 * {@link confusionMatrix} returns it), C read from its length C²: scikit-learn's
 * `precision_recall_fscore_support(zero_division=0)` over every class. Per class k, precision =
 * tp / predicted k, recall = tp / support, F1 = 2tp / (2tp + fp + fn), each 0 where its
 * denominator is 0. 'macro' averages the classes' values, 'weighted' weights them by support,
 * 'micro' computes them from the summed counts; averaged, `support` is the matrix's total.
 *
 * @example
 * ```ts
 * import { confusionMatrix, precisionRecallF1 } from 'simdloss';
 *
 * const m = confusionMatrix(Int32Array.of(2, 0, 2, 2, 0, 1), Int32Array.of(0, 0, 2, 2, 0, 2), { classes: 3 });
 * precisionRecallF1(m, { average: 'macro' }).precision;   // 0.4444
 * precisionRecallF1(m, { average: 'macro' }).f1;          // 0.4889 = (0.8 + 0 + 0.6667) / 3
 * precisionRecallF1(m, { average: 'micro' }).f1;          // 0.6667 = accuracy, 4 of 6
 * precisionRecallF1(m).f1;                                // [0.8, 0, 0.6667] per class
 * ```
 */
export function precisionRecallF1(matrix: Float64Array | readonly number[], opts?: PrecisionRecallF1Options<'none'>): PerClassScores;
export function precisionRecallF1(
  matrix: Float64Array | readonly number[],
  opts: PrecisionRecallF1Options<'macro' | 'micro' | 'weighted'>,
): AveragedScores;
export function precisionRecallF1(
  matrix: Float64Array | readonly number[],
  opts?: PrecisionRecallF1Options,
): PerClassScores | AveragedScores;
export function precisionRecallF1(
  matrix: Float64Array | readonly number[],
  opts?: PrecisionRecallF1Options,
): PerClassScores | AveragedScores {
  const fn = 'precisionRecallF1';
  const average = averageOf(fn, optionsOf(fn, opts, ['average']).average);
  const C = classesOfMatrix(fn, matrix);
  const { tp, predicted, ...scores } = perClass(matrix, C);
  if (average === 'none') return scores;
  const total = scores.support.reduce((a, b) => a + b, 0);
  if (average === 'micro') {
    const hits = tp.reduce((a, b) => a + b, 0);
    const called = predicted.reduce((a, b) => a + b, 0);
    return { precision: ratio(hits, called), recall: ratio(hits, total), f1: ratio(2 * hits, called + total), support: total };
  }
  const w = average === 'weighted' ? scores.support : undefined;
  return { precision: mean(scores.precision, w), recall: mean(scores.recall, w), f1: mean(scores.f1, w), support: total };
}
