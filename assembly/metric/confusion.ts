// Confusion counts: each example adds its weight to the cell (true label, predicted label) of a
// C×C table, or to tp / fp / fn / tn (tally.ts: the cells). Predicted labels come as Int32 or as
// rows of C scores, whose argmax (the first largest: ties go to the lower index) is the label;
// a NaN score is refused, as are labels outside [0, C) and weights that are negative or not finite.
// Examples are checked in order, each one's target, then its prediction, then its weight, so that
// both builds refuse the same first value.

import { ARGUMENT_PRED, ARGUMENT_TARGET, ARGUMENT_WEIGHTS, MODE_FLOAT_TARGET, MODE_WEIGHTED } from "../abi";
import { byteOffset, lanes, Off, On } from "../kernel/shared";
import { argmaxFew, argmaxShort, argmaxWide, bitClasses } from "./argmax";
import { addTo, binaryAt, refuse, weightAt } from "./tally";

/** Which argmax the lanes take: rows shorter than a vector, of one to three vectors, or longer. */
const SHORT = 0;
const TWO = 1;
const THREE = 2;
const WIDE = 3;
/** Rows a block of the lanes loop; with rows of more than TOUCH_ABOVE bytes in all, their cache lines are loaded first. */
const TOUCH_ROWS: i32 = 64;
const TOUCH_ABOVE: usize = 65536;
/** Where the touched bytes go, so that their loads stay. */
const SINK: usize = memory.data(4, 4);

/** Adds example i (true label t, predicted k) to the table; -1, or i when its target or weight is refused. */
// @ts-ignore: decorator
@inline function count<T>(i: i32, C: i32, t: i32, k: i32, w: usize, table: usize, mode: i32): i32 {
  if (<u32>t >= <u32>C) return refuse(ARGUMENT_TARGET, i);
  const cell = table + (<usize>(t * C + k) << 4);
  if ((mode & MODE_WEIGHTED) == 0) {
    // An integer count below 2⁵³ plus 1 is exact: Neumaier's step would add 0 to the compensation.
    // Skipping it halves the time of a call from predicted labels (11 → 6 ms at N = 1e6, C = 10, loaded machine).
    store<f64>(cell, load<f64>(cell) + 1);
    return -1;
  }
  const wi = weightAt<T>(w, i, mode);
  if (wi < 0) return refuse(ARGUMENT_WEIGHTS, i);
  addTo(cell, wi);
  return -1;
}

function countLabels<T>(n: i32, C: i32, y: usize, p: usize, w: usize, table: usize, mode: i32): i32 {
  for (let i = 0; i < n; i++) {
    const t = load<i32>(y + (<usize>i << 2));
    if (<u32>t >= <u32>C) return refuse(ARGUMENT_TARGET, i);
    const k = load<i32>(p + (<usize>i << 2));
    if (<u32>k >= <u32>C) return refuse(ARGUMENT_PRED, i);
    const bad = count<T>(i, C, t, k, w, table, mode);
    if (bad >= 0) return bad;
  }
  return -1;
}

/** Argmax of one row of C scores; -1 - k when score k is NaN (the first such). */
function argmaxRow<T>(row: usize, C: i32): i32 {
  let best = load<T>(row);
  if (best != best) return -1;
  let at = 0;
  for (let k = 1; k < C; k++) {
    const v = load<T>(row + byteOffset<T>(k));
    if (v != v) return -1 - k;
    if (v > best) {
      best = v;
      at = k;
    }
  }
  return at;
}

/** Counts row r scalar: its target, then its scores' argmax (the first NaN refused), then its weight; -1, or the refused index. */
function countRow<T>(r: i32, C: i32, y: usize, s: usize, w: usize, table: usize, mode: i32): i32 {
  const t = load<i32>(y + (<usize>r << 2));
  if (<u32>t >= <u32>C) return refuse(ARGUMENT_TARGET, r);
  const k = argmaxRow<T>(s + <usize>r * (<usize>C << alignof<T>()), C);
  if (k < 0) return refuse(ARGUMENT_PRED, r * C - 1 - k);
  return count<T>(r, C, t, k, w, table, mode);
}

/**
 * Counts rows [0, n) with the lanes argmax `kind` (a constant where inlined). A row whose argmax is
 * -1, or whose label is refused, takes the scalar step, out of line; the loop walks pointers, not
 * an index, so that V8 keeps its values in registers.
 */
