// Poisson negative log-likelihood, PyTorch's poisson_nll_loss, with a = ε and b the flags below:
//   logInput (ŷ = ln λ):  l = e^ŷ − y·ŷ,            dl/dŷ = e^ŷ − y
//   a rate (ŷ = λ ≥ 0):   l = ŷ − y·ln(ŷ + ε),      dl/dŷ = 1 − y/(ŷ + ε)
//   full adds Stirling's term of ln y!, y·ln y − y + ½·ln(2πy), where y > 1 (else 0).
// Targets are counts, y ≥ 0; a rate must be ≥ 0 (PyTorch would take the log of a negative number and
// return NaN; here it is refused, with its index). Each combination of flags is its own loop.
//
// Accuracy: the log form in T: e^ŷ ≤ 1.05 ulp (float32; float64 1.0, math/exp.ts), y·ŷ and the difference one rounding each:
// within 2.5 ulp of the larger term, e^ŷ + |y·ŷ| (the loss is a difference that crosses 0 where
// e^ŷ = y·ŷ). The rate form in float64 lanes, float32 too (ln 0.81 ulp of float64), so a float32 result
// is rounded once: y·ln(ŷ + ε) near ŷ + ε = 1 would otherwise carry float32's rounding of ŷ + ε, y times.

import { ARGUMENT_PRED, ARGUMENT_TARGET } from "../abi";
import { elementwise } from "../kernel/elementwise";
import { Off, On, setParam, sparam, vone, vparam } from "../kernel/shared";
import { sexp, slog, vexp, vlog } from "../math";
import { expQuick32, expQuick32x4 } from "../math/exp";
import { high64, low64, narrow32x4 } from "../math/hyperbolic";

/** The flags in b: the spec's params (src/loss/regression.ts) add them. */
const LOG_INPUT = 1, FULL = 2;

const HALF = 0, HALF_LN_2PI = 1, EPS64 = 2, HALF64 = 3, HALF_LN_2PI64 = 4;
const LN_2PI_HALF: f64 = 0.9189385332046727; // ½·ln 2π

/** The float64 gradient of the rate form, for the float32 kernel to narrow. */
const RATE_GRAD = memory.data(16, 16);

// @ts-ignore: decorator
@inline function setupPoisson<T>(a: f64): void {
  setParam<T>(HALF, 0.5);
  setParam<T>(HALF_LN_2PI, LN_2PI_HALF);
  setParam<f64>(EPS64, a);
  setParam<f64>(HALF64, 0.5);
  setParam<f64>(HALF_LN_2PI64, LN_2PI_HALF);
}

/** Stirling's term where y > 1, else 0, as (y + ½)·ln y − y + ½·ln 2π, in lanes of U. */
// @ts-ignore: decorator
@inline function vstirling<U>(y: v128): v128 {
  const half = vparam(sizeof<U>() == 8 ? HALF64 : HALF);
  const c = vparam(sizeof<U>() == 8 ? HALF_LN_2PI64 : HALF_LN_2PI);
  const s = v128.add<U>(v128.sub<U>(v128.mul<U>(v128.add<U>(y, half), vlog<U>(y)), y), c);
  return v128.and(s, v128.gt<U>(y, vone<U>()));
}

// @ts-ignore: decorator
@inline function sstirling<U>(y: U): U {
  const half = sparam<U>(sizeof<U>() == 8 ? HALF64 : HALF);
  const c = sparam<U>(sizeof<U>() == 8 ? HALF_LN_2PI64 : HALF_LN_2PI);
  return select<U>(((y + half) * slog<U>(y) - y) + c, 0, y > 1);
}

/** ŷ = ln λ: any prediction, targets ≥ 0. F: full. */
@unmanaged class PoissonLog<F> {
  // @ts-ignore: decorator
  @inline setup<T>(a: f64, b: f64): void { setupPoisson<T>(a); }
  // @ts-ignore: decorator
  @inline checked(): bool { return true; }
  // @ts-ignore: decorator
  @inline vbad<T>(y: v128, p: v128): v128 { return v128.not(v128.ge<T>(y, v128.splat<T>(0))); }
  // @ts-ignore: decorator
  @inline sbad<T>(y: T, p: T): i32 { return y >= 0 ? -1 : ARGUMENT_TARGET; }
  // @ts-ignore: decorator
  @inline vloss<T>(y: v128, p: v128): v128 { return logV<T, Off, F>(y, p, y, 0, false); }
  // @ts-ignore: decorator
  @inline vboth<T>(y: v128, p: v128, k: v128, g: usize, G: bool): v128 { return logV<T, On, F>(y, p, k, g, G); }
  // @ts-ignore: decorator
  @inline sloss<T>(y: T, p: T): T { return logS<T, Off, F>(y, p, 0, 0, false); }
  // @ts-ignore: decorator
  @inline sboth<T>(y: T, p: T, k: T, g: usize, G: bool): T { return logS<T, On, F>(y, p, k, g, G); }
}

// float32: exp without its correction terms, ≤ 1.05 ulp where the corrected one has 0.81 (math/exp.ts),
// within the loss's bound of a few ulp of e^ŷ + |y·ŷ|; 8 operations fewer.
// @ts-ignore: decorator
@inline function logV<T, G, F>(y: v128, p: v128, k: v128, g: usize, wantGrad: bool): v128 {
  const e = sizeof<T>() == 4 ? expQuick32x4(p) : vexp<T>(p);
  let l = v128.sub<T>(e, v128.mul<T>(y, p));
  if (isInteger<F>()) l = v128.add<T>(l, vstirling<T>(y));
  if (isInteger<G>() && wantGrad) v128.store(g, v128.mul<T>(k, v128.sub<T>(e, y)));
  return l;
}

