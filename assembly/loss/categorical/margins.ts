// Categorical hinge, a margin loss on rows: the target row's class against the largest other.

import {
  ARGUMENT_TARGET, MODE_ACCURACY, MODE_GRAD, MODE_LOSSES, MODE_WEIGHTED, RESULT_ARGUMENT, RESULT_CORRECT, RESULT_COUNTED, RESULT_SUM,
} from "../../abi";
import { ACC, IOTA32, IOTA64, above, at, combineMax, countDense, vzero } from "../../kernel/classification";
import { Off, On, lanes, setResult, vone } from "../../kernel/shared";

/** −∞ in every lane: what a masked lane contributes to a running maximum. */
const F32_NEG_INF = memory.data<f32>([-Infinity, -Infinity, -Infinity, -Infinity], 16);
const F64_NEG_INF = memory.data<f64>([-Infinity, -Infinity], 16);

/** The lanes of index vector idx that hold class `skip`. */
// @ts-ignore: decorator
@inline function laneOf<T>(idx: v128, skip: v128): v128 {
  return sizeof<T>() == 4 ? i32x4.eq(idx, skip) : i64x2.eq(idx, skip);
}

// @ts-ignore: decorator
@inline function nextIndices<T>(idx: v128, step: v128): v128 {
  return sizeof<T>() == 4 ? i32x4.add(idx, step) : i64x2.add(idx, step);
}

/**
 * Index of the first largest of the row's C values other than class `skip` (−1 skips none), in the order of
 * `above` (a NaN counts as the largest, ties go to the lower index); −1 if no class is left. The scalar
 * build's loop; the SIMD build finds the same index in two vector passes: the largest value (NaN lanes and
 * the skipped lane masked to −∞, a NaN noted aside), then the first lane equal to it (or the first NaN).
 * One scalar pass over the row ran categoricalHinge at 0.84× a plain JS loop at C = 10.
 */
function firstLargest<T>(row: usize, C: i32, skip: i32): i32 {
  if (!ASC_FEATURE_SIMD) {
    let j = -1;
    let best: T = 0;
    for (let k = 0; k < C; k++) {
      if (k == skip) continue;
      const v = load<T>(at<T>(row, k));
      if (j < 0 || above<T>(v, best)) {
        best = v;
        j = k;
      }
    }
    return j;
  }
  const V = lanes<T>();
  const iota = sizeof<T>() == 4 ? IOTA32 : IOTA64;
  const step = v128.load(iota + 16);
  const skipped = sizeof<T>() == 4 ? i32x4.splat(skip) : i64x2.splat(<i64>skip);
  const nv = C & ~(V - 1);
  let idx = v128.load(iota);
  let most = v128.load(sizeof<T>() == 4 ? F32_NEG_INF : F64_NEG_INF);
  let nans = vzero();
  for (let k = 0; k < nv; k += V) {
    const v = v128.load(at<T>(row, k));
    const nan = v128.ne<T>(v, v);
    const mask = laneOf<T>(idx, skipped);
    nans = v128.or(nans, v128.andnot(nan, mask));
    most = v128.pmax<T>(most, v128.bitselect(most, v, v128.or(nan, mask))); // no NaN is left to order
    idx = nextIndices<T>(idx, step);
  }
  v128.store(ACC, most);
  let m = combineMax<T>(ACC);
  let anyNaN = v128.any_true(nans);
  for (let k = nv; k < C; k++) {
    const v = load<T>(at<T>(row, k));
    if (k == skip) continue;
    if (v != v) anyNaN = true;
    else if (v > m) m = v;
  }
  const target = v128.splat<T>(m);
  idx = v128.load(iota);
  for (let k = 0; k < nv; k += V) {
    const v = v128.load(at<T>(row, k));
    const hit = v128.andnot(anyNaN ? v128.ne<T>(v, v) : v128.eq<T>(v, target), laneOf<T>(idx, skipped));
    if (v128.any_true(hit)) return k + (sizeof<T>() == 4 ? ctz(i32x4.bitmask(hit)) : ctz(i64x2.bitmask(hit)));
    idx = nextIndices<T>(idx, step);
  }
  for (let k = nv; k < C; k++) {
    const v = load<T>(at<T>(row, k));
    if (k != skip && (anyNaN ? v != v : v == m)) return k;
  }
  return -1;
}

