// Three-input elementwise losses (target, a, b), each input with its own gradient: the formula and
// both derivatives as a vector (v128 of T) and a scalar twin with the same operations in the same
// order, so that SIMD and scalar builds give bit-identical elements (kernel/ternary.ts runs them).

import { ARGUMENT_SECOND, ARGUMENT_TARGET } from "../abi";
import { ternary } from "../kernel/ternary";
import { setParam, sparam, vone, vparam } from "../kernel/shared";
import { slog, vlog } from "../math";
import { INF_32, k } from "../math/constants";
import { logNormal32, logNormal32x4 } from "../math/log";

// Parameter slots (kernel/shared.ts), one set per loss.
const LO = 0, FULL = 1, HALF = 2;
const MARGIN = 0;

// The smallest normal numbers: a variance clamped no lower keeps 1/v finite (float32: 1/2⁻¹²⁶ = 2¹²⁶,
// where an ε allowed by the option range but subnormal in float32 would make 1/v overflow).
const MIN_NORMAL_32: f64 = 1.1754943508222875e-38; // 0x1p-126
const MIN_NORMAL_64: f64 = 2.2250738585072014e-308; // 0x1p-1022

// ln v of a clamped variance: v is normal or +∞ or NaN. Float32 takes ln's core for normal numbers
// and passes +∞ and NaN through themselves (their logarithms), skipping ln's other special values.
// @ts-ignore: decorator
@inline function vlnClamped<T>(v: v128): v128 {
  if (sizeof<T>() == 8) return vlog<T>(v);
  return v128.bitselect(logNormal32x4(v), v, f32x4.lt(v, k(INF_32)));
}
// @ts-ignore: decorator
@inline function slnClamped<T>(v: T): T {
  if (sizeof<T>() == 8) return slog<T>(v);
  return select<T>(<T>logNormal32(<f32>v), v, v < <T>Infinity);
}

/**
 * Gaussian negative log-likelihood, a = the mean ŷ, b = the variance, p0 = ε, p1 = the constant
 * (½·ln 2π with `full`, else 0):
 *   l = (½·ln v + (½r)·t) + c,  v = max(variance, ε), r = ŷ − y, u = 1/v, t = r·u
 *   dl/dŷ = t,  dl/dvariance = ½u − (½t)·t  (at the clamped v, as PyTorch's clamp under no_grad)
 * (½r)·t, not r²/v nor ½(r·t): r² overflows float32 beyond r ≈ 1.8e19 where r²/v need not, and r·t
 * beyond 3.4e38 where the loss, half of it, need not; likewise ½u − (½t)·t for ½(1/v − t²). One
 * division (u) instead of two: t = r·u is within 2 ulp, and u stays normal but for v > 2¹²⁶, where
 * it keeps 21 bits or more (5e-7 relative at v = 3.4e38, within the float32 tolerance).
 * A variance < 0 is refused; NaN passes through (as in PyTorch, whose check `var < 0` lets it by).
 */
@unmanaged class GaussianNll {
  // @ts-ignore: decorator
  @inline costly(): bool { return true; } // a logarithm (with a division of its own) and a division per element
  // @ts-ignore: decorator
  @inline setup<T>(p0: f64, p1: f64): void {
    setParam<T>(LO, max<f64>(<f64><T>p0, sizeof<T>() == 4 ? MIN_NORMAL_32 : MIN_NORMAL_64));
    setParam<T>(FULL, p1);
    setParam<T>(HALF, 0.5);
  }
  // @ts-ignore: decorator
  @inline checked(): bool { return true; }
  // @ts-ignore: decorator
  @inline vbad<T>(y: v128, a: v128, b: v128): v128 { return v128.lt<T>(b, v128.splat<T>(0)); }
  // @ts-ignore: decorator
  @inline sbad<T>(y: T, a: T, b: T): i32 { return b < 0 ? ARGUMENT_SECOND : -1; }
  // @ts-ignore: decorator
  @inline vboth<T>(y: v128, a: v128, b: v128, k: v128, ga: usize, gb: usize, G: bool): v128 {
    const v = v128.pmax<T>(b, vparam(LO)); // b < lo ? lo : b: a NaN variance stays NaN
    const r = v128.sub<T>(a, y);
    const u = v128.div<T>(vone<T>(), v);
    const t = v128.mul<T>(r, u);
    if (G) {
      v128.store(ga, v128.mul<T>(k, t));
      const d = v128.sub<T>(v128.mul<T>(vparam(HALF), u), v128.mul<T>(v128.mul<T>(vparam(HALF), t), t));
      v128.store(gb, v128.mul<T>(k, d));
    }
    const l = v128.add<T>(v128.mul<T>(vparam(HALF), vlnClamped<T>(v)), v128.mul<T>(v128.mul<T>(vparam(HALF), r), t));
    return v128.add<T>(l, vparam(FULL));
  }
  // @ts-ignore: decorator
  @inline sboth<T>(y: T, a: T, b: T, k: T, ga: usize, gb: usize, G: bool): T {
    const v = select<T>(sparam<T>(LO), b, b < sparam<T>(LO));
    const r = a - y;
    const u = <T>1 / v;
    const t = r * u;
    if (G) {
      store<T>(ga, k * t);
      const d = sparam<T>(HALF) * u - (sparam<T>(HALF) * t) * t;
      store<T>(gb, k * d);
    }
    const l = sparam<T>(HALF) * slnClamped<T>(v) + (sparam<T>(HALF) * r) * t;
    return l + sparam<T>(FULL);
  }
}

