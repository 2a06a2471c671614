// What the classification kernels share: an example is one row of C values. Two layouts, chosen by C:
//
// - Lanes (C < LANES_BELOW): V rows at a time (4 float32 / 2 float64), transposed on the fly into a
//   small buffer so that lane j walks row r + j; each row's max and sum become plain vertical ops.
//   Measured 2.4× faster than row-major at C = 10 (row-major is bound by per-row horizontal work).
//   The scalar build's twin walks each row in order, as one lane does.
// - Row-major (C ≥ LANES_BELOW): SIMD across the classes of one row, a horizontal max / sum once per
//   row, then the row's tail one element at a time. The scalar build's twin keeps V strided
//   accumulators in memory and combines them in the same order, so both builds agree bit for bit.
//
// Kernel ABI of the row-wise exports: byte offsets, the row count and C; each returns -1 or the
// index (within the call) of the first bad element, its argument code left at RESULT_ARGUMENT
// (abi.ts: the result block).

import { ARGUMENT_TARGET, RESULT_ARGUMENT, RESULT_CORRECT, RESULT_COUNTED } from "../abi";
import { result, setResult } from "./shared";

/** Below this many classes the lanes layout is used (measured: row-major wins again from about C = 32). */
export const LANES_BELOW: i32 = 32;

/** Transposed buffers of the lanes layout: LANES_BELOW classes × 16 bytes each. */
export const BUF_Z: usize = memory.data(LANES_BELOW * 16, 16);
export const BUF_E: usize = memory.data(LANES_BELOW * 16, 16);
export const BUF_C: usize = memory.data(LANES_BELOW * 16, 16);

/** A zero vector, loaded rather than built inline in loops (V8 rebuilds a v128.const every iteration). */
const ZERO: usize = memory.data(16, 16);
// @ts-ignore: decorator
@inline export function vzero(): v128 {
  return v128.load(ZERO);
}

/** Lane indices (0, 1, 2, 3 as i32; 0, 1 as i64) and the step between vectors (V), to mask one class's lane. */
export const IOTA32: usize = memory.data<i32>([0, 1, 2, 3, 4, 4, 4, 4], 16);
export const IOTA64: usize = memory.data<i64>([0, 1, 2, 2], 16);

/** The scalar build's stand-in for vector accumulators: 8 slots of 16 bytes (the lanes of a v128). */
export const ACC: usize = memory.data(8 * 16, 16);

/** Where a row function leaves the loss of its row (one T), or a lanes group the losses of its V rows. */
export const ROW_LOSS: usize = ACC + 7 * 16;

/** Lane j = element at `at + j·stride` (j < V): the rows of a lanes group, class by class. */
// @ts-ignore: decorator
@inline export function gather<T>(at: usize, stride: usize): v128 {
  let v = v128.load_splat<T>(at);
  v = v128.load_lane<T>(at + stride, v, 1);
  if (sizeof<T>() == 4) {
    v = v128.load_lane<T>(at + 2 * stride, v, 2);
    v = v128.load_lane<T>(at + 3 * stride, v, 3);
  }
  return v;
}

/** The inverse of gather: lane j to `at + j·stride`. */
// @ts-ignore: decorator
@inline export function scatter<T>(at: usize, stride: usize, v: v128): void {
  v128.store_lane<T>(at, v, 0);
  v128.store_lane<T>(at + stride, v, 1);
  if (sizeof<T>() == 4) {
    v128.store_lane<T>(at + 2 * stride, v, 2);
    v128.store_lane<T>(at + 3 * stride, v, 3);
  }
}

/** Lane j of the lanes stored at `at`, widened to f64 and added in lane order. */
// @ts-ignore: decorator
@inline export function laneTotal<T>(at: usize): f64 {
  let t = <f64>load<T>(at) + <f64>load<T>(at + sizeof<T>());
  if (sizeof<T>() == 4) t = t + <f64>load<T>(at + 8) + <f64>load<T>(at + 12);
  return t;
}

