/**
 * The exact ranking metrics' call path: the scores, targets and weights streamed through the scratch
 * slots into items (a sortable key and its payload) in one temporary block, sorted there by the
 * radix sort kernel, then swept once over their distinct scores from the highest down.
 *
 * The block holds two copies of the items (the sort moves them between the two) and the sort's
 * histograms: 16 bytes per example for float32 scores, 32 for float64 (1e7 float32 scores: 160 MB),
 * plus 24 bytes per distinct score for a curve. It goes back to the allocator after the call;
 * wasm memory, once grown, does not shrink, and later calls and alloc() reuse it.
 */
import { binaryTargetOf } from '../metric/checks.js';
import { ARGUMENT_PRED, ARGUMENT_TARGET, R_ARGUMENT_I32, RANK_HISTOGRAM_BYTES, SLOT, SLOT_BYTES } from './abi.js';
import { checkOptionNames, type FloatArray, floatArray, like, wasmPointer } from './args.js';
import { SimdlossError, show } from './errors.js';
import { KernelPair } from './kernels.js';
import { give, rederive, take } from './memory.js';
import { optionsObject } from './options.js';
import { chunkAt, slotAt } from './staging.js';
import { chunkOf, ready, views, wasm } from './wasm.js';

const ITEMS = new KernelPair('rankItems');
const SORT = new KernelPair('rankSort');
const SWEEP = new KernelPair('rankSweep');

const HISTOGRAM_BYTES = RANK_HISTOGRAM_BYTES;
const BLOCK_ALIGN = 64;

/** What one sweep adds up over the distinct scores, highest first (tp, fp: weight of the positives, negatives in a group). */
export interface Totals {
  /** Σ fp·(2·TP before the group + tp): twice the area under the ROC curve times P·N. */
  area2: number;
  /** Σ tp·TP/(TP + FP), TP and FP through the group: average precision times P. */
  precisionSum: number;
  /** P: the positives' weight. */
  positive: number;
  /** N: the negatives' weight. */
  negative: number;
}

/** A curve's points, one per distinct score of nonzero weight, highest first: the score, TP and FP through it. */
export interface Points {
  score: Float64Array;
  tp: Float64Array;
  fp: Float64Array;
}

/** The arguments of one batch: the arrays and their wasm pointers (-1 for an ordinary array). */
export interface Operands {
  /** Int32Array labels are converted to the scores' dtype chunk by chunk, so the kernels read one target type. */
  target: FloatArray | Int32Array;
  scores: FloatArray;
  weights: FloatArray | undefined;
  zt: number;
  zs: number;
  zw: number;
}

/**
 * Checks scores, then target and weights against them (dtype, length); `weightsName` as messages name
 * it. The target is what the counting metrics take: Int32Array labels, or floats of the scores' dtype.
 */
export function operands(fn: string, target: unknown, scores: unknown, weights: unknown, weightsName: string): Operands {
  const s = floatArray(fn, 'scores', scores);
  const t = binaryTargetOf(fn, target, s, 'scores');
  const w = weights === undefined ? undefined : like(fn, weightsName, weights, s, 'scores');
  // labels (Int32Array) are read as scores a chunk at a time, never in place: their zt is not read
  return {
    target: t,
    scores: s,
    weights: w,
    zt: wasmPointer(fn, 'target', target),
    zs: wasmPointer(fn, 'scores', scores),
    zw: wasmPointer(fn, weightsName, weights),
  };
}

/** Elements per chunk through a scratch slot. */
export function chunkFor(a: FloatArray): number {
  return chunkOf(SLOT_BYTES / (a instanceof Float32Array ? 4 : 8));
}

/** Runs `kernel(m, target, scores, weights, at(i))` over the operands a chunk at a time; throws what it refuses. */
export function eachChunk(
  fn: string,
  a: Operands,
  weightsName: string,
  kernel: (m: number, t: number, s: number, w: number, i: number) => number,
): void {
  const n = a.scores.length;
  const chunk = chunkFor(a.scores);
  for (let i = 0; i < n; i += chunk) {
    const m = Math.min(chunk, n - i);
    const t = a.target instanceof Int32Array ? labelsAsScores(a.target, a.scores, i, m) : chunkAt(a.target, a.zt, SLOT.target, i, m);
    const s = chunkAt(a.scores, a.zs, SLOT.pred, i, m);
    const w = a.weights === undefined ? 0 : chunkAt(a.weights, a.zw, SLOT.weights, i, m);
    const bad = kernel(m, t, s, w, i);
    if (bad >= 0) throw refused(fn, a, weightsName, i + bad);
  }
}

