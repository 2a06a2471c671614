// Domain checks of the binary losses: targets (and probabilities) in [0, 1], each as a lane mask
// and its scalar twin, and the pmax twin they share.

import { ARGUMENT_PRED, ARGUMENT_TARGET } from "../../abi";
import { vone } from "../../kernel/shared";

/** Lanes where y is not in [0, 1] (NaN included). */
// @ts-ignore: decorator
@inline export function vnotUnit<T>(y: v128): v128 {
  // float32: y + 0 turns −0 into +0; then [+0, 1] is exactly the bit patterns [0, bits(1)] as
  // unsigned integers, and negatives, NaN and everything above 1 lie beyond (2 instructions, not 4).
  if (sizeof<T>() == 4) return i32x4.gt_u(f32x4.add(y, v128.splat<f32>(0)), vone<f32>());
  return v128.not(v128.and(v128.ge<T>(y, v128.splat<T>(0)), v128.le<T>(y, vone<T>())));
}

/** Lanes where y or p is not in [0, 1]. */
// @ts-ignore: decorator
@inline export function vnotUnits<T>(y: v128, p: v128): v128 {
  if (sizeof<T>() == 4) {
    const zero = v128.splat<f32>(0);
    return i32x4.gt_u(i32x4.max_u(f32x4.add(y, zero), f32x4.add(p, zero)), vone<f32>());
  }
  return v128.or(vnotUnit<T>(y), vnotUnit<T>(p));
}

// @ts-ignore: decorator
@inline export function isUnit<T>(y: T): bool { return y >= 0 && y <= 1; }

/** Target in [0, 1], for every cross-entropy and focal loss. */
// @ts-ignore: decorator
@inline export function sbadTarget<T>(y: T): i32 { return isUnit<T>(y) ? -1 : ARGUMENT_TARGET; }

/** Target and probability both in [0, 1] (the target is reported first). */
// @ts-ignore: decorator
@inline export function sbadBoth<T>(y: T, p: T): i32 {
  return !isUnit<T>(y) ? ARGUMENT_TARGET : !isUnit<T>(p) ? ARGUMENT_PRED : -1;
}

/** pmax(a, b) = a < b ? b : a, scalar (a NaN a passes through, as in the vector form). */
// @ts-ignore: decorator
@inline export function smax<T>(a: T, b: T): T { return select<T>(b, a, a < b); }