/** Σ of the V lanes stored at `at`, in T: (l0 + l1) + (l2 + l3), or l0 + l1. The order both builds use. */
// @ts-ignore: decorator
@inline export function combineSum<T>(at: usize): T {
  if (sizeof<T>() == 4) {
    return (load<T>(at) + load<T>(at + 4)) + (load<T>(at + 8) + load<T>(at + 12));
  }
  return load<T>(at) + load<T>(at + 8);
}

/** pmax(a, b) as one lane of v128.pmax: b if a < b, else a (a NaN a stays). */
// @ts-ignore: decorator
@inline export function spmax<T>(a: T, b: T): T {
  return select<T>(b, a, a < b);
}

/** max of the V lanes stored at `at`, in the order both builds use. */
// @ts-ignore: decorator
@inline export function combineMax<T>(at: usize): T {
  if (sizeof<T>() == 4) {
    return spmax<T>(spmax<T>(load<T>(at), load<T>(at + 4)), spmax<T>(load<T>(at + 8), load<T>(at + 12)));
  }
  return spmax<T>(load<T>(at), load<T>(at + 8));
}

/** a > b in the order the metrics use: NaN above every number, NaNs equal among themselves. */
// @ts-ignore: decorator
@inline export function above<T>(a: T, b: T): bool {
  return a > b || (a != a && b == b);
}

// @ts-ignore: decorator
@inline export function same<T>(a: T, b: T): bool {
  return a == b || (a != a && b != b);
}

/** Index of the first largest of the C values at `row` (a NaN counts as the largest; ties go to the lower index). */
export function argmax<T>(row: usize, C: i32): i32 {
  let best = load<T>(row);
  let at = 0;
  for (let k = 1; k < C; k++) {
    const v = load<T>(row + (<usize>k << alignof<T>()));
    if (above<T>(v, best)) {
      best = v;
      at = k;
    }
  }
  return at;
}

/**
 * Rank of class t in its row (0 = first): how many classes come before it in the order of `above`,
 * ties broken by the lower index, as argmax breaks them.
 */
export function rankOf<T>(row: usize, C: i32, t: i32): i32 {
  const zt = load<T>(row + (<usize>t << alignof<T>()));
  let rank = 0;
  for (let k = 0; k < C; k++) {
    const v = load<T>(row + (<usize>k << alignof<T>()));
    rank += <i32>(above<T>(v, zt) || (k < t && same<T>(v, zt)));
  }
  return rank;
}

/** Byte offset of element k of the T values at `base`. */
// @ts-ignore: decorator
@inline export function at<T>(base: usize, k: i32): usize {
  return base + (<usize>k << alignof<T>());
}

/** -1 if the target rows [r, r + n) are all in [0, 1]; else the index of the first element outside, its argument code left. */
export function firstBadTarget<T>(r: i32, n: i32, C: i32, y: usize): i32 {
  for (let i = r * C; i < (r + n) * C; i++) {
    const v = load<T>(at<T>(y, i));
    if (!(v >= 0 && v <= 1)) {
      setResult<i32>(RESULT_ARGUMENT, ARGUMENT_TARGET);
      return i;
    }
  }
  return -1;
}

/** Accuracy of one row, weighted: adds w·[hit] and w to the result block's running sums. */
export function countRow(hit: bool, w: f64): void {
  setResult<f64>(RESULT_CORRECT, result<f64>(RESULT_CORRECT) + w * <f64>hit);
  setResult<f64>(RESULT_COUNTED, result<f64>(RESULT_COUNTED) + w);
}

// (The accuracy of a row is a call, not inlined: it runs only with the accuracy option, and
// inlined into every specialised loss loop it cost ~1 KB of wasm.)

/** countRow for a dense target row: argmax(pred) = argmax(target). */
export function countDense<T>(pr: usize, yr: usize, C: i32, w: T): void {
  countRow(argmax<T>(pr, C) == argmax<T>(yr, C), <f64>w);
}

/** countRow for a label: argmax(pred) = t. */
export function countLabel<T>(pr: usize, t: i32, C: i32, w: T): void {
  countRow(argmax<T>(pr, C) == t, <f64>w);
}