/**
 * Labels [i, i + m) written into the target slot as floats of the scores' dtype (an integer converts
 * exactly to float64; to float32 a label other than 0 and 1 may round, but stays refused, and the
 * message shows the label itself).
 */
function labelsAsScores(labels: Int32Array, scores: FloatArray, i: number, m: number): number {
  const to = slotAt(SLOT.target);
  const from = labels.subarray(i, i + m);
  if (scores instanceof Float32Array) wasm.f32.set(from, to >> 2);
  else wasm.f64.set(from, to >> 3);
  return to;
}

function refused(fn: string, a: Operands, weightsName: string, i: number): SimdlossError {
  const argument = views().i32[wasm.result * 2 + R_ARGUMENT_I32];
  if (argument === ARGUMENT_TARGET) return new SimdlossError(`${fn}: target[${i}] must be 0 or 1; got ${show(a.target[i])}`, 'target', i);
  if (argument === ARGUMENT_PRED) return new SimdlossError(`${fn}: scores[${i}] must be a number, not NaN; got NaN`, 'scores', i);
  return new SimdlossError(`${fn}: ${weightsName}[${i}] must be a finite number ≥ 0; got ${show(a.weights![i])}`, weightsName, i);
}

/** An options object as the counting metrics read one: undefined (or null) for none, and not an array. */
export function metricOptions(fn: string, opts: unknown): Record<string, unknown> | undefined {
  if (Array.isArray(opts)) throw new SimdlossError(`${fn}: opts must be an object; got ${show(opts)}`, 'opts');
  return optionsObject(fn, opts);
}

/** The one-shot call's options: only `weights`. */
function weightsOf(fn: string, opts: unknown): unknown {
  const o = metricOptions(fn, opts);
  if (o === undefined) return undefined;
  checkOptionNames(fn, o, ['weights']);
  return o.weights;
}

/**
 * Sorts the examples by score and sweeps them: the totals, and with `curve` the points of every
 * distinct score. Both classes must be present with nonzero weight.
 */
export function rank(fn: string, target: unknown, scores: unknown, opts: unknown, curve: boolean): { totals: Totals; points?: Points } {
  ready();
  const weights = weightsOf(fn, opts);
  let run = sortAndSweep(fn, target, scores, weights, curve);
  if (weights !== undefined) {
    let w = like(fn, 'opts.weights', rederive(weights), floatArray(fn, 'scores', rederive(scores)), 'scores');
    // at most twice: a class's sum that overflowed is first brought back into range, then P·N
    for (let pass = 0; pass < 2; pass++) {
      const k = rescaling(run.totals, w);
      if (k === 0) break;
      w = w.map((v) => timesPowerOfTwo(v, k));
      run = sortAndSweep(fn, target, scores, w, curve);
    }
  }
  bothClasses(fn, run.totals);
  return run;
}

/** One sort and sweep of the examples (checked), in a temporary block. */
function sortAndSweep(fn: string, target: unknown, scores: unknown, weights: unknown, curve: boolean): { totals: Totals; points?: Points } {
  let a = operands(fn, target, scores, weights, 'opts.weights');
  const n = a.scores.length;
  const f32 = a.scores instanceof Float32Array;
  const item = f32 ? 8 : 16;
  const itemsAt = HISTOGRAM_BYTES + 64;
  const bytes = Math.ceil((itemsAt + 2 * n * item + (curve ? 24 * n : 0)) / BLOCK_ALIGN) * BLOCK_ALIGN;
  const block = take(bytes);
  try {
    // Growing memory detached our views and any a WasmArray handed out: derive them again.
    views();
    a = operands(fn, rederive(target), rederive(scores), rederive(weights), 'opts.weights');
    const items = block + itemsAt;
    const spare = items + n * item;
    const kernel = ITEMS.of(f32);
    wasm.u8.fill(0, block, block + HISTOGRAM_BYTES);
    eachChunk(fn, a, 'opts.weights', (m, t, s, w, i) => kernel(m, t, s, w, items + i * item, block));
    const sorted = SORT.of(f32)(n, items, spare, block) === 0 ? items : spare;
    const curveAt = curve ? spare + n * item : 0;
    const count = SWEEP.of(f32)(n, sorted, block + HISTOGRAM_BYTES, curveAt);
    const f64 = views().f64;
    const at = (block + HISTOGRAM_BYTES) / 8;
    const totals = { area2: f64[at]!, precisionSum: f64[at + 1]!, positive: f64[at + 2]!, negative: f64[at + 3]! };
    return curve ? { totals, points: pointsAt(f64, curveAt, count) } : { totals };
  } finally {
    give(block, bytes);
  }
}

