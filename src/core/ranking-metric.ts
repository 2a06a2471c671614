/** The public shape of the ranking metrics and their curves, built around the sweep of ranking.ts. */
import type { FloatArray } from './args.js';
import type { WasmArray } from './memory.js';
import { areaOf, precisionOf, rank } from './ranking.js';
import { RankingAccumulator, type RankingAccumulatorOptions, type RankingKind, type RankingState, resolveBins } from './ranking-bins.js';

/** Options of a ranking metric's one-shot call ({@link rocAuc}, {@link averagePrecision}) and of the curves. */
export interface RankingOptions {
  /** One weight per example, finite and ≥ 0, of the scores' dtype (scikit-learn's `sample_weight`). */
  weights?: FloatArray | WasmArray;
}

/** A ranking metric: the exact value of one call, and bounded-memory accumulators over binned scores. */
export interface RankingMetric<O = RankingAccumulatorOptions> {
  /**
   * The metric of `scores` (a higher score: more likely positive) against `target` (0 or 1 per
   * example, same length: Int32Array labels, or floats of the scores' dtype, as the counting metrics
   * take them). Throws SimdlossError for a target other than 0 or 1, a NaN
   * score, a bad weight, or a class absent (or of zero total weight).
   */
  (target: FloatArray | Int32Array | WasmArray, scores: FloatArray | WasmArray, opts?: RankingOptions): number;
  /** No numeric option on the call (the accumulator's are in `create`). */
  readonly options: readonly [];
  /** The metric's exported name, as its accumulators' states name it; a metric has no `reduction` (one number over all the examples). */
  readonly metricName: string;
  /** An accumulator over equal-width bins of the scores: bounded memory, exact merges, JSON state. */
  create(opts?: O): RankingAccumulator;
  /** Restores an accumulator from its `toJSON()` state (or that state's JSON text). */
  fromJSON(state: RankingState | string): RankingAccumulator;
}

/** A ranking metric of `kind` named `name`. */
export function rankingMetric(name: string, kind: RankingKind): RankingMetric {
  const f = {
    [name]: (target: unknown, scores: unknown, opts?: unknown) => {
      // Stryker disable next-line BooleanLiteral: the curve's points, asked for, cost time and memory but change no total
      const { totals } = rank(name, target, scores, opts, false);
      return kind === 'auc' ? areaOf(totals) : precisionOf(totals);
    },
  }[name]!;
  Object.defineProperties(f, {
    options: { value: Object.freeze([]) },
    metricName: { value: name },
    create: { value: (opts?: unknown) => new RankingAccumulator(name, kind, resolveBins(`${name}.create`, opts)) },
    fromJSON: { value: (state: unknown) => RankingAccumulator.restore(name, kind, state) },
  });
  return f as unknown as RankingMetric;
}

/** The ROC curve: one point per distinct score, highest first, after a first point (0, 0) at +Infinity. */
export interface RocCurve {
  /** False positive rate FP/N at each threshold. */
  fpr: Float64Array;
  /** True positive rate (recall) TP/P at each threshold. */
  tpr: Float64Array;
  /** The thresholds, decreasing: an example is predicted positive when its score ≥ the threshold. */
  thresholds: Float64Array;
}

/** The precision-recall curve: one point per distinct score, lowest first, then the point (recall 0, precision 1). */
export interface PrecisionRecallCurve {
  /** TP/(TP + FP) at each threshold, then 1. */
  precision: Float64Array;
  /** TP/P at each threshold, then 0. */
  recall: Float64Array;
  /** The thresholds, increasing (one fewer than the points). */
  thresholds: Float64Array;
}

export function rocCurveOf(target: unknown, scores: unknown, opts?: unknown): RocCurve {
  const { totals, points } = rank('rocCurve', target, scores, opts, true);
  const k = points!.score.length;
  const curve = { fpr: new Float64Array(k + 1), tpr: new Float64Array(k + 1), thresholds: new Float64Array(k + 1) };
  curve.thresholds[0] = Infinity;
  for (let j = 0; j < k; j++) {
    curve.fpr[j + 1] = points!.fp[j]! / totals.negative;
    curve.tpr[j + 1] = points!.tp[j]! / totals.positive;
    curve.thresholds[j + 1] = points!.score[j]!;
  }
  return curve;
}

export function precisionRecallCurveOf(target: unknown, scores: unknown, opts?: unknown): PrecisionRecallCurve {
  const { totals, points } = rank('precisionRecallCurve', target, scores, opts, true);
  const k = points!.score.length;
  const curve = { precision: new Float64Array(k + 1), recall: new Float64Array(k + 1), thresholds: new Float64Array(k) };
  for (let j = 0; j < k; j++) {
    const at = k - 1 - j;
    const tp = points!.tp[at]!;
    curve.precision[j] = tp / (tp + points!.fp[at]!);
    curve.recall[j] = tp / totals.positive;
    curve.thresholds[j] = points!.score[at]!;
  }
  curve.precision[k] = 1;
  return curve;
}
