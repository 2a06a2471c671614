// Ranking metrics (ROC AUC, average precision): the scores sorted by an LSD radix sort on their
// ordered bit patterns, then one sweep over the distinct scores from the highest down. Integer and
// float64 scalar code only, so the SIMD and scalar builds compute the same bits.
//
// An item is a score's key and a payload (the target in the top bit, the weight's bits below it):
//   float32: one u64, key in the high half, payload in the low half;
//   float64: two u64, key then payload.
// Sorting moves the payload with its key, so the sweep reads no other array.

import { ARGUMENT_PRED, ARGUMENT_TARGET, ARGUMENT_WEIGHTS, RESULT_ARGUMENT } from "../abi";
import { Off, On, setResult } from "../kernel/shared";

/** Bits per radix digit: 2048 counters (8 KiB) stay in L1 while a pass scatters. */
const DIGIT: i32 = 11;
const BUCKETS: i32 = 1 << DIGIT;
/** Bytes of histograms the sort needs (six digits cover a float64 key); the caller provides them. */
export const RANK_HISTOGRAM_BYTES: i32 = 6 * BUCKETS * 4;

// @ts-ignore: decorator
@inline function itemBytes<T>(): usize {
  return sizeof<T>() == 4 ? 8 : 16;
}

// @ts-ignore: decorator
@inline function passes<T>(): i32 {
  return sizeof<T>() == 4 ? 3 : 6;
}

/** The key of item i: unsigned order of the keys is the order of the scores. */
// @ts-ignore: decorator
@inline function keyAt<T>(items: usize, i: usize): u64 {
  return sizeof<T>() == 4 ? load<u64>(items + (i << 3)) >> 32 : load<u64>(items + (i << 4));
}

// @ts-ignore: decorator
@inline function payloadAt<T>(items: usize, i: usize): u64 {
  return sizeof<T>() == 4 ? load<u64>(items + (i << 3)) & 0xffffffff : load<u64>(items + (i << 4), 8);
}

/**
 * A score's bits made unsigned-ordered: a non-negative float gets its sign bit set, a negative one
 * every bit flipped (larger magnitude, smaller key). -0 is read as +0, so the two are tied.
 */
// @ts-ignore: decorator
@inline function orderedKey<T>(s: T): u64 {
  if (sizeof<T>() == 4) {
    const b = <u64>reinterpret<u32>(<f32>s + <f32>0); // -0 + 0 = +0
    return b >> 31 ? b ^ 0xffffffff : b | 0x80000000;
  }
  const b = reinterpret<u64>(<f64>s + 0);
  return b >> 63 ? ~b : b | 0x8000000000000000;
}

/** The score a key came from (+0 for a -0). */
// @ts-ignore: decorator
@inline function scoreOf<T>(key: u64): f64 {
  if (sizeof<T>() == 4) {
    const k = <u32>key;
    return <f64>reinterpret<f32>(k >> 31 ? k & 0x7fffffff : ~k);
  }
  return reinterpret<f64>(key >> 63 ? key & 0x7fffffffffffffff : ~key);
}

// @ts-ignore: decorator
@inline function refuse(argument: i32, i: i32): i32 {
  setResult<i32>(RESULT_ARGUMENT, argument);
  return i;
}

/**
 * Items for n examples from `target` (0 or 1), `scores` (not NaN) and `weights` (finite, ≥ 0; 0: each
 * weighs 1), written from `items`, their keys' digits counted into `histograms` (RANK_HISTOGRAM_BYTES,
 * zeroed before the first batch of items: counting here spares the sort a pass over them). Returns -1,
 * or the index of the first refused value (its argument at RESULT_ARGUMENT): scores first, then
 * target, then weights, as one example is read.
 */