/**
 * The ROC area sums products of weights (Σ fp·(2·TP + tp), up to 2·P·N): weights near 1e150 overflow
 * it to Infinity, subnormal ones underflow P·N to 0 (the AUC came out NaN). Scaling every weight by
 * one power of two changes no ratio and rounds nothing (within float64's range), so such sums are
 * taken again with weights scaled to bring √(P·N) to 1 — or, where a class's sum overflowed, to
 * bring every sum just below 2^1022 first (the caller then asks again). Returns that power's
 * exponent, 0 when the sums are in range (always for float32 weights: P·N stays within 2^±320).
 */
export function rescaling(t: Totals, w?: ArrayLike<number>): number {
  const { positive: p, negative: n } = t;
  if (!(p > 0 && n > 0)) return 0; // a class absent: refused as such
  const pairs = p * n;
  if (Number.isFinite(t.area2) && Number.isFinite(t.precisionSum) && pairs >= 2 ** -960 && pairs <= 2 ** 960) return 0;
  if (Number.isFinite(p) && Number.isFinite(n)) {
    const k = -Math.round((Math.log2(p) + Math.log2(n)) / 2);
    return Math.min(k, 1000 - Math.ceil(Math.log2(Math.max(p, n)))); // the larger sum stays finite
  }
  // A sum overflowed: bring the largest weight, times the number of examples, just below 2^1022, so
  // that every sum is finite and the lightest weights move down as few bits as can be (below 1, a
  // class of 2^-1000 beside one of 2^1020 came out as zero weight, refused as absent).
  if (w === undefined) return 0;
  let max = 0;
  for (let i = 0; i < w.length; i++) max = Math.max(max, w[i]!);
  return 1022 - Math.ceil(Math.log2(max)) - Math.ceil(Math.log2(w.length + 1));
}

/** x·2^k, exact unless it leaves float64's range (2^k alone may not be a float64). */
export function timesPowerOfTwo(x: number, k: number): number {
  const half = Math.trunc(k / 2);
  return x * 2 ** half * 2 ** (k - half);
}

function pointsAt(f64: Float64Array, at: number, count: number): Points {
  const points = { score: new Float64Array(count), tp: new Float64Array(count), fp: new Float64Array(count) };
  for (let k = 0, j = at / 8; k < count; k++, j += 3) {
    points.score[k] = f64[j]!;
    points.tp[k] = f64[j + 1]!;
    points.fp[k] = f64[j + 2]!;
  }
  return points;
}

/** Throws unless there are positives and negatives, each of nonzero weight. */
export function bothClasses(fn: string, t: Totals): void {
  for (const [weight, label, name] of [
    [t.positive, 1, 'positive'],
    [t.negative, 0, 'negative'],
  ] as const) {
    if (!(weight > 0)) {
      throw new SimdlossError(
        `${fn}: target has no ${name} example (${label}) of nonzero weight: the metric is undefined with one class`,
        'target',
      );
    }
  }
}

/** The area under the ROC curve from a sweep's totals (a tie between a positive and a negative counts half). */
export function areaOf(t: Totals): number {
  // Unweighted, area2 and 2PN are integers (exact in float64 up to 2^53), so the area is correctly rounded.
  // 2·P·N is finite: weights that would overflow it are rescaled first (rescaling).
  return t.area2 / (2 * t.positive * t.negative);
}

/** Average precision from a sweep's totals: Σ (Rₙ − Rₙ₋₁)·Pₙ = Σ tp·precision / P. */
export function precisionOf(t: Totals): number {
  return t.precisionSum / t.positive;
}