/**
 * Margin ranking, a = x₁, b = x₂, y ∈ {−1, 1}, p0 = the margin m:
 *   l = max(0, m − y·(x₁ − x₂)),  dl/dx₁ = −y, dl/dx₂ = y where m − y·(x₁ − x₂) ≥ 0, else 0
 * At the kink the active side, as PyTorch's clamp_min, whose backward passes where input ≥ min;
 * a NaN makes loss and gradients NaN. Any label but −1 and 1 is refused (0 included).
 */
@unmanaged class MarginRanking {
  // @ts-ignore: decorator
  @inline setup<T>(p0: f64, p1: f64): void {
    setParam<T>(MARGIN, p0);
  }
  // @ts-ignore: decorator
  @inline checked(): bool { return true; }
  // @ts-ignore: decorator
  @inline vbad<T>(y: v128, a: v128, b: v128): v128 { return v128.not(v128.eq<T>(v128.abs<T>(y), vone<T>())); }
  // @ts-ignore: decorator
  @inline sbad<T>(y: T, a: T, b: T): i32 { return abs<T>(y) == 1 ? -1 : ARGUMENT_TARGET; }
  // @ts-ignore: decorator
  @inline vboth<T>(y: v128, a: v128, b: v128, k: v128, ga: usize, gb: usize, G: bool): v128 {
    const m = v128.sub<T>(vparam(MARGIN), v128.mul<T>(y, v128.sub<T>(a, b)));
    if (G) {
      const ky = v128.mul<T>(k, y); // ±k exactly
      const active = v128.ge<T>(m, v128.splat<T>(0));
      const nan = v128.and(v128.ne<T>(m, m), m);
      v128.store(ga, v128.add<T>(v128.and(active, v128.neg<T>(ky)), nan));
      v128.store(gb, v128.add<T>(v128.and(active, ky), nan));
    }
    return v128.pmax<T>(m, v128.splat<T>(0)); // m < 0 ? 0 : m: NaN stays NaN
  }
  // @ts-ignore: decorator
  @inline sboth<T>(y: T, a: T, b: T, k: T, ga: usize, gb: usize, G: bool): T {
    const m = sparam<T>(MARGIN) - y * (a - b);
    if (G) {
      const ky = k * y;
      const active = <T>(m >= 0); // bool → float: no branch
      const nan = select<T>(m, 0, m != m);
      store<T>(ga, active * -ky + nan);
      store<T>(gb, active * ky + nan);
    }
    return select<T>(0, m, m < 0);
  }
}

export function gaussianNLL_f32(n: i32, y: usize, a: usize, b: usize, w: usize, lo: usize, ga: usize, gb: usize,
                                k: f64, p0: f64, p1: f64, mode: i32): i32 {
  return ternary<f32, GaussianNll>(n, y, a, b, w, lo, ga, gb, k, p0, p1, mode);
}
export function gaussianNLL_f64(n: i32, y: usize, a: usize, b: usize, w: usize, lo: usize, ga: usize, gb: usize,
                                k: f64, p0: f64, p1: f64, mode: i32): i32 {
  return ternary<f64, GaussianNll>(n, y, a, b, w, lo, ga, gb, k, p0, p1, mode);
}
export function marginRanking_f32(n: i32, y: usize, a: usize, b: usize, w: usize, lo: usize, ga: usize, gb: usize,
                                  k: f64, p0: f64, p1: f64, mode: i32): i32 {
  return ternary<f32, MarginRanking>(n, y, a, b, w, lo, ga, gb, k, p0, p1, mode);
}
export function marginRanking_f64(n: i32, y: usize, a: usize, b: usize, w: usize, lo: usize, ga: usize, gb: usize,
                                  k: f64, p0: f64, p1: f64, mode: i32): i32 {
  return ternary<f64, MarginRanking>(n, y, a, b, w, lo, ga, gb, k, p0, p1, mode);
}