// @ts-ignore: decorator
@inline function countLanes<T, Weighted>(kind: i32, n: i32, C: i32, y: usize, s: usize, w: usize, table: usize, mode: i32): i32 {
  const rb = <usize>C << alignof<T>();
  const tail = byteOffset<T>(C - lanes<T>());
  const stop = y + (<usize>n << 2);
  const cells = <u64>C * <u64>C;
  // Rows beyond a scratch slot's worth come from memory, not a cache that a copy just filled: one
  // load a cache line, a block of rows ahead of the work on them, keeps many lines in flight at once
  // (the work alone leaves V8's window a few lines deep: 2× slower at N = 1e6, C = 10, zero copy).
  const ahead = <usize>n * rb > TOUCH_ABOVE ? <usize>TOUCH_ROWS * rb : 0;
  let row = s;
  let sink: u32 = 0;
  for (let at = y; at < stop; ) {
    const block = min(at + (TOUCH_ROWS << 2), stop);
    const last = min(row + ahead, s + <usize>n * rb);
    for (let p = row; p < last; p += 64) sink |= load<u8>(p);
    for (; at < block; at += 4) {
      const k = kind == SHORT ? argmaxShort<T>(row, C) : kind == WIDE ? argmaxWide<T>(row, C) : argmaxFew<T>(row, tail, kind == THREE);
      const t = load<i32>(at);
      // One test for both: a label outside [0, C), or k = -1, puts the cell's index at C² or above.
      const cell = <u64><u32>t * <u64>C + <u64><u32>k;
      if (isInteger<Weighted>() || cell >= cells) {
        const r = <i32>((at - y) >> 2);
        const bad = k < 0 ? countRow<T>(r, C, y, s, w, table, mode) : count<T>(r, C, t, k, w, table, mode);
        if (bad >= 0) return bad;
      } else {
        const to = table + (<usize>cell << 4);
        store<f64>(to, load<f64>(to) + 1);
      }
      row += rb;
    }
  }
  store<u32>(SINK, sink);
  return -1;
}

/** countLanes with the argmax that fits C, and its loop for weights or for counts. */
// @ts-ignore: decorator
@inline function countWithLanes<T, Weighted>(n: i32, C: i32, y: usize, s: usize, w: usize, table: usize, mode: i32): i32 {
  const V = lanes<T>();
  if (C < V) return countLanes<T, Weighted>(SHORT, n, C, y, s, w, table, mode);
  if (C > 3 * V) return countLanes<T, Weighted>(WIDE, n, C, y, s, w, table, mode);
  bitClasses<T>(C);
  if (C > 2 * V) return countLanes<T, Weighted>(THREE, n, C, y, s, w, table, mode);
  return countLanes<T, Weighted>(TWO, n, C, y, s, w, table, mode);
}

function countScores<T>(n: i32, C: i32, y: usize, s: usize, w: usize, table: usize, mode: i32): i32 {
  if (ASC_FEATURE_SIMD) {
    return (mode & MODE_WEIGHTED) != 0
      ? countWithLanes<T, On>(n, C, y, s, w, table, mode)
      : countWithLanes<T, Off>(n, C, y, s, w, table, mode);
  }
  for (let r = 0; r < n; r++) {
    const bad = countRow<T>(r, C, y, s, w, table, mode);
    if (bad >= 0) return bad;
  }
  return -1;
}

/** Cells tp, fp, fn, tn: positive where score > threshold (compared in float64), target 0 or 1. */
function countBinary<T>(n: i32, y: usize, s: usize, w: usize, threshold: f64, table: usize, mode: i32): i32 {
  const floatTarget = (mode & MODE_FLOAT_TARGET) != 0;
  for (let i = 0; i < n; i++) {
    const t = binaryAt<T>(y, i, floatTarget);
    if (t < 0) return refuse(ARGUMENT_TARGET, i);
    const v = <f64>load<T>(s + byteOffset<T>(i));
    if (v != v) return refuse(ARGUMENT_PRED, i);
    const wi = weightAt<T>(w, i, mode);
    if (wi < 0) return refuse(ARGUMENT_WEIGHTS, i);
    addTo(table + (<usize>((v > threshold ? 0 : 2) + 1 - t) << 4), wi);
  }
  return -1;
}

export function confusionLabels_f32(n: i32, C: i32, y: usize, p: usize, w: usize, table: usize, mode: i32): i32 {
  return countLabels<f32>(n, C, y, p, w, table, mode);
}
export function confusionLabels_f64(n: i32, C: i32, y: usize, p: usize, w: usize, table: usize, mode: i32): i32 {
  return countLabels<f64>(n, C, y, p, w, table, mode);
}
export function confusionScores_f32(n: i32, C: i32, y: usize, s: usize, w: usize, table: usize, mode: i32): i32 {
  return countScores<f32>(n, C, y, s, w, table, mode);
}
export function confusionScores_f64(n: i32, C: i32, y: usize, s: usize, w: usize, table: usize, mode: i32): i32 {
  return countScores<f64>(n, C, y, s, w, table, mode);
}
export function binaryConfusion_f32(n: i32, y: usize, s: usize, w: usize, threshold: f64, table: usize, mode: i32): i32 {
  return countBinary<f32>(n, y, s, w, threshold, table, mode);
}
export function binaryConfusion_f64(n: i32, y: usize, s: usize, w: usize, threshold: f64, table: usize, mode: i32): i32 {
  return countBinary<f64>(n, y, s, w, threshold, table, mode);
}


