// Regression losses on the residual r = ŷ − y: the formula and its derivative dl/dŷ, each as a
// vector (v128 of T) and a scalar twin written with the same operations in the same order, so
// that SIMD and scalar builds give bit-identical elements. The twins avoid data-dependent branches
// (mispredicted half the time on random residuals): mae's scalar sign as bool → float ran 3× faster
// than with select, which V8 lowers to a branch for floats.

import { elementwise } from "../kernel/elementwise";
import { AnyReal, AnyRealNoParams, setParam, sparam, vone, vparam } from "../kernel/shared";
import { high64, logCosh64, logCosh64x2, low64, narrow32x4, tanh64, tanh64x2 } from "../math/hyperbolic";

/** (y − ŷ)², d/dŷ = 2r. */
@unmanaged class Mse extends AnyRealNoParams {
  // @ts-ignore: decorator
  @inline specialised(): bool { return true; } // memory-bound: each mode its own loop (kernel/elementwise.ts)
  // @ts-ignore: decorator
  @inline vloss<T>(y: v128, p: v128): v128 {
    const r = v128.sub<T>(p, y);
    return v128.mul<T>(r, r);
  }
  // @ts-ignore: decorator
  @inline vgrad<T>(y: v128, p: v128): v128 {
    const r = v128.sub<T>(p, y);
    return v128.add<T>(r, r);
  }
  // @ts-ignore: decorator
  @inline sloss<T>(y: T, p: T): T { const r = p - y; return r * r; }
  // @ts-ignore: decorator
  @inline sgrad<T>(y: T, p: T): T { const r = p - y; return r + r; }
}

/** |y − ŷ|, d/dŷ = sign(r) with 0 at r = 0 (PyTorch's subgradient); NaN stays NaN. */
@unmanaged class Mae extends AnyRealNoParams {
  // @ts-ignore: decorator
  @inline specialised(): bool { return true; } // memory-bound: each mode its own loop (kernel/elementwise.ts)
  // @ts-ignore: decorator
  @inline vloss<T>(y: v128, p: v128): v128 {
    return v128.abs<T>(v128.sub<T>(p, y));
  }
  // @ts-ignore: decorator
  @inline vgrad<T>(y: v128, p: v128): v128 {
    const r = v128.sub<T>(p, y);
    const zero = v128.splat<T>(0);
    const one = vone<T>();
    const sign = v128.sub<T>(v128.and(v128.gt<T>(r, zero), one), v128.and(v128.lt<T>(r, zero), one));
    return v128.add<T>(sign, v128.and(v128.ne<T>(r, r), r));
  }
  // @ts-ignore: decorator
  @inline sloss<T>(y: T, p: T): T { return abs<T>(p - y); }
  // @ts-ignore: decorator
  @inline sgrad<T>(y: T, p: T): T {
    const r = p - y;
    return (<T>(r > 0) - <T>(r < 0)) + select<T>(r, 0, r != r); // bool → float: no branch at all
  }
}

/**
 * Huber with a = δ, scaled by b: b·(½r² if |r| ≤ δ else δ(|r| − ½δ)), d/dŷ = b·clamp(r, −δ, δ).
 * b = 1 is huber; δ = β with b = 1/β is smoothL1 (huber / β). The linear branch is written
 * bδ·|r| − ½bδ², so that smoothL1 (bδ ≈ 1) stays finite wherever |r| − ½β is.
 */
