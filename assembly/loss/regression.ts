// Regression losses on the residual r = ŷ − y: the formula and its derivative dl/dŷ, each as a
// vector (v128 of T) and a scalar twin written with the same operations in the same order, so
// that SIMD and scalar builds give bit-identical elements.

import { elementwise } from "../kernel/elementwise";
import { AnyReal, vhalf, vone } from "../kernel/shared";

/** (y − ŷ)², d/dŷ = 2r. */
@unmanaged class Mse extends AnyReal {
  // @ts-ignore: decorator
  @inline vloss<T>(y: v128, p: v128, a: v128, b: v128): v128 {
    const r = v128.sub<T>(p, y);
    return v128.mul<T>(r, r);
  }
  // @ts-ignore: decorator
  @inline vgrad<T>(y: v128, p: v128, a: v128, b: v128): v128 {
    const r = v128.sub<T>(p, y);
    return v128.add<T>(r, r);
  }
  // @ts-ignore: decorator
  @inline sloss<T>(y: T, p: T, a: T, b: T): T { const r = p - y; return r * r; }
  // @ts-ignore: decorator
  @inline sgrad<T>(y: T, p: T, a: T, b: T): T { const r = p - y; return r + r; }
}

/** |y − ŷ|, d/dŷ = sign(r) with 0 at r = 0 (PyTorch's subgradient); NaN stays NaN. */
@unmanaged class Mae extends AnyReal {
  // @ts-ignore: decorator
  @inline vloss<T>(y: v128, p: v128, a: v128, b: v128): v128 {
    return v128.abs<T>(v128.sub<T>(p, y));
  }
  // @ts-ignore: decorator
  @inline vgrad<T>(y: v128, p: v128, a: v128, b: v128): v128 {
    const r = v128.sub<T>(p, y);
    const zero = v128.splat<T>(0);
    const one = vone<T>();
    const sign = v128.sub<T>(v128.and(v128.gt<T>(r, zero), one), v128.and(v128.lt<T>(r, zero), one));
    return v128.add<T>(sign, v128.and(v128.ne<T>(r, r), r));
  }
  // @ts-ignore: decorator
  @inline sloss<T>(y: T, p: T, a: T, b: T): T { return abs<T>(p - y); }
  // @ts-ignore: decorator
  @inline sgrad<T>(y: T, p: T, a: T, b: T): T {
    const r = p - y;
    return (<T>(r > 0 ? 1 : 0) - <T>(r < 0 ? 1 : 0)) + (r != r ? r : <T>0);
  }
}

/**
 * Huber with a = δ, scaled by b: b·(½r² if |r| ≤ δ else δ(|r| − ½δ)), d/dŷ = b·clamp(r, −δ, δ).
 * b = 1 is huber; δ = β with b = 1/β is smoothL1 (huber / β). The linear branch multiplies by b·δ
 * first, so that smoothL1 (b·δ ≈ 1) stays finite wherever |r| − ½β is.
 */
@unmanaged class Huber extends AnyReal {
  // @ts-ignore: decorator
  @inline vloss<T>(y: v128, p: v128, a: v128, b: v128): v128 {
    const r = v128.sub<T>(p, y);
    const m = v128.abs<T>(r);
    const half = vhalf<T>();
    const quadratic = v128.mul<T>(b, v128.mul<T>(v128.mul<T>(half, r), r));
    const linear = v128.mul<T>(v128.mul<T>(b, a), v128.sub<T>(m, v128.mul<T>(half, a)));
    return v128.bitselect(quadratic, linear, v128.le<T>(m, a));
  }
  // @ts-ignore: decorator
  @inline vgrad<T>(y: v128, p: v128, a: v128, b: v128): v128 {
    // pmax/pmin (one instruction each), not max/min (V8 expands their NaN and ±0 rules into ~8):
    // with r first, a NaN r passes through both.
    const r = v128.sub<T>(p, y);
    return v128.mul<T>(b, v128.pmin<T>(v128.pmax<T>(r, v128.neg<T>(a)), a));
  }
  // @ts-ignore: decorator
  @inline sloss<T>(y: T, p: T, a: T, b: T): T {
    const r = p - y;
    const m = abs<T>(r);
    const half = <T>0.5;
    return m <= a ? b * ((half * r) * r) : (b * a) * (m - half * a);
  }
  // @ts-ignore: decorator
  @inline sgrad<T>(y: T, p: T, a: T, b: T): T {
    const r = p - y;
    const low = r < -a ? -a : r; // pmax(r, −a)
    return b * (a < low ? a : low); // pmin(low, a)
  }
}

export function mse_f32(n: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, k: f64, a: f64, b: f64, mode: i32): i32 { return elementwise<f32, Mse>(n, y, p, w, lo, g, k, a, b, mode); }
export function mse_f64(n: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, k: f64, a: f64, b: f64, mode: i32): i32 { return elementwise<f64, Mse>(n, y, p, w, lo, g, k, a, b, mode); }
export function mae_f32(n: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, k: f64, a: f64, b: f64, mode: i32): i32 { return elementwise<f32, Mae>(n, y, p, w, lo, g, k, a, b, mode); }
export function mae_f64(n: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, k: f64, a: f64, b: f64, mode: i32): i32 { return elementwise<f64, Mae>(n, y, p, w, lo, g, k, a, b, mode); }
export function huber_f32(n: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, k: f64, a: f64, b: f64, mode: i32): i32 { return elementwise<f32, Huber>(n, y, p, w, lo, g, k, a, b, mode); }
export function huber_f64(n: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, k: f64, a: f64, b: f64, mode: i32): i32 { return elementwise<f64, Huber>(n, y, p, w, lo, g, k, a, b, mode); }