function rankItems<T>(n: i32, target: usize, scores: usize, weights: usize, items: usize, histograms: usize): i32 {
  for (let i = 0; i < n; i++) {
    const at = <usize>i << alignof<T>();
    const s = load<T>(scores + at);
    if (s != s) return refuse(ARGUMENT_PRED, i);
    const y = load<T>(target + at);
    if (y != 0 && y != 1) return refuse(ARGUMENT_TARGET, i);
    const w: T = weights ? load<T>(weights + at) : <T>1;
    if (!(w >= 0 && w - w == 0)) return refuse(ARGUMENT_WEIGHTS, i); // NaN fails the first test, +∞ the second
    const key = orderedKey<T>(s);
    const weight: T = w + <T>0; // a weight of -0 as +0: its sign bit is the target's place
    for (let p = 0; p < passes<T>(); p++) {
      const at = histograms + ((<usize>(p * BUCKETS) + <usize>((key >> <u64>(p * DIGIT)) & <u64>(BUCKETS - 1))) << 2);
      store<u32>(at, load<u32>(at) + 1);
    }
    if (sizeof<T>() == 4) {
      const payload = <u64>reinterpret<u32>(<f32>weight) | (<u64>(y == 1) << 31);
      store<u64>(items + (<usize>i << 3), (key << 32) | payload);
    } else {
      store<u64>(items + (<usize>i << 4), key);
      store<u64>(items + (<usize>i << 4), reinterpret<u64>(<f64>weight) | (<u64>(y == 1) << 63), 8);
    }
  }
  return -1;
}

/**
 * Sorts n items by key, ascending and stable (LSD radix, DIGIT bits a pass), between `items` and
 * `spare` (each n items), from the digit counts rankItems left in `histograms`. A digit that every
 * key shares costs no pass. Returns where the sorted items are: 0 in `items`, 1 in `spare`.
 */
function rankSort<T>(n: i32, items: usize, spare: usize, histograms: usize): i32 {
  const P = passes<T>();
  let from = items;
  let to = spare;
  let where = 0;
  for (let p = 0; p < P; p++) {
    const count = histograms + (<usize>(p * BUCKETS) << 2);
    if (sharedDigit(count, n)) continue;
    // Counts become each bucket's first position.
    let next: u32 = 0;
    for (let b = 0; b < BUCKETS; b++) {
      const c = load<u32>(count + (<usize>b << 2));
      store<u32>(count + (<usize>b << 2), next);
      next += c;
    }
    scatter<T>(n, from, to, count, <u64>(p * DIGIT));
    const t = from;
    from = to;
    to = t;
    where ^= 1;
  }
  return where;
}

/** Whether one bucket holds all n keys: the pass would move nothing. */
function sharedDigit(count: usize, n: i32): bool {
  for (let b = 0; b < BUCKETS; b++) {
    const c = load<u32>(count + (<usize>b << 2));
    if (c != 0) return c == <u32>n;
  }
  return true;
}

// @ts-ignore: decorator
@inline function scatter<T>(n: i32, from: usize, to: usize, first: usize, shift: u64): void {
  for (let i: usize = 0; i < <usize>n; i++) {
    const key = keyAt<T>(from, i);
    const at = first + (<usize>((key >> shift) & <u64>(BUCKETS - 1)) << 2);
    const j = <usize>load<u32>(at);
    store<u32>(at, <u32>j + 1);
    if (sizeof<T>() == 4) {
      store<u64>(to + (j << 3), load<u64>(from + (i << 3)));
    } else {
      store<u64>(to + (j << 4), key);
      store<u64>(to + (j << 4), load<u64>(from + (i << 4), 8), 8);
    }
  }
}

/**
 * One sweep over n sorted items from the highest score down, a group of tied scores at a time
 * (scikit-learn's distinct thresholds). Writes to `out` four float64: Σ_g fp_g·(2·TP_before + tp_g)
 * (twice the ROC area, trapezoid: a tie between a positive and a negative counts half), Σ_g tp_g·TP/(TP + FP)
 * (average precision times P, with TP and FP cumulative through the group), P = Σ w over positives and
 * N over negatives. With `curve` ≠ 0, writes there (score, TP, FP) per group of nonzero weight and
 * returns their number.
 */