/** Index of the row's first target outside [0, 1] (a NaN included), or −1: whole vectors, then one at a time. */
function firstOutside<T>(yr: usize, C: i32): i32 {
  let k = 0;
  if (ASC_FEATURE_SIMD) {
    const V = lanes<T>();
    for (; k + V <= C; k += V) {
      const v = v128.load(at<T>(yr, k));
      const inside = v128.and(v128.ge<T>(v, vzero()), v128.le<T>(v, vone<T>()));
      if (!(sizeof<T>() == 4 ? i32x4.all_true(inside) : i64x2.all_true(inside))) break;
    }
  }
  for (; k < C; k++) {
    const v = load<T>(at<T>(yr, k));
    if (!(v >= 0 && v <= 1)) return k;
  }
  return -1;
}

/** Zeroes the row's C gradient values (a store loop: `memory.fill` costs a call per row). */
function clearRow<T>(gr: usize, C: i32): void {
  let k = 0;
  if (ASC_FEATURE_SIMD) {
    const V = lanes<T>();
    for (; k + V <= C; k += V) v128.store(at<T>(gr, k), vzero());
  }
  for (; k < C; k++) store<T>(at<T>(gr, k), 0);
}

/**
 * max(0, 1 + max_{k≠t} ŷ_k − ŷ_t), t = argmax of the target row (its one-hot class); gradient −1 at t
 * and +1 at the first largest other class, also at the kink (PyTorch's active side); 0 for C = 1.
 */
function hinge<T, G>(rows: i32, C: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, scale: f64, flags: i32): i32 {
  const storing = (flags & MODE_LOSSES) != 0;
  const weighted = (flags & MODE_WEIGHTED) != 0;
  const accuracy = (flags & MODE_ACCURACY) != 0;
  const rb = <usize>C << alignof<T>();
  let sum: f64 = 0;
  setResult<f64>(RESULT_CORRECT, 0);
  setResult<f64>(RESULT_COUNTED, 0);
  for (let r = 0; r < rows; r++) {
    const yr = y + <usize>r * rb;
    const pr = p + <usize>r * rb;
    const gr = g + <usize>r * rb;
    const bad = firstOutside<T>(yr, C);
    if (bad >= 0) {
      setResult<i32>(RESULT_ARGUMENT, ARGUMENT_TARGET);
      return r * C + bad;
    }
    const wr: T = weighted ? load<T>(at<T>(w, r)) : <T>1;
    if (accuracy) countDense<T>(pr, yr, C, wr);
    const t = firstLargest<T>(yr, C, -1);
    const j = firstLargest<T>(pr, C, t);
    let l: T = 0;
    // read before the row is zeroed (out may be pred)
    const margin = j >= 0 ? (<T>1 + load<T>(at<T>(pr, j))) - load<T>(at<T>(pr, t)) : <T>0;
    if (isInteger<G>()) clearRow<T>(gr, C);
    if (j >= 0) {
      const active = margin >= 0;
      l = select<T>(margin, 0, active || margin != margin);
      if (isInteger<G>() && (active || margin != margin)) {
        const kr = <T>scale * wr;
        store<T>(at<T>(gr, j), margin == margin ? kr : margin);
        store<T>(at<T>(gr, t), margin == margin ? -kr : margin);
      }
    }
    l = l * wr;
    sum += <f64>l;
    if (storing) store<T>(at<T>(lo, r), l);
  }
  setResult<f64>(RESULT_SUM, sum);
  return -1;
}

function hingeModes<T>(rows: i32, C: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, scale: f64, mode: i32): i32 {
  if (mode & MODE_GRAD) return hinge<T, On>(rows, C, y, p, w, lo, g, scale, mode);
  return hinge<T, Off>(rows, C, y, p, w, lo, g, scale, mode);
}

// Kernel ABI: the probability losses' (probability.ts), ε unused.
export function categoricalHinge_f32(rows: i32, C: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, k: f64, eps: f64,
                                     mode: i32): i32 {
  return hingeModes<f32>(rows, C, y, p, w, lo, g, k, mode);
}
export function categoricalHinge_f64(rows: i32, C: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, k: f64, eps: f64,
                                     mode: i32): i32 {
  return hingeModes<f64>(rows, C, y, p, w, lo, g, k, mode);
}
