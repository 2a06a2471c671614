// The binary accuracy metric: an elementwise kernel whose "loss" is 1 for an example classified
// right, with no gradient.

import { elementwise } from "../../kernel/elementwise";
import { setParam, sparam, vone, vparam } from "../../kernel/shared";
import { vnotUnits, sbadBoth } from "./domain";
import { HALF, THRESHOLD } from "./params";

/**
 * The binary accuracy metric, a = threshold: 1 where (p > threshold) == (y > ½), else 0; no gradient.
 * Target and probability in [0, 1].
 */
@unmanaged class Accuracy {
  // @ts-ignore: decorator
  @inline setup<T>(a: f64, b: f64): void {
    setParam<T>(THRESHOLD, a);
    setParam<T>(HALF, 0.5);
  }
  // @ts-ignore: decorator
  @inline checked(): bool { return true; }
  // @ts-ignore: decorator
  @inline vbad<T>(y: v128, p: v128): v128 { return vnotUnits<T>(y, p); }
  // @ts-ignore: decorator
  @inline sbad<T>(y: T, p: T): i32 { return sbadBoth<T>(y, p); }
  // @ts-ignore: decorator
  @inline vloss<T>(y: v128, p: v128): v128 {
    return v128.andnot(vone<T>(), v128.xor(v128.gt<T>(p, vparam(THRESHOLD)), v128.gt<T>(y, vparam(HALF))));
  }
  // @ts-ignore: decorator
  @inline vgrad<T>(y: v128, p: v128): v128 { return v128.splat<T>(0); }
  // @ts-ignore: decorator
  @inline sloss<T>(y: T, p: T): T { return <T>((p > sparam<T>(THRESHOLD)) == (y > sparam<T>(HALF))); }
  // @ts-ignore: decorator
  @inline sgrad<T>(y: T, p: T): T { return 0; }
}

export function binaryAccuracy_f32(n: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, k: f64, a: f64, b: f64, mode: i32): i32 {
  return elementwise<f32, Accuracy>(n, y, p, w, lo, g, k, a, b, mode);
}
export function binaryAccuracy_f64(n: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, k: f64, a: f64, b: f64, mode: i32): i32 {
  return elementwise<f64, Accuracy>(n, y, p, w, lo, g, k, a, b, mode);
}
