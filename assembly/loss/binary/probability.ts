// Binary cross-entropy on probabilities: the formula and its derivative as a vector (v128 of T) and
// a scalar twin with the same operations in the same order, so that SIMD and scalar builds give
// bit-identical elements. Written as a sum of non-negative terms, so the loss never cancels.

import { classifier } from "../../kernel/elementwise";
import { Off, On, setParam, sparam, vone, vparam } from "../../kernel/shared";
import { slog, vlog } from "../../math";
import { logNormal32, logNormal32x4 } from "../../math/log";
import { vnotUnits, sbadBoth } from "./domain";
import { HALF, HI, LO, POS } from "./params";

// ln of a clamped probability or its complement, both positive and normal: float32 skips ln's
// special values (BCE withGrad +30–36%, float32, ordinary arrays, interleaved A/B).
// @ts-ignore: decorator
@inline function vlnUnit<T>(x: v128): v128 { return sizeof<T>() == 4 ? logNormal32x4(x) : vlog<T>(x); }
// @ts-ignore: decorator
@inline function slnUnit<T>(x: T): T { return sizeof<T>() == 4 ? <T>logNormal32(<f32>x) : slog<T>(x); }

// Smallest normal numbers: a probability clamped no lower keeps 1/p finite, and ln of it finite.
const MIN_NORMAL_32: f64 = 1.1754943508222875e-38; // 0x1p-126
const MIN_NORMAL_64: f64 = 2.2250738585072014e-308; // 0x1p-1022

// @ts-ignore: decorator
@inline function minNormal<T>(): f64 { return sizeof<T>() == 4 ? MIN_NORMAL_32 : MIN_NORMAL_64; }

/**
 * Binary cross-entropy on probabilities, a = ε, b = w₊:
 *   l = −[w₊·y·ln p̄ + (1 − y)·ln(1 − p̄)],  p̄ = clamp(p, lo, hi),
 *   dl/dp = [(1 − y)·p̄ − w₊·y·(1 − p̄)] / (p̄(1 − p̄))   (at the clamped p̄: finite, non-zero)
 * lo and hi are ε and 1 − ε rounded to T (float32: 1 − 1e-7 rounds to 1 − 2⁻²³), kept within
 * [smallest normal, largest T below 1] so that loss and gradient stay finite for any allowed ε.
 * ln(1 − p̄) carries what rounding 1 − p̄ lost (which would cost up to 2⁻²⁴/p̄ relative for small p̄).
 */
@unmanaged class Bce {
  // @ts-ignore: decorator
  @inline setup<T>(a: f64, b: f64): void {
    const below1: f64 = sizeof<T>() == 4 ? 1 - 5.960464477539063e-8 : 1 - 1.1102230246251565e-16; // 1 − 2⁻²⁴, 1 − 2⁻⁵³
    setParam<T>(LO, max<f64>(<f64><T>a, minNormal<T>()));
    setParam<T>(HI, min<f64>(<f64><T>(1 - a), below1));
    setParam<T>(POS, b);
    setParam<T>(HALF, 0.5);
  }
  // @ts-ignore: decorator
  @inline checked(): bool { return true; }
  // @ts-ignore: decorator
  @inline vbad<T>(y: v128, p: v128): v128 { return vnotUnits<T>(y, p); }
  // @ts-ignore: decorator
  @inline sbad<T>(y: T, p: T): i32 { return sbadBoth<T>(y, p); }

  // @ts-ignore: decorator
  @inline vloss<T>(y: v128, p: v128): v128 { return bceV<T, Off>(y, p, y, 0, false); }
  // @ts-ignore: decorator
  @inline vboth<T>(y: v128, p: v128, k: v128, g: usize, G: bool): v128 { return bceV<T, On>(y, p, k, g, G); }
  // @ts-ignore: decorator
  @inline sloss<T>(y: T, p: T): T { return bceS<T, Off>(y, p, 0, 0, false); }
  // @ts-ignore: decorator
  @inline sboth<T>(y: T, p: T, k: T, g: usize, G: bool): T { return bceS<T, On>(y, p, k, g, G); }
  // @ts-ignore: decorator
  @inline vright<T>(y: v128, p: v128): v128 {
    return v128.not(v128.xor(v128.gt<T>(p, vparam(HALF)), v128.gt<T>(y, vparam(HALF))));
  }
  // @ts-ignore: decorator
  @inline sright<T>(y: T, p: T): bool { return (p > sparam<T>(HALF)) == (y > sparam<T>(HALF)); }
}