const DELTA = 0, MINUS_DELTA = 1, HALF_B = 2, B_DELTA = 3, HALF_B_DELTA2 = 4, B = 5;
@unmanaged class Huber extends AnyReal {
  // @ts-ignore: decorator
  @inline setup<T>(a: f64, b: f64): void {
    setParam<T>(DELTA, a);
    setParam<T>(MINUS_DELTA, -a);
    setParam<T>(HALF_B, 0.5 * b);
    setParam<T>(B_DELTA, b * a);
    setParam<T>(HALF_B_DELTA2, 0.5 * b * a * a);
    setParam<T>(B, b);
  }
  // @ts-ignore: decorator
  @inline vloss<T>(y: v128, p: v128): v128 {
    const r = v128.sub<T>(p, y);
    const m = v128.abs<T>(r);
    const quadratic = v128.mul<T>(v128.mul<T>(vparam(HALF_B), r), r);
    const linear = v128.sub<T>(v128.mul<T>(vparam(B_DELTA), m), vparam(HALF_B_DELTA2));
    return v128.bitselect(quadratic, linear, v128.le<T>(m, vparam(DELTA)));
  }
  // @ts-ignore: decorator
  @inline vgrad<T>(y: v128, p: v128): v128 {
    // pmax/pmin (one instruction each), not max/min (V8 expands their NaN and ±0 rules into ~8):
    // with r first, a NaN r passes through both.
    const r = v128.sub<T>(p, y);
    return v128.mul<T>(vparam(B), v128.pmin<T>(v128.pmax<T>(r, vparam(MINUS_DELTA)), vparam(DELTA)));
  }
  // @ts-ignore: decorator
  @inline sloss<T>(y: T, p: T): T {
    const r = p - y;
    const m = abs<T>(r);
    const quadratic = (sparam<T>(HALF_B) * r) * r;
    const linear = sparam<T>(B_DELTA) * m - sparam<T>(HALF_B_DELTA2);
    return select<T>(quadratic, linear, m <= sparam<T>(DELTA));
  }
  // @ts-ignore: decorator
  @inline sgrad<T>(y: T, p: T): T {
    const r = p - y;
    const low = select<T>(sparam<T>(MINUS_DELTA), r, r < sparam<T>(MINUS_DELTA)); // pmax(r, −δ)
    return sparam<T>(B) * select<T>(sparam<T>(DELTA), low, sparam<T>(DELTA) < low); // pmin(low, δ)
  }
}

/**
 * ln cosh r, d/dŷ = tanh r. Computed in float64 lanes, the float32 residual included (ŷ − y of two
 * float32 is exact or nearly so in float64, where rounding it in float32 alone would cost up to 2 ulp
 * of a loss that grows like r²), so float32 results are rounded once (math/hyperbolic.ts).
 */
@unmanaged class LogCosh extends AnyRealNoParams {
  // @ts-ignore: decorator
  @inline costly(): bool { return true; } // its modes share two loops (kernel/elementwise.ts)
  // @ts-ignore: decorator
  @inline vloss<T>(y: v128, p: v128): v128 {
    if (sizeof<T>() == 8) return logCosh64x2(f64x2.sub(p, y));
    return narrow32x4(logCosh64x2(f64x2.sub(low64(p), low64(y))), logCosh64x2(f64x2.sub(high64(p), high64(y))));
  }
  // @ts-ignore: decorator
  @inline vgrad<T>(y: v128, p: v128): v128 {
    if (sizeof<T>() == 8) return tanh64x2(f64x2.sub(p, y));
    return narrow32x4(tanh64x2(f64x2.sub(low64(p), low64(y))), tanh64x2(f64x2.sub(high64(p), high64(y))));
  }
  // @ts-ignore: decorator
  @inline sloss<T>(y: T, p: T): T { return <T>logCosh64(<f64>p - <f64>y); }
  // @ts-ignore: decorator
  @inline sgrad<T>(y: T, p: T): T { return <T>tanh64(<f64>p - <f64>y); }
}

export function mse_f32(n: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, k: f64, a: f64, b: f64, mode: i32): i32 {
  return elementwise<f32, Mse>(n, y, p, w, lo, g, k, a, b, mode);
}
export function mse_f64(n: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, k: f64, a: f64, b: f64, mode: i32): i32 {
  return elementwise<f64, Mse>(n, y, p, w, lo, g, k, a, b, mode);
}
export function mae_f32(n: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, k: f64, a: f64, b: f64, mode: i32): i32 {
  return elementwise<f32, Mae>(n, y, p, w, lo, g, k, a, b, mode);
}
export function mae_f64(n: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, k: f64, a: f64, b: f64, mode: i32): i32 {
  return elementwise<f64, Mae>(n, y, p, w, lo, g, k, a, b, mode);
}
export function huber_f32(n: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, k: f64, a: f64, b: f64, mode: i32): i32 {
  return elementwise<f32, Huber>(n, y, p, w, lo, g, k, a, b, mode);
}
export function huber_f64(n: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, k: f64, a: f64, b: f64, mode: i32): i32 {
  return elementwise<f64, Huber>(n, y, p, w, lo, g, k, a, b, mode);
}
export function logCosh_f32(n: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, k: f64, a: f64, b: f64, mode: i32): i32 {
  return elementwise<f32, LogCosh>(n, y, p, w, lo, g, k, a, b, mode);
}
export function logCosh_f64(n: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, k: f64, a: f64, b: f64, mode: i32): i32 {
  return elementwise<f64, LogCosh>(n, y, p, w, lo, g, k, a, b, mode);
}
