/**
 * Calibration of binary probabilities: equal-width reliability bins over [0, 1], the expected and
 * maximum calibration errors, with an exact, mergeable accumulator.
 */

import { MODE_FLOAT_TARGET, MODE_WEIGHTED, SLOT_LABELS, SLOT_PRED, SLOT_WEIGHTS } from '../core/abi.js';
import { KernelPair } from '../core/kernels.js';
import { countInto, operand, pass, type Table, values } from '../core/tally.js';
import { type TallyAccumulator, type TallySpec, tallying } from '../core/tally-stream.js';
import { binaryTargetOf, floatsOf, integerOption, optionsOf, weightsOf } from './checks.js';
import type { BinaryTarget, Floats } from './confusion.js';

const BINS = new KernelPair('calibration');

/** The most bins: each takes 48 bytes of wasm memory during a call (and 6 numbers in a state). */
const MAX_BINS = 65536;

/** Options of {@link calibration}. */
export interface CalibrationOptions {
  /**
   * The number B of equal-width bins over [0, 1]: bin k holds k/B ≤ p < (k + 1)/B (p·B rounded in
   * float64), and 1.0 falls in the last. An integer in [1, 65536].
   *
   * @defaultValue 15
   */
  bins?: number;
  /**
   * One weight per example (finite, ≥ 0), of the probabilities' dtype: bins then hold Σ w and
   * weighted means.
   *
   * @defaultValue every example counts 1
   */
  weights?: Floats;
}

/** Per bin (arrays of B values; an empty bin reports 0, 0, 0). */
export interface CalibrationBins {
  /** Examples in the bin (with weights: their Σ w). */
  count: Float64Array;
  /** Mean predicted probability in the bin (weighted mean with weights). */
  confidence: Float64Array;
  /** Fraction of positive targets in the bin (weighted with weights). */
  accuracy: Float64Array;
}

/** What {@link calibration} returns. */
export interface Calibration {
  /** Expected calibration error: Σ_b (count_b / Σ count)·|accuracy_b − confidence_b| (0 over no examples). */
  ece: number;
  /** Maximum calibration error: the largest |accuracy_b − confidence_b| over the non-empty bins (0 if none). */
  mce: number;
  /** The reliability diagram's bins. */
  bins: CalibrationBins;
}

/** calibration's accumulator: `update(target, probs, weights?)`, `result()` the calibration so far. */
export type CalibrationAccumulator = TallyAccumulator<[target: BinaryTarget, probs: Floats, weights?: Floats], Calibration>;

/** {@link calibration}: the function, and its accumulators. */
export interface CalibrationMetric {
  /** The metric's exported name, as its accumulators' states name it. */
  readonly metricName: 'calibration';
  (target: BinaryTarget, probs: Floats, opts?: CalibrationOptions): Calibration;
  /** An accumulator: `bins` fixed here, batches and their weights given to `update`. */
  create(opts?: Omit<CalibrationOptions, 'weights'>): CalibrationAccumulator;
  /** Restores an accumulator from its `toJSON()` state (or that state's JSON text). */
  fromJSON(state: unknown): CalibrationAccumulator;
}

function binsOf(fn: string, value: unknown): number {
  return integerOption(fn, 'bins', value, 1, MAX_BINS, 15);
}

function countBins(fn: string, B: number, table: Table, target: unknown, probs: unknown, weights: unknown): number {
  let n = 0;
  countInto(table, (at) => {
    const p = floatsOf(fn, 'probs', probs);
    const y = binaryTargetOf(fn, target, p, 'probs');
    n = p.length;
    const w = weightsOf(fn, weights, n, p, 'probs');
    const ops = [
      operand(fn, 'target', target, 1, SLOT_LABELS),
      operand(fn, 'probs', probs, 1, SLOT_PRED),
      operand(fn, 'opts.weights', weights, 1, SLOT_WEIGHTS),
    ];
    const mode = (w === undefined ? 0 : MODE_WEIGHTED) | (y instanceof Int32Array ? 0 : MODE_FLOAT_TARGET);
    const kernel = BINS.of(p instanceof Float32Array);
    const say = { names: ['target', 'probs'], expected: ['0 or 1', 'a probability in [0, 1]'] } as const;
    pass(fn, n, ops, (m, [zy, zp, zw]) => kernel(m, B, zy!, zp!, zw!, at, mode), say);
  });
  return n;
}

/** The result from each bin's Σ w, Σ w·p and Σ w·y (cells 3b, 3b + 1, 3b + 2). */
function shape(cells: Float64Array): Calibration {
  const B = cells.length / 3;
  const count = new Float64Array(B);
  const confidence = new Float64Array(B);
  const accuracy = new Float64Array(B);
  let total = 0;
  let gaps = 0;
  let mce = 0;
  for (let b = 0; b < B; b++) {
    const w = cells[3 * b]!;
    if (!(w > 0)) continue;
    count[b] = w;
    confidence[b] = cells[3 * b + 1]! / w;
    accuracy[b] = cells[3 * b + 2]! / w;
    const gap = Math.abs(accuracy[b]! - confidence[b]!);
    total += w;
    gaps += w * gap;
    mce = Math.max(mce, gap);
  }
  return { ece: total > 0 ? gaps / total : 0, mce, bins: { count, confidence, accuracy } };
}

const calibrationSpec: TallySpec<Calibration> = {
  name: 'calibration',
  resolve: (fn, opts) => ({ bins: binsOf(fn, optionsOf(fn, opts, ['bins']).bins) }),
  cells: (o) => 3 * (o.bins as number),
  batch: (fn, o, table, [target, probs, weights]) => countBins(fn, o.bins as number, table, target, probs, weights),
  shape: (_, cells) => shape(cells),
};

/**
 * Calibration of binary probabilities: B equal-width bins over [0, 1] (bin k holds k/B ≤ p <
 * (k + 1)/B, 1.0 the last), each with its count, mean predicted probability (confidence) and
 * fraction of positive targets (accuracy) — the reliability diagram — and the expected (ECE, bins
 * weighted by their share of the examples) and maximum (MCE) calibration errors. With weights,
 * counts are Σ w and the means weighted. The target is 0 or 1 (Int32Array labels, or a float
 * array of the probabilities' dtype); probabilities outside [0, 1] or NaN are refused with their index.
 *
 * @example
 * ```ts
 * import { calibration } from 'simdloss';
 *
 * const { ece, mce, bins } = calibration(Int32Array.of(0, 1, 1, 1), Float64Array.of(0.1, 0.3, 0.8, 0.9), { bins: 2 });
 * bins.count;        // [2, 2]
 * bins.confidence;   // [0.2, 0.85]
 * bins.accuracy;     // [0.5, 1]
 * ece;               // 0.225 = ½·0.3 + ½·0.15
 * mce;               // 0.3
 * ```
 */
export const calibration: CalibrationMetric = Object.defineProperty(
  function calibration(target: BinaryTarget, probs: Floats, opts?: CalibrationOptions): Calibration {
    const fn = 'calibration';
    const o = optionsOf(fn, opts, ['bins', 'weights']);
    const B = binsOf(fn, o.bins);
    const table = new Float64Array(6 * B);
    countBins(fn, B, table, target, probs, o.weights);
    return shape(values(table));
  } as CalibrationMetric,
  'metricName',
  { value: 'calibration' },
);
tallying(calibration, calibrationSpec);