// The work of each costly loss is one function per dtype, inlined into the two loops its modes share
// (kernel/elementwise.ts); G = On also stores the gradient, times k, at g.

// ln(1 − c) is ln q + ((1 − q) − c)/q with q = 1 − c rounded: the first-order correction for what
// that rounding lost ((1 − q) − c is exact), ≤ 2 ulp like ln1p(−c). Written so, a vector of 0/1
// targets needs one ln per lane, of c or q as the target picks: BCE withGrad 0.17 → 0.20 el/ns
// (float32, zero copy, best of 6 interleaved runs on a loaded machine). Mixed vectors take both;
// for a 0/1 target both paths give the same bits (w·ln c + 0·B = w·ln c; 0·ln c + B = B), so SIMD
// and scalar builds still agree element by element.
// @ts-ignore: decorator
@inline function bceV<T, G>(y: v128, p: v128, k: v128, g: usize, wantGrad: bool): v128 {
  const one = vone<T>();
  const c = v128.pmin<T>(v128.pmax<T>(p, vparam(LO)), vparam(HI));
  const q = v128.sub<T>(one, c);
  const inv = v128.div<T>(one, v128.mul<T>(c, q));                    // 1/(c·q): 1/q and the gradient's
  const lost = v128.mul<T>(v128.sub<T>(v128.sub<T>(one, q), c), v128.mul<T>(c, inv));
  const ny = v128.sub<T>(one, y);
  const wy = v128.mul<T>(vparam(POS), y);
  let l: v128;
  const pos = v128.eq<T>(y, one);
  if (v128.all_true<i32>(v128.or(pos, v128.eq<T>(y, v128.splat<T>(0))))) {
    const ln = v128.add<T>(vlnUnit<T>(v128.bitselect(c, q, pos)), v128.andnot(lost, pos));
    l = v128.neg<T>(v128.mul<T>(v128.add<T>(wy, ny), ln));
  } else {
    l = v128.neg<T>(v128.add<T>(v128.mul<T>(wy, vlnUnit<T>(c)), v128.mul<T>(ny, v128.add<T>(vlnUnit<T>(q), lost))));
  }
  if (isInteger<G>() && wantGrad) {
    v128.store(g, v128.mul<T>(k, v128.mul<T>(v128.sub<T>(v128.mul<T>(ny, c), v128.mul<T>(wy, q)), inv)));
  }
  return l;
}

// @ts-ignore: decorator
@inline function bceS<T, G>(y: T, p: T, k: T, g: usize, wantGrad: bool): T {
  const c = sclamp<T>(p);
  const q = <T>1 - c;
  const inv = <T>1 / (c * q);
  const lost = ((<T>1 - q) - c) * (c * inv);
  const ny = <T>1 - y;
  const wy = sparam<T>(POS) * y;
  let l: T;
  const pos = y == 1;
  if (pos || y == 0) {
    l = -((wy + ny) * (slnUnit<T>(select<T>(c, q, pos)) + select<T>(0, lost, pos)));
  } else {
    l = -(wy * slnUnit<T>(c) + ny * (slnUnit<T>(q) + lost));
  }
  if (isInteger<G>() && wantGrad) store<T>(g, k * ((ny * c - wy * q) * inv));
  return l;
}

/** pmin(pmax(p, lo), hi), scalar. */
// @ts-ignore: decorator
@inline function sclamp<T>(p: T): T {
  const low = select<T>(sparam<T>(LO), p, p < sparam<T>(LO));
  return select<T>(sparam<T>(HI), low, sparam<T>(HI) < low);
}

export function binaryCrossEntropy_f32(n: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, k: f64, a: f64, b: f64, mode: i32): i32 {
  return classifier<f32, Bce>(n, y, p, w, lo, g, k, a, b, mode);
}
export function binaryCrossEntropy_f64(n: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, k: f64, a: f64, b: f64, mode: i32): i32 {
  return classifier<f64, Bce>(n, y, p, w, lo, g, k, a, b, mode);
}
