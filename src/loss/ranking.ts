/**
 * Ranking metrics of binary scores: ROC AUC and average precision, exact (the scores sorted in wasm)
 * or over binned scores in bounded memory; and the curves they summarise.
 */
import type { FloatArray } from '../core/args.js';
import type { WasmArray } from '../core/memory.js';
import type { RankingAccumulatorOptions } from '../core/ranking-bins.js';
import {
  type PrecisionRecallCurve,
  precisionRecallCurveOf,
  type RankingMetric,
  type RankingOptions,
  type RocCurve,
  rankingMetric,
  rocCurveOf,
} from '../core/ranking-metric.js';

export type { RankingAccumulator, RankingAccumulatorOptions, RankingState } from '../core/ranking-bins.js';
export type { PrecisionRecallCurve, RankingMetric, RankingOptions, RocCurve } from '../core/ranking-metric.js';

/**
 * Area under the ROC curve (scikit-learn's `roc_auc_score`): the weighted fraction of
 * positive–negative pairs the scores order right, a tie counting half (the trapezoid over tied
 * scores). Targets are 0 or 1, as Int32Array labels or in the scores' dtype; scores are any numbers but NaN (−0 and +0 tie,
 * ±Infinity allowed). The sort runs in wasm and takes a temporary block of 16 bytes per example for
 * float32 scores, 32 for float64. `create({ bins, range })` accumulates binned scores in bounded
 * memory: exactly the AUC of the binned scores, within `errorBound()` of the exact one.
 *
 * @example
 * ```ts
 * import { rocAuc } from 'simdloss';
 *
 * rocAuc(Float64Array.of(0, 0, 1, 1), Float64Array.of(0.1, 0.4, 0.35, 0.8));   // 0.75
 * const acc = rocAuc.create({ bins: 4 });   // 0.25 wide: 0.35 and 0.4 share a bin
 * acc.update(Float64Array.of(0, 0, 1, 1), Float64Array.of(0.1, 0.4, 0.35, 0.8));
 * acc.result();       // 0.875: the tied pair counts half
 * acc.errorBound();   // 0.125
 * ```
 */
export const rocAuc: RankingMetric<RankingAccumulatorOptions> = rankingMetric('rocAuc', 'auc');

/**
 * Average precision (scikit-learn's `average_precision_score`): Σₙ (Rₙ − Rₙ₋₁)·Pₙ over the distinct
 * scores from the highest down, Pₙ and Rₙ the precision and recall of predicting positive from that
 * score up (tied scores enter together; no interpolation). Same targets, scores, weights, memory and
 * accumulators as {@link rocAuc}.
 *
 * @example
 * ```ts
 * import { averagePrecision } from 'simdloss';
 *
 * averagePrecision(Float64Array.of(0, 0, 1, 1), Float64Array.of(0.1, 0.4, 0.35, 0.8));   // 0.8333 = (1 + 2/3)/2
 * ```
 */
export const averagePrecision: RankingMetric<RankingAccumulatorOptions> = rankingMetric('averagePrecision', 'ap');

/**
 * The ROC curve (scikit-learn's `roc_curve` with `drop_intermediate=False`): false and true positive
 * rates at every distinct score, highest first, after (0, 0) at +Infinity. Same arguments and checks
 * as {@link rocAuc}; the trapezoid under it is rocAuc's value.
 *
 * @example
 * ```ts
 * import { rocCurve } from 'simdloss';
 *
 * const { fpr, tpr, thresholds } = rocCurve(Float64Array.of(0, 0, 1, 1), Float64Array.of(0.1, 0.4, 0.35, 0.8));
 * fpr;          // [0, 0, 0.5, 0.5, 1]
 * tpr;          // [0, 0.5, 0.5, 1, 1]
 * thresholds;   // [Infinity, 0.8, 0.4, 0.35, 0.1]
 * ```
 */
export function rocCurve(target: FloatArray | Int32Array | WasmArray, scores: FloatArray | WasmArray, opts?: RankingOptions): RocCurve {
  return rocCurveOf(target, scores, opts);
}

/**
 * The precision-recall curve (scikit-learn's `precision_recall_curve`, ≥ 1.1, `drop_intermediate=False`):
 * precision and recall at every distinct score, lowest first, then (precision 1, recall 0). Same
 * arguments and checks as {@link averagePrecision}.
 *
 * @example
 * ```ts
 * import { precisionRecallCurve } from 'simdloss';
 *
 * const { precision, recall } = precisionRecallCurve(Float64Array.of(0, 0, 1, 1), Float64Array.of(0.1, 0.4, 0.35, 0.8));
 * precision;   // [0.5, 0.6667, 0.5, 1, 1]
 * recall;      // [1, 1, 0.5, 0.5, 0]
 * ```
 */
export function precisionRecallCurve(
  target: FloatArray | Int32Array | WasmArray,
  scores: FloatArray | WasmArray,
  opts?: RankingOptions,
): PrecisionRecallCurve {
  return precisionRecallCurveOf(target, scores, opts);
}
