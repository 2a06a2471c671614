// What the embedding losses' row loops share: the label error, the row weight, the stored loss, and
// the test that sends a row to its float64 path.
//
// Each row: one pass for its sums (kernel/embedding.ts, float64 lanes), the loss and the gradient's
// coefficients in float64 scalars, then one pass writing the gradient rows in T. The mode bits are
// tested once per row, not per element, so unlike the elementwise loop they cost nothing measurable
// and need no compile-time specialisation.
//
// A gradient row is c·(x − y) with c computed once per row; where c, rounded to T, is not a normal
// number (a distance or norm below ~3e-39 overflows it; in cosineEmbedding a norm beyond ~1.8e19 or
// below ~1e-19 makes 1/(‖a‖‖b‖) or cos/‖a‖² underflow float32 and the row lose its digits: grad.b
// [0, −0, 0] for [8.8e-39, −1.3e-57, −1.7e-19]), the row takes a scalar float64 path that divides
// each element instead (the same in both builds): no 0·∞ NaN, and the float64 value rounded once.
//
// Where the math has no gradient, the kernels take the subgradient of least norm, 0:
//   a distance of 0 (its subdifferential is the unit ball), in contrastive and triplet;
//   a zero-norm vector in cosineEmbedding (cos is taken as 0 there, with a zero gradient).

import { ARGUMENT_TARGET, MODE_LOSSES, MODE_WEIGHTED, RESULT_ARGUMENT, RESULT_SUM2 } from "../../abi";
import { byteOffset, setResult } from "../../kernel/shared";

/** The label is the target: its argument code, and the refused value itself at RESULT_SUM2. */
export function badLabel(row: i32, y: f64): i32 {
  setResult<i32>(RESULT_ARGUMENT, ARGUMENT_TARGET);
  setResult<f64>(RESULT_SUM2, y);
  return row;
}

/** The row's weight, 1 without weights (w·l and scale·w are then l and scale, exactly). */
// @ts-ignore: decorator
@inline export function rowWeight<T>(mode: i32, r: i32, w: usize): f64 {
  return mode & MODE_WEIGHTED ? <f64>load<T>(w + byteOffset<T>(r)) : 1;
}

/** The row's weighted loss, stored when asked. */
// @ts-ignore: decorator
@inline export function weigh<T>(mode: i32, r: i32, lo: usize, wl: f64): f64 {
  if (mode & MODE_LOSSES) store<T>(lo + byteOffset<T>(r), <T>wl);
  return wl;
}

/** x is 0, or rounded to T a finite normal number: a per-row factor that loses no digits in T. */
// @ts-ignore: decorator
@inline export function factorOk<T>(x: f64): bool {
  const m = abs<f64>(<f64><T>x);
  return x == 0 || (m >= (sizeof<T>() == 4 ? 1.1754943508222875e-38 : 2.2250738585072014e-308) && m < Infinity);
}