function rankSweep<T>(n: i32, items: usize, out: usize, curve: usize): i32 {
  let tp: f64 = 0;
  let fp: f64 = 0;
  let area2: f64 = 0;
  let precisionSum: f64 = 0;
  let points = 0;
  let i = n - 1;
  while (i >= 0) {
    const key = keyAt<T>(items, <usize>i);
    let gtp: f64 = 0;
    let gfp: f64 = 0;
    do {
      const payload = payloadAt<T>(items, <usize>i);
      // Selects, not branches: a branch on random labels is mispredicted every few examples.
      const positive = sizeof<T>() == 4 ? <bool>(payload >> 31) : <bool>(payload >> 63);
      const w = sizeof<T>() == 4
        ? <f64>reinterpret<f32>(<u32>(payload & 0x7fffffff))
        : reinterpret<f64>(payload & 0x7fffffffffffffff);
      gtp += select<f64>(w, 0, positive);
      gfp += select<f64>(0, w, positive);
      i--;
    } while (i >= 0 && keyAt<T>(items, <usize>i) == key);
    area2 += gfp * (2 * tp + gtp);
    tp += gtp;
    fp += gfp;
    if (gtp > 0) precisionSum += gtp * (tp / (tp + fp));
    if (curve != 0 && gtp + gfp > 0) {
      const at = curve + <usize>points * 24;
      store<f64>(at, scoreOf<T>(key));
      store<f64>(at, tp, 8);
      store<f64>(at, fp, 16);
      points++;
    }
  }
  store<f64>(out, area2);
  store<f64>(out, precisionSum, 8);
  store<f64>(out, tp, 16);
  store<f64>(out, fp, 24);
  return points;
}

/**
 * Per-bin weight sums of negatives and positives: bin ⌊(s − lo)·scale⌋ of `bins` (0 below the range,
 * bins − 1 from its top up), added into `sums`, float64 pairs [negative, positive] per bin (the
 * target picks the half of the pair: no branch on it). Same checks and return as rankItems. The SIMD
 * build checks V examples and finds their bins at once (the same float64 steps: the same bins), then
 * adds their weights in order, so both builds add the same values to each bin in the same order;
 * V examples with any refused value go to the scalar loop, which refuses the first.
 */
function rankBins<T>(n: i32, target: usize, scores: usize, weights: usize, lo: f64, scale: f64, bins: i32, sums: usize): i32 {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    i = weights
      ? binLanes<T, On>(n, target, scores, weights, lo, scale, bins, sums)
      : binLanes<T, Off>(n, target, scores, 0, lo, scale, bins, sums);
  }
  const last = <f64>(bins - 1);
  for (; i < n; i++) {
    const at = <usize>i << alignof<T>();
    const s = load<T>(scores + at);
    if (s != s) return refuse(ARGUMENT_PRED, i);
    const y = load<T>(target + at);
    if (y != 0 && y != 1) return refuse(ARGUMENT_TARGET, i);
    const w: T = weights ? load<T>(weights + at) : <T>1;
    if (!(w >= 0 && w - w == 0)) return refuse(ARGUMENT_WEIGHTS, i);
    const t = Math.floor((<f64>s - lo) * scale);
    const b = <usize>(t < 0 ? 0 : t > last ? last : t);
    const pair = sums + (((b << 1) | <usize>(y == 1)) << 3);
    store<f64>(pair, load<f64>(pair) + <f64>w);
  }
  return -1;
}

/**
 * The bins of two scores in float64 lanes, each plus 2⁵², so that its low 32 bits are the bin: an
 * integer below 2³¹ plus 2⁵² is exact, and the add is one instruction where V8's i32x4.trunc_sat is five.
 */
// @ts-ignore: decorator
@inline function binBits(s: v128, lo: v128, scale: v128, last: v128, magic: v128): v128 {
  // pmax(t, 0) is t < 0 ? 0 : t, pmin(t, last) is t > last ? last : t: the scalar clamp, -0 and ±∞ included.
  const t = f64x2.pmin(f64x2.pmax(f64x2.floor(f64x2.mul(f64x2.sub(s, lo), scale)), f64x2.splat(0)), last);
  return f64x2.add(t, magic);
}

/**
 * rankBins' vector loop over whole groups of V examples (Weighted: a constant, where inlined); returns
 * the first example it left to the scalar loop: n rounded down to V, or the first of V with a
 * refused value.
 */
