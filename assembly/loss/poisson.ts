// Poisson negative log-likelihood, PyTorch's poisson_nll_loss, with a = ε and b the flags below:
//   logInput (ŷ = ln λ):  l = e^ŷ − y·ŷ,            dl/dŷ = e^ŷ − y
//   a rate (ŷ = λ ≥ 0):   l = ŷ − y·ln(ŷ + ε),      dl/dŷ = 1 − y/(ŷ + ε)
//   full adds Stirling's term of ln y!, y·ln y − y + ½·ln(2πy), where y > 1 (else 0).
// Targets are counts, y ≥ 0; a rate must be ≥ 0 (PyTorch would take the log of a negative number and
// return NaN; here it is refused, with its index). Each combination of flags is its own loop.
//
// Accuracy: the log form: e^ŷ ≤ 1.05 ulp (float32; float64 1.0, math/exp.ts), y·ŷ and the difference one
// rounding each: within ~3 ulp of the larger term, e^ŷ + |y·ŷ| (the loss is a difference that crosses 0
// where e^ŷ = y·ŷ). The rate form: ln c ≤ 0.84 ulp (math/log.ts) with the exact correction below, then 3 roundings:
// within ~3 ulp of |ŷ| + |y·ln(ŷ + ε)|. ε is taken in the dtype (float32: 1e-8 rounds to 9.9999999e-9).

import { ARGUMENT_PRED, ARGUMENT_TARGET } from "../abi";
import { elementwise } from "../kernel/elementwise";
import { Off, On, setParam, sparam, vone, vparam } from "../kernel/shared";
import { sexp, slog, vexp, vlog } from "../math";
import { INF_32 } from "../math/constants";
import { expQuick32, expQuick32x4 } from "../math/exp";
import { logNormal32x4 } from "../math/log";

/** The flags in b: the spec's params (src/loss/regression.ts) add them. */
const LOG_INPUT = 1, FULL = 2;

const HALF = 0, HALF_LN_2PI = 1, EPS = 2;
const LN_2PI_HALF: f64 = 0.9189385332046727; // ½·ln 2π
// Smallest normal numbers: ε is kept no lower, so that ŷ + ε ≥ ε is normal and 1/(ŷ + ε) finite.
const MIN_NORMAL_32: f64 = 1.1754943508222875e-38; // 0x1p-126
const MIN_NORMAL_64: f64 = 2.2250738585072014e-308; // 0x1p-1022

// @ts-ignore: decorator
@inline function setupPoisson<T>(a: f64): void {
  setParam<T>(HALF, 0.5);
  setParam<T>(HALF_LN_2PI, LN_2PI_HALF);
  setParam<T>(EPS, max<f64>(<f64><T>a, sizeof<T>() == 4 ? MIN_NORMAL_32 : MIN_NORMAL_64));
}

/** Stirling's term where y > 1, else 0, as (y + ½)·ln y − y + ½·ln 2π. */
// @ts-ignore: decorator
@inline function vstirling<T>(y: v128): v128 {
  const s = v128.add<T>(v128.sub<T>(v128.mul<T>(v128.add<T>(y, vparam(HALF)), vlog<T>(y)), y), vparam(HALF_LN_2PI));
  return v128.and(s, v128.gt<T>(y, vone<T>()));
}

// @ts-ignore: decorator
@inline function sstirling<T>(y: T): T {
  return select<T>(((y + sparam<T>(HALF)) * slog<T>(y) - y) + sparam<T>(HALF_LN_2PI), 0, y > 1);
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

// ln(ŷ + ε) as ln c + lost/c, c = ŷ + ε rounded and lost what that rounding took (Knuth's TwoSum, exact):
// near c = 1, where ln c is small, y·ln c would otherwise carry the rounding of ŷ + ε y times over. 1/c
// serves the correction and the gradient 1 − y/c.
// @ts-ignore: decorator
@inline function rateV<T, G, F>(y: v128, p: v128, k: v128, g: usize, wantGrad: bool): v128 {
  const one = vone<T>();
  const eps = vparam(EPS);
  const c = v128.add<T>(p, eps);
  const pc = v128.sub<T>(c, eps);
  const lost = v128.add<T>(v128.sub<T>(p, pc), v128.sub<T>(eps, v128.sub<T>(c, pc)));
  const r = v128.div<T>(one, c);
  const ln = v128.add<T>(vlnRate<T>(c), v128.mul<T>(lost, r));
  let l = v128.sub<T>(p, v128.mul<T>(y, ln));
  if (isInteger<F>()) l = v128.add<T>(l, vstirling<T>(y));
  if (isInteger<G>() && wantGrad) v128.store(g, v128.mul<T>(k, v128.sub<T>(one, v128.mul<T>(y, r))));
  return l;
}

// ln c, c = ŷ + ε ≥ ε positive and normal for every accepted rate: float32 vectors whose lanes are all
// finite skip ln's special values (the same bits, math/log.ts), a uniform branch; the others take ln.
// @ts-ignore: decorator
@inline function vlnRate<T>(c: v128): v128 {
  if (sizeof<T>() == 4 && v128.all_true<i32>(f32x4.lt(c, v128.load(INF_32)))) return logNormal32x4(c);
  return vlog<T>(c);
}

// @ts-ignore: decorator
@inline function rateS<T, G, F>(y: T, p: T, k: T, g: usize, wantGrad: bool): T {
  const eps = sparam<T>(EPS);
  const c = p + eps;
  const pc = c - eps;
  const lost = (p - pc) + (eps - (c - pc));
  const r = <T>1 / c;
  const ln = slog<T>(c) + lost * r;
  let l = p - y * ln;
  if (isInteger<F>()) l = l + sstirling<T>(y);
  if (isInteger<G>() && wantGrad) store<T>(g, k * (<T>1 - y * r));
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
