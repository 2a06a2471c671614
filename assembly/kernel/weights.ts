// Per-example weights: checked (finite, ≥ 0) and summed in one pass, before the loss pass that
// needs Σ w to scale a weighted mean's gradient. Same loop shape as elementwise.ts.

import { ARGUMENT_WEIGHTS, BLOCK, RESULT_ARGUMENT, RESULT_SUM } from "../abi";
import { byteOffset, hsum, lanes, setResult } from "./shared";

// @ts-ignore: decorator
@inline function isWeight<T>(w: T): bool {
  return w >= 0 && w - w == 0; // NaN fails the first, +∞ the second
}

// @ts-ignore: decorator
@inline function vnotWeight<T>(w: v128): v128 {
  return v128.not(v128.and(v128.ge<T>(w, v128.splat<T>(0)), v128.eq<T>(v128.sub<T>(w, w), v128.splat<T>(0))));
}

/** Σ w into RESULT_SUM; returns -1, or the index of the first weight that is negative or not finite. */
function weightSum<T>(n: i32, w: usize): i32 {
  let total: f64 = 0;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const V = lanes<T>();
    const nv = n & ~(V - 1);
    while (i < nv) {
      const start = i;
      const end = min(i + BLOCK, nv);
      let acc0 = v128.splat<T>(0);
      let acc1 = acc0;
      let bad = acc0;
      for (; i + 2 * V <= end; i += 2 * V) {
        const w0 = v128.load(w + byteOffset<T>(i));
        const w1 = v128.load(w + byteOffset<T>(i + V));
        acc0 = v128.add<T>(acc0, w0);
        acc1 = v128.add<T>(acc1, w1);
        bad = v128.or(bad, v128.or(vnotWeight<T>(w0), vnotWeight<T>(w1)));
      }
      if (i < end) {
        const w0 = v128.load(w + byteOffset<T>(i));
        acc0 = v128.add<T>(acc0, w0);
        bad = v128.or(bad, vnotWeight<T>(w0));
        i += V;
      }
      if (v128.any_true(bad)) { i = start; break; } // the scalar loop below finds it
      total += hsum<T>(v128.add<T>(acc0, acc1));
    }
  }
  for (; i < n; i++) {
    const wi = load<T>(w + byteOffset<T>(i));
    if (!isWeight<T>(wi)) {
      setResult<i32>(RESULT_ARGUMENT, ARGUMENT_WEIGHTS);
      return i;
    }
    total += <f64>wi;
  }
  setResult<f64>(RESULT_SUM, total);
  return -1;
}

export function weights_f32(n: i32, w: usize): i32 { return weightSum<f32>(n, w); }
export function weights_f64(n: i32, w: usize): i32 { return weightSum<f64>(n, w); }
