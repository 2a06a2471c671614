// Regression losses on the residual r = ŷ − y: the formula and its derivative dl/dŷ, each as a
// vector (v128 of T) and a scalar twin written with the same operations in the same order, so
// that SIMD and scalar builds give bit-identical elements. The twins avoid data-dependent branches
// (mispredicted half the time on random residuals): mae's scalar sign as bool → float ran 3× faster
// than with select, which V8 lowers to a branch for floats.

import { elementwise } from "../kernel/elementwise";
import { AnyReal, AnyRealNoParams, On, Off, setParam, sparam, vabs, vone, vparam } from "../kernel/shared";
import { slog1p, vlog1p } from "../math";
import { high64, logCosh64, logCosh64x2, low64, narrow32x4, tanh64, tanh64x2 } from "../math/hyperbolic";

/** (y − ŷ)², d/dŷ = 2r. */
@unmanaged class Mse extends AnyRealNoParams {
  // @ts-ignore: decorator
  @inline specialised(): bool { return true; } // memory-bound: each mode its own loop (kernel/elementwise.ts)
  // @ts-ignore: decorator
  @inline fourSums(): bool { return true; } // a step this short waits on its sum (kernel/elementwise.ts)
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
  @inline fourSums(): bool { return true; } // a step this short waits on its sum (kernel/elementwise.ts)
  // @ts-ignore: decorator
  @inline vloss<T>(y: v128, p: v128): v128 {
    return vabs<T>(v128.sub<T>(p, y));
  }
  // @ts-ignore: decorator
  @inline vgrad<T>(y: v128, p: v128): v128 {
    const r = v128.sub<T>(p, y);
    const zero = v128.splat<T>(0);
    const nan = v128.and(v128.ne<T>(r, r), r);
    if (sizeof<T>() == 4) {
      // The masks as integers (−1 or 0): their difference, converted, is the sign, 0 at ±0 and NaN:
      // the values of the form below in four instructions where it takes six (f64x2 has no convert).
      const sign = v128.sub<i32>(v128.lt<T>(r, zero), v128.gt<T>(r, zero));
      return v128.add<T>(f32x4.convert_i32x4_s(sign), nan);
    }
    const one = vone<T>();
    return v128.add<T>(v128.sub<T>(v128.and(v128.gt<T>(r, zero), one), v128.and(v128.lt<T>(r, zero), one)), nan);
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
  @inline specialised(): bool { return true; } // memory-bound: each mode its own loop (kernel/elementwise.ts)
  // @ts-ignore: decorator
  @inline setup<T>(a: f64, b: f64): void {
    setParam<T>(DELTA, a);
    setParam<T>(MINUS_DELTA, -a);
    setParam<T>(HALF_B, 0.5 * b);
    setParam<T>(B_DELTA, b * a);
    setParam<T>(HALF_B_DELTA2, 0.5 * b * a * a);
    setParam<T>(B, b);
  }
  // Its six parameters as arguments, held in registers by the loop (kernel/elementwise.ts).
  // @ts-ignore: decorator
  @inline vlossWith<T>(y: v128, p: v128, delta: v128, minusDelta: v128, halfB: v128, bDelta: v128, halfBDelta2: v128, b: v128): v128 {
    const r = v128.sub<T>(p, y);
    const m = vabs<T>(r);
    const quadratic = v128.mul<T>(v128.mul<T>(halfB, r), r);
    const linear = v128.sub<T>(v128.mul<T>(bDelta, m), halfBDelta2);
    return v128.bitselect(quadratic, linear, v128.le<T>(m, delta));
  }
  // @ts-ignore: decorator
  @inline vgradWith<T>(y: v128, p: v128, delta: v128, minusDelta: v128, halfB: v128, bDelta: v128, halfBDelta2: v128, b: v128): v128 {
    // pmax/pmin (one instruction each), not max/min (V8 expands their NaN and ±0 rules into ~8):
    // with r first, a NaN r passes through both.
    const r = v128.sub<T>(p, y);
    return v128.mul<T>(b, v128.pmin<T>(v128.pmax<T>(r, minusDelta), delta));
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

/**
 * Pinball loss with a = q: max(q·(y − ŷ), (q − 1)·(y − ŷ)), d/dŷ = −q where y > ŷ, 1 − q where
 * y < ŷ, 0 at y = ŷ; NaN stays NaN. Each product is rounded once (≤ ½ ulp).
 */
const Q = 0, Q_MINUS_1 = 1, MINUS_Q = 2, ONE_MINUS_Q = 3;
@unmanaged class Quantile extends AnyReal {
  // @ts-ignore: decorator
  @inline setup<T>(a: f64, b: f64): void {
    setParam<T>(Q, a);
    setParam<T>(Q_MINUS_1, a - 1);
    setParam<T>(MINUS_Q, -a);
    setParam<T>(ONE_MINUS_Q, 1 - a);
  }
  // @ts-ignore: decorator
  @inline vloss<T>(y: v128, p: v128): v128 {
    const r = v128.sub<T>(y, p);
    return v128.pmax<T>(v128.mul<T>(vparam(Q), r), v128.mul<T>(vparam(Q_MINUS_1), r));
  }
  // @ts-ignore: decorator
  @inline vgrad<T>(y: v128, p: v128): v128 {
    const r = v128.sub<T>(y, p);
    const zero = v128.splat<T>(0);
    const side = v128.add<T>(v128.and(v128.gt<T>(r, zero), vparam(MINUS_Q)), v128.and(v128.lt<T>(r, zero), vparam(ONE_MINUS_Q)));
    return v128.add<T>(side, v128.and(v128.ne<T>(r, r), r));
  }
  // @ts-ignore: decorator
  @inline sloss<T>(y: T, p: T): T {
    const r = y - p;
    const above = sparam<T>(Q) * r;
    const below = sparam<T>(Q_MINUS_1) * r;
    return select<T>(below, above, above < below); // pmax(above, below)
  }
  // @ts-ignore: decorator
  @inline sgrad<T>(y: T, p: T): T {
    const r = y - p;
    return (<T>(r > 0) * sparam<T>(MINUS_Q) + <T>(r < 0) * sparam<T>(ONE_MINUS_Q)) + select<T>(r, 0, r != r);
  }
}

/**
 * Mean absolute percentage error (Keras) with a = ε: 100·|y − ŷ| / max(|y|, ε), d/dŷ = ±100 / max(|y|, ε)
 * with 0 at y = ŷ. Computed as |r|·s with s = 100 / max(|y|, ε) (two roundings and a division: ≤ 1.5 ulp),
 * s shared by loss and gradient. ε is kept ≥ 2⁻¹²⁰ (float64: 2⁻¹⁰¹⁶), so that s is finite.
 */
const EPS = 0, HUNDRED = 1;
const MAPE_FLOOR_32: f64 = 7.52316384526264e-37; // 0x1p-120
const MAPE_FLOOR_64: f64 = 1.424047269444609e-306; // 0x1p-1016
@unmanaged class Mape extends AnyReal {
  // @ts-ignore: decorator
  @inline setup<T>(a: f64, b: f64): void {
    setParam<T>(EPS, max<f64>(<f64><T>a, sizeof<T>() == 4 ? MAPE_FLOOR_32 : MAPE_FLOOR_64));
    setParam<T>(HUNDRED, 100);
  }
  // @ts-ignore: decorator
  @inline vloss<T>(y: v128, p: v128): v128 { return mapeV<T, Off>(y, p, y, 0, false); }
  // @ts-ignore: decorator
  @inline vboth<T>(y: v128, p: v128, k: v128, g: usize, G: bool): v128 { return mapeV<T, On>(y, p, k, g, G); }
  // @ts-ignore: decorator
  @inline sloss<T>(y: T, p: T): T { return mapeS<T, Off>(y, p, 0, 0, false); }
  // @ts-ignore: decorator
  @inline sboth<T>(y: T, p: T, k: T, g: usize, G: bool): T { return mapeS<T, On>(y, p, k, g, G); }
}

// @ts-ignore: decorator
@inline function mapeV<T, G>(y: v128, p: v128, k: v128, g: usize, wantGrad: bool): v128 {
  const s = v128.div<T>(vparam(HUNDRED), v128.pmax<T>(v128.abs<T>(y), vparam(EPS))); // a NaN y passes through pmax
  const r = v128.sub<T>(p, y);
  if (isInteger<G>() && wantGrad) {
    const zero = v128.splat<T>(0);
    const sign = v128.sub<T>(v128.and(v128.gt<T>(r, zero), s), v128.and(v128.lt<T>(r, zero), s));
    v128.store(g, v128.mul<T>(k, v128.add<T>(sign, v128.and(v128.ne<T>(r, r), r))));
  }
  return v128.mul<T>(v128.abs<T>(r), s);
}

// @ts-ignore: decorator
@inline function mapeS<T, G>(y: T, p: T, k: T, g: usize, wantGrad: bool): T {
  const m = abs<T>(y);
  const s = sparam<T>(HUNDRED) / select<T>(sparam<T>(EPS), m, m < sparam<T>(EPS));
  const r = p - y;
  if (isInteger<G>() && wantGrad) store<T>(g, k * ((<T>(r > 0) * s - <T>(r < 0) * s) + select<T>(r, 0, r != r)));
  return abs<T>(r) * s;
}

/**
 * Mean squared logarithmic error (Keras 3) with a = ε: d² with d = ln(1 + a) − ln(1 + b), a = max(ŷ, ε),
 * b = max(y, ε); d/dŷ = 2d / (1 + a), and 0 strictly where ŷ < ε. d is computed without cancelling
 * as ±ln(1 + |a − b| / (1 + min(a, b))) (the difference of two logs loses all its digits as ŷ → y):
 * log1p ≤ 0.87 ulp at an argument within 1.5 ulp whose condition number is ≤ 1, so d is within
 * ~2.5 ulp and the loss within ~6 ulp (float32: 3.6e-7 relative), one log1p for both terms.
 */
@unmanaged class Msle extends AnyReal {
  // @ts-ignore: decorator
  @inline setup<T>(a: f64, b: f64): void {
    setParam<T>(EPS, a);
  }
  // @ts-ignore: decorator
  @inline vloss<T>(y: v128, p: v128): v128 { return msleV<T, Off>(y, p, y, 0, false); }
  // @ts-ignore: decorator
  @inline vboth<T>(y: v128, p: v128, k: v128, g: usize, G: bool): v128 { return msleV<T, On>(y, p, k, g, G); }
  // @ts-ignore: decorator
  @inline sloss<T>(y: T, p: T): T { return msleS<T, Off>(y, p, 0, 0, false); }
  // @ts-ignore: decorator
  @inline sboth<T>(y: T, p: T, k: T, g: usize, G: bool): T { return msleS<T, On>(y, p, k, g, G); }
}

// @ts-ignore: decorator
@inline function msleV<T, G>(y: v128, p: v128, k: v128, g: usize, wantGrad: bool): v128 {
  const one = vone<T>();
  const a = v128.pmax<T>(p, vparam(EPS));
  const b = v128.pmax<T>(y, vparam(EPS));
  const diff = v128.sub<T>(a, b);
  const x = v128.div<T>(v128.abs<T>(diff), v128.add<T>(one, v128.pmin<T>(a, b)));
  const signBit = v128.andnot(diff, v128.abs<T>(diff));
  const d = v128.xor(vlog1p<T>(x), signBit);
  if (isInteger<G>() && wantGrad) {
    const grad = v128.div<T>(v128.add<T>(d, d), v128.add<T>(one, a));
    v128.store(g, v128.mul<T>(k, v128.andnot(grad, v128.lt<T>(p, vparam(EPS)))));
  }
  return v128.mul<T>(d, d);
}

// @ts-ignore: decorator
@inline function msleS<T, G>(y: T, p: T, k: T, g: usize, wantGrad: bool): T {
  const eps = sparam<T>(EPS);
  const a = select<T>(eps, p, p < eps); // pmax(p, ε)
  const b = select<T>(eps, y, y < eps);
  const diff = a - b;
  const x = abs<T>(diff) / (<T>1 + select<T>(b, a, b < a)); // pmin(a, b)
  const d = copysign<T>(slog1p<T>(x), diff);
  if (isInteger<G>() && wantGrad) store<T>(g, k * select<T>(0, (d + d) / (<T>1 + a), p < eps));
  return d * d;
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
export function quantile_f32(n: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, k: f64, a: f64, b: f64, mode: i32): i32 {
  return elementwise<f32, Quantile>(n, y, p, w, lo, g, k, a, b, mode);
}
export function quantile_f64(n: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, k: f64, a: f64, b: f64, mode: i32): i32 {
  return elementwise<f64, Quantile>(n, y, p, w, lo, g, k, a, b, mode);
}
export function mape_f32(n: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, k: f64, a: f64, b: f64, mode: i32): i32 {
  return elementwise<f32, Mape>(n, y, p, w, lo, g, k, a, b, mode);
}
export function mape_f64(n: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, k: f64, a: f64, b: f64, mode: i32): i32 {
  return elementwise<f64, Mape>(n, y, p, w, lo, g, k, a, b, mode);
}
export function msle_f32(n: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, k: f64, a: f64, b: f64, mode: i32): i32 {
  return elementwise<f32, Msle>(n, y, p, w, lo, g, k, a, b, mode);
}
export function msle_f64(n: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, k: f64, a: f64, b: f64, mode: i32): i32 {
  return elementwise<f64, Msle>(n, y, p, w, lo, g, k, a, b, mode);
}