// @ts-ignore: decorator
@inline function logS<T, G, F>(y: T, p: T, k: T, g: usize, wantGrad: bool): T {
  const e = sizeof<T>() == 4 ? <T>expQuick32(<f32>p) : sexp<T>(p);
  let l = e - y * p;
  if (isInteger<F>()) l = l + sstirling<T>(y);
  if (isInteger<G>() && wantGrad) store<T>(g, k * (e - y));
  return l;
}

/** ŷ = λ ≥ 0: targets and predictions checked. F: full. */
@unmanaged class PoissonRate<F> {
  // @ts-ignore: decorator
  @inline setup<T>(a: f64, b: f64): void { setupPoisson<T>(a); }
  // @ts-ignore: decorator
  @inline checked(): bool { return true; }
  // @ts-ignore: decorator
  @inline vbad<T>(y: v128, p: v128): v128 {
    const zero = v128.splat<T>(0);
    return v128.not(v128.and(v128.ge<T>(y, zero), v128.ge<T>(p, zero)));
  }
  // @ts-ignore: decorator
  @inline sbad<T>(y: T, p: T): i32 { return !(y >= 0) ? ARGUMENT_TARGET : !(p >= 0) ? ARGUMENT_PRED : -1; }
  // @ts-ignore: decorator
  @inline vloss<T>(y: v128, p: v128): v128 { return rateV<T, Off, F>(y, p, y, 0, false); }
  // @ts-ignore: decorator
  @inline vboth<T>(y: v128, p: v128, k: v128, g: usize, G: bool): v128 { return rateV<T, On, F>(y, p, k, g, G); }
  // @ts-ignore: decorator
  @inline sloss<T>(y: T, p: T): T { return rateS<T, Off, F>(y, p, 0, 0, false); }
  // @ts-ignore: decorator
  @inline sboth<T>(y: T, p: T, k: T, g: usize, G: bool): T { return rateS<T, On, F>(y, p, k, g, G); }
}

/** The rate form on two float64 lanes; its gradient 1 − y/(ŷ + ε) is left at RATE_GRAD if wanted. */
// @ts-ignore: decorator
@inline function rate64x2<F>(y: v128, p: v128, wantGrad: bool): v128 {
  const c = f64x2.add(p, vparam(EPS64));
  let l = f64x2.sub(p, f64x2.mul(y, vlog<f64>(c)));
  if (isInteger<F>()) l = f64x2.add(l, vstirling<f64>(y));
  if (wantGrad) v128.store(RATE_GRAD, f64x2.sub(vone<f64>(), f64x2.div(y, c)));
  return l;
}

// @ts-ignore: decorator
@inline function rate64<F>(y: f64, p: f64, wantGrad: bool): f64 {
  const c = p + sparam<f64>(EPS64);
  let l = p - y * slog<f64>(c);
  if (isInteger<F>()) l = l + sstirling<f64>(y);
  if (wantGrad) store<f64>(RATE_GRAD, 1 - y / c);
  return l;
}

// @ts-ignore: decorator
@inline function rateV<T, G, F>(y: v128, p: v128, k: v128, g: usize, wantGrad: bool): v128 {
  const grad = isInteger<G>() && wantGrad;
  if (sizeof<T>() == 8) {
    const l = rate64x2<F>(y, p, grad);
    if (grad) v128.store(g, f64x2.mul(k, v128.load(RATE_GRAD)));
    return l;
  }
  const low = rate64x2<F>(low64(y), low64(p), grad);
  const lowGrad = v128.load(RATE_GRAD);
  const high = rate64x2<F>(high64(y), high64(p), grad);
  if (grad) v128.store(g, f32x4.mul(k, narrow32x4(lowGrad, v128.load(RATE_GRAD))));
  return narrow32x4(low, high);
}

// @ts-ignore: decorator
@inline function rateS<T, G, F>(y: T, p: T, k: T, g: usize, wantGrad: bool): T {
  const grad = isInteger<G>() && wantGrad;
  const l = <T>rate64<F>(<f64>y, <f64>p, grad);
  if (grad) store<T>(g, k * <T>load<f64>(RATE_GRAD));
  return l;
}

export function poissonNLL_f32(n: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, k: f64, a: f64, b: f64, mode: i32): i32 {
  const flags = <i32>b;
  if (flags == LOG_INPUT) return elementwise<f32, PoissonLog<Off>>(n, y, p, w, lo, g, k, a, b, mode);
  if (flags == (LOG_INPUT | FULL)) return elementwise<f32, PoissonLog<On>>(n, y, p, w, lo, g, k, a, b, mode);
  if (flags == FULL) return elementwise<f32, PoissonRate<On>>(n, y, p, w, lo, g, k, a, b, mode);
  return elementwise<f32, PoissonRate<Off>>(n, y, p, w, lo, g, k, a, b, mode);
}
export function poissonNLL_f64(n: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, k: f64, a: f64, b: f64, mode: i32): i32 {
  const flags = <i32>b;
  if (flags == LOG_INPUT) return elementwise<f64, PoissonLog<Off>>(n, y, p, w, lo, g, k, a, b, mode);
  if (flags == (LOG_INPUT | FULL)) return elementwise<f64, PoissonLog<On>>(n, y, p, w, lo, g, k, a, b, mode);
  if (flags == FULL) return elementwise<f64, PoissonRate<On>>(n, y, p, w, lo, g, k, a, b, mode);
  return elementwise<f64, PoissonRate<Off>>(n, y, p, w, lo, g, k, a, b, mode);
}