// @ts-ignore: decorator
@inline function binLanes<T, Weighted>(
  n: i32, target: usize, scores: usize, weights: usize, lo: f64, scale: f64, bins: i32, sums: usize,
): i32 {
  const V = 16 / sizeof<T>();
  const vlo = f64x2.splat(lo);
  const vscale = f64x2.splat(scale);
  const vlast = f64x2.splat(<f64>(bins - 1));
  const magic = f64x2.splat(4503599627370496); // 2⁵²
  const zero = v128.splat<T>(0);
  const one = v128.splat<T>(1);
  let i = 0;
  for (; i + V <= n; i += V) {
    const at = <usize>i << alignof<T>();
    const s = v128.load(scores + at);
    const y = v128.load(target + at);
    const w = isInteger<Weighted>() ? v128.load(weights + at) : one;
    let ok = v128.and(v128.eq<T>(s, s), v128.or(v128.eq<T>(y, zero), v128.eq<T>(y, one)));
    if (isInteger<Weighted>()) ok = v128.and(ok, v128.and(v128.ge<T>(w, zero), v128.eq<T>(v128.sub<T>(w, w), zero)));
    if (i8x16.bitmask(ok) != 0xffff) break;
    // Each pair's byte offset: 16 bytes a bin, 8 more for a positive.
    const positive = v128.and(v128.eq<T>(y, one), sizeof<T>() == 4 ? i32x4.splat(8) : i64x2.splat(8));
    if (sizeof<T>() == 4) {
      const low = binBits(f64x2.promote_low_f32x4(s), vlo, vscale, vlast, magic);
      const high = binBits(f64x2.promote_low_f32x4(v128.shuffle<i32>(s, s, 2, 3, 2, 3)), vlo, vscale, vlast, magic);
      const pairs = v128.or(i32x4.shl(v128.shuffle<i32>(low, high, 0, 2, 4, 6), 4), positive);
      addAt(sums, i32x4.extract_lane(pairs, 0), isInteger<Weighted>() ? <f64>v128.extract_lane<f32>(w, 0) : 1);
      addAt(sums, i32x4.extract_lane(pairs, 1), isInteger<Weighted>() ? <f64>v128.extract_lane<f32>(w, 1) : 1);
      addAt(sums, i32x4.extract_lane(pairs, 2), isInteger<Weighted>() ? <f64>v128.extract_lane<f32>(w, 2) : 1);
      addAt(sums, i32x4.extract_lane(pairs, 3), isInteger<Weighted>() ? <f64>v128.extract_lane<f32>(w, 3) : 1);
    } else {
      const bits = binBits(s, vlo, vscale, vlast, magic);
      const pairs = v128.or(i32x4.shl(v128.shuffle<i32>(bits, bits, 0, 2, 0, 2), 4), v128.shuffle<i32>(positive, positive, 0, 2, 0, 2));
      addAt(sums, i32x4.extract_lane(pairs, 0), isInteger<Weighted>() ? v128.extract_lane<f64>(w, 0) : 1);
      addAt(sums, i32x4.extract_lane(pairs, 1), isInteger<Weighted>() ? v128.extract_lane<f64>(w, 1) : 1);
    }
  }
  return i;
}

/** Adds x to the float64 at byte offset `at` of `sums`. */
// @ts-ignore: decorator
@inline function addAt(sums: usize, at: i32, x: f64): void {
  store<f64>(sums + <usize>at, load<f64>(sums + <usize>at) + x);
}

export function rankItems_f32(n: i32, target: usize, scores: usize, weights: usize, items: usize, histograms: usize): i32 {
  return rankItems<f32>(n, target, scores, weights, items, histograms);
}
export function rankItems_f64(n: i32, target: usize, scores: usize, weights: usize, items: usize, histograms: usize): i32 {
  return rankItems<f64>(n, target, scores, weights, items, histograms);
}
export function rankSort_f32(n: i32, items: usize, spare: usize, histograms: usize): i32 {
  return rankSort<f32>(n, items, spare, histograms);
}
export function rankSort_f64(n: i32, items: usize, spare: usize, histograms: usize): i32 {
  return rankSort<f64>(n, items, spare, histograms);
}
export function rankSweep_f32(n: i32, items: usize, out: usize, curve: usize): i32 {
  return rankSweep<f32>(n, items, out, curve);
}
export function rankSweep_f64(n: i32, items: usize, out: usize, curve: usize): i32 {
  return rankSweep<f64>(n, items, out, curve);
}
export function rankBins_f32(n: i32, target: usize, scores: usize, weights: usize, lo: f64, scale: f64, bins: i32, sums: usize): i32 {
  return rankBins<f32>(n, target, scores, weights, lo, scale, bins, sums);
}
export function rankBins_f64(n: i32, target: usize, scores: usize, weights: usize, lo: f64, scale: f64, bins: i32, sums: usize): i32 {
  return rankBins<f64>(n, target, scores, weights, lo, scale, bins, sums);
}
