// Binary classification losses and the binary accuracy metric, elementwise: the formula and its
// derivative as a vector (v128 of T) and a scalar twin with the same operations in the same order,
// so that SIMD and scalar builds give bit-identical elements.
//
// Every loss is written as a sum of non-negative terms, so no loss ever cancels: on logits,
// y·softplus(−z) + (1 − y)·softplus(z) with softplus(±z) = max(±z, 0) + ln(1 + e^−|z|), which stays
// finite and accurate for any finite z. Gradients are a difference of two such terms and cancel
// only where they are ~0 (at the minimum), as the mathematics does.

import { BLOCK, MODE_ACCURACY, MODE_GRAD, MODE_LOSSES, MODE_WEIGHTED, classifier, elementwise, firstBad } from "../kernel/elementwise";
import { ARGUMENT_PRED, ARGUMENT_TARGET, RESULT_SUM, RESULT_SUM2, hsum, setParam, sparam, vone, vparam } from "../kernel/shared";
import { slog, slog1p, sexp, vexp, vlog, vlog1p } from "../math";
import { SIGMA, logistic32, logistic32x4 } from "../math/logistic";
import { log64, log64x2, logNormal32, logNormal32x4 } from "../math/log";
import { expNonPositive32, expNonPositive32x4 } from "../math/exp";
import { SIGN_32, k } from "../math/constants";

// ln of a clamped probability or its complement, both positive and normal: float32 skips ln's
// special values (BCE withGrad +30–36%, float32, ordinary arrays, interleaved A/B).
// @ts-ignore: decorator
@inline function vlnUnit<T>(x: v128): v128 { return sizeof<T>() == 4 ? logNormal32x4(x) : vlog<T>(x); }
// @ts-ignore: decorator
@inline function slnUnit<T>(x: T): T { return sizeof<T>() == 4 ? <T>logNormal32(<f32>x) : slog<T>(x); }

// Smallest normal numbers: a probability clamped no lower keeps 1/p finite, and ln of it finite.
const MIN_NORMAL_32: f64 = 1.1754943508222875e-38; // 0x1p-126
const MIN_NORMAL_64: f64 = 2.2250738585072014e-308; // 0x1p-1022

// Smallest subnormal numbers: focal's floor for m = 1 − pₜ (below).
const MIN_SUBNORMAL_32: f64 = 1.401298464324817e-45; // 0x1p-149
const MIN_SUBNORMAL_64: f64 = 4.9406564584124654e-324; // 0x1p-1074

// @ts-ignore: decorator
@inline function minNormal<T>(): f64 { return sizeof<T>() == 4 ? MIN_NORMAL_32 : MIN_NORMAL_64; }

/** Lanes where y is not in [0, 1] (NaN included). */
// @ts-ignore: decorator
@inline function vnotUnit<T>(y: v128): v128 {
  // float32: y + 0 turns −0 into +0; then [+0, 1] is exactly the bit patterns [0, bits(1)] as
  // unsigned integers, and negatives, NaN and everything above 1 lie beyond (2 instructions, not 4).
  if (sizeof<T>() == 4) return i32x4.gt_u(f32x4.add(y, v128.splat<f32>(0)), vone<f32>());
  return v128.not(v128.and(v128.ge<T>(y, v128.splat<T>(0)), v128.le<T>(y, vone<T>())));
}

/** Lanes where y or p is not in [0, 1]. */
// @ts-ignore: decorator
@inline function vnotUnits<T>(y: v128, p: v128): v128 {
  if (sizeof<T>() == 4) {
    const zero = v128.splat<f32>(0);
    return i32x4.gt_u(i32x4.max_u(f32x4.add(y, zero), f32x4.add(p, zero)), vone<f32>());
  }
  return v128.or(vnotUnit<T>(y), vnotUnit<T>(p));
}

/** pmax(a, b) = a < b ? b : a, scalar (a NaN a passes through, as in the vector form). */
// @ts-ignore: decorator
@inline function smax<T>(a: T, b: T): T { return select<T>(b, a, a < b); }

// @ts-ignore: decorator
@inline function isUnit<T>(y: T): bool { return y >= 0 && y <= 1; }

/** Target in [0, 1], for every cross-entropy and focal loss. */
// @ts-ignore: decorator
@inline function sbadTarget<T>(y: T): i32 { return isUnit<T>(y) ? -1 : ARGUMENT_TARGET; }

/** Target and probability both in [0, 1] (the target is reported first). */
// @ts-ignore: decorator
@inline function sbadBoth<T>(y: T, p: T): i32 {
  return !isUnit<T>(y) ? ARGUMENT_TARGET : !isUnit<T>(p) ? ARGUMENT_PRED : -1;
}

// ---------------------------------------------------------------------------------------------
// On probabilities.

const LO = 0, HI = 1, POS = 2, HALF = 3;

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
type On = i32;
type Off = f32;

// ln(1 − c) is ln q + ((1 − q) − c)/q with q = 1 − c rounded: the first-order correction for what
// that rounding lost ((1 − q) − c is exact), ≤ 2 ulp like ln1p(−c). Written so, a vector of 0/1
// targets needs one ln per lane, of c or q as the target picks: BCE withGrad 0.17 → 0.20 el/ns
// (float32, zero copy, best of 6 interleaved runs on a loaded machine). Mixed vectors take both; for a 0/1 target both paths give the same bits
// (w·ln c + 0·B = w·ln c; 0·ln c + B = B), so SIMD and scalar builds still agree element by element.
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

/**
 * The binary accuracy metric, a = threshold: 1 where (p > threshold) == (y > ½), else 0; no gradient.
 * Target and probability in [0, 1].
 */
const THRESHOLD = 0;
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

// ---------------------------------------------------------------------------------------------
// On logits: t = e^−|z| ∈ [0, 1] never overflows; ln(1 + t), σ(|z|) = 1/(1 + t), σ(−|z|) = t/(1 + t).

const KEEP = 4, SHIFT = 5;               // BceLogits (beside POS, HALF)
const GAMMA = 4, ALPHA = 5, ALPHA_BAR = 6, TINY = 7; // Focal (beside HALF)

/**
 * Binary cross-entropy on logits, a = w₊, b = label smoothing α (target ỹ = y(1 − α) + α/2):
 *   l = w₊ỹ·softplus(−z) + (1 − ỹ)·softplus(z)
 *     = PyTorch's (1 − ỹ)z + (1 + (w₊ − 1)ỹ)·(ln(1 + e^−|z|) + max(−z, 0)), written without cancelling,
 *   dl/dz = (1 − ỹ)·σ(z) − w₊ỹ·σ(−z).
 */
@unmanaged class BceLogits {
  // @ts-ignore: decorator
  @inline setup<T>(a: f64, b: f64): void {
    setParam<T>(POS, a);
    setParam<T>(KEEP, 1 - b);
    setParam<T>(SHIFT, 0.5 * b);
    setParam<T>(HALF, 0.5);
  }
  // @ts-ignore: decorator
  @inline checked(): bool { return true; }
  // @ts-ignore: decorator
  @inline vbad<T>(y: v128, p: v128): v128 { return vnotUnit<T>(y); }
  // @ts-ignore: decorator
  @inline sbad<T>(y: T, p: T): i32 { return sbadTarget<T>(y); }

  // @ts-ignore: decorator
  @inline vloss<T>(y: v128, z: v128): v128 { return logitsV<T, Off>(y, z, y, 0, false); }
  // @ts-ignore: decorator
  @inline vboth<T>(y: v128, z: v128, k: v128, g: usize, G: bool): v128 { return logitsV<T, On>(y, z, k, g, G); }
  // @ts-ignore: decorator
  @inline sloss<T>(y: T, z: T): T { return logitsS<T, Off>(y, z, 0, 0, false); }
  // @ts-ignore: decorator
  @inline sboth<T>(y: T, z: T, k: T, g: usize, G: bool): T { return logitsS<T, On>(y, z, k, g, G); }
  // @ts-ignore: decorator
  @inline vright<T>(y: v128, z: v128): v128 {
    return v128.not(v128.xor(v128.gt<T>(z, v128.splat<T>(0)), v128.gt<T>(y, vparam(HALF))));
  }
  // @ts-ignore: decorator
  @inline sright<T>(y: T, z: T): bool { return (z > 0) == (y > sparam<T>(HALF)); }
}

/**
 * ln(1 + e^−|z|), with σ(|z|) and σ(−|z|) left at SIGMA and SIGMA + 16, for the logit losses.
 * float32: logistic32x4 (one t, one reciprocal, one ln); float64: exp, log1p and one division.
 */
// @ts-ignore: decorator
@inline function vlogistic<T>(z: v128): v128 {
  if (sizeof<T>() == 4) return logistic32x4(z);
  const one = vone<T>();
  const t = vexp<T>(v128.neg<T>(v128.abs<T>(z)));
  const big = v128.div<T>(one, v128.add<T>(one, t));
  v128.store(SIGMA, big);
  v128.store(SIGMA + 16, v128.mul<T>(t, big));
  return vlog1p<T>(t);
}

/** vlogistic's scalar twin. */
// @ts-ignore: decorator
@inline function slogistic<T>(z: T): T {
  if (sizeof<T>() == 4) return <T>logistic32(<f32>z);
  const t = sexp<T>(-abs<T>(z));
  const big = <T>1 / (<T>1 + t);
  store<T>(SIGMA, big);
  store<T>(SIGMA + 16, t * big);
  return slog1p<T>(t);
}

// softplus(±z) = max(±z, 0) + ln(1 + e^−|z|): the loss is (ns + ws)·ln(1 + e^−|z|) + |z|·(z ≥ 0 ? ns : ws),
// non-negative terms still. Each pair of lanes is picked with two xors (V8 turns bitselect into three
// instructions). Float32: one t, one reciprocal, one ln for loss and gradient (math/logistic.ts).
// @ts-ignore: decorator
@inline function logitsV<T, G>(y: v128, z: v128, k: v128, g: usize, wantGrad: bool): v128 {
  const one = vone<T>();
  const l1p = vlogistic<T>(z);
  const big = v128.load(SIGMA);
  const small = v128.load(SIGMA + 16);
  const s = v128.add<T>(v128.mul<T>(y, vparam(KEEP)), vparam(SHIFT));
  const ns = v128.sub<T>(one, s);
  const ws = v128.mul<T>(vparam(POS), s);
  const pos = v128.ge<T>(z, v128.splat<T>(0));
  if (isInteger<G>() && wantGrad) {
    const x = v128.xor(big, small);
    const p = v128.xor(small, v128.and(x, pos));                        // σ(z)
    v128.store(g, v128.mul<T>(k, v128.sub<T>(v128.mul<T>(ns, p), v128.mul<T>(ws, v128.xor(p, x))))); // − ws·σ(−z)
  }
  const side = v128.xor(ws, v128.and(v128.xor(ns, ws), pos));
  return v128.add<T>(v128.mul<T>(v128.add<T>(ns, ws), l1p), v128.mul<T>(v128.abs<T>(z), side));
}

// @ts-ignore: decorator
@inline function logitsS<T, G>(y: T, z: T, k: T, g: usize, wantGrad: bool): T {
  const l1p = slogistic<T>(z);
  const big = load<T>(SIGMA);
  const small = load<T>(SIGMA + 16);
  const s = y * sparam<T>(KEEP) + sparam<T>(SHIFT);
  const ns = <T>1 - s;
  const ws = sparam<T>(POS) * s;
  const pos = z >= 0;
  if (isInteger<G>() && wantGrad) store<T>(g, k * (ns * select<T>(big, small, pos) - ws * select<T>(small, big, pos)));
  return (ns + ws) * l1p + abs<T>(z) * select<T>(ns, ws, pos);
}

/**
 * Binary focal loss on logits, a = γ, b = α; p = σ(z), q = 1 − p = σ(−z), αₜ = αy + (1 − α)(1 − y):
 *   l = αₜ·m^γ·ce,  m = 1 − pₜ = y·q + (1 − y)·p,  ce = y·softplus(−z) + (1 − y)·softplus(z)
 * (ce = −ln pₜ for y ∈ {0, 1}: the loss of the contract; for soft targets, the cross-entropy, as
 * torchvision's sigmoid_focal_loss, so that γ = 0 is the α-weighted BCE for every target).
 *   dl/dz = αₜ·m^γ·[γ(1 − 2y)·(pq/m)·ce + (1 − y)p − yq]      (dm/dz = (1 − 2y)pq)
 * m^γ = e^(γ·ln m̄) with m̄ = max(m, smallest subnormal): m is 0 only where ce is 0 too (y ∈ {0, 1},
 * |z| > 87 in float32), and there m̄ keeps γ = 0 giving 1 (not 0·ln 0 = NaN) and pq/m̄ (≤ 1) finite.
 * A subnormal m is taken as it is (ln handles subnormals): a subnormal soft target y with a huge
 * logit has m ≈ y and ce ≈ y·|z| of order 1 (float64, y = 4.8e-309, z = −1e308: the smallest
 * normal as the floor made the loss 2.16× too large; found by the differential fuzz).
 */
@unmanaged class Focal {
  // @ts-ignore: decorator
  @inline setup<T>(a: f64, b: f64): void {
    setParam<T>(GAMMA, a);
    setParam<T>(ALPHA, b);
    setParam<T>(ALPHA_BAR, 1 - b);
    setParam<T>(TINY, sizeof<T>() == 4 ? MIN_SUBNORMAL_32 : MIN_SUBNORMAL_64);
    setParam<T>(HALF, 0.5);
  }
  // @ts-ignore: decorator
  @inline checked(): bool { return true; }
  // @ts-ignore: decorator
  @inline vbad<T>(y: v128, p: v128): v128 { return vnotUnit<T>(y); }
  // @ts-ignore: decorator
  @inline sbad<T>(y: T, p: T): i32 { return sbadTarget<T>(y); }

  // @ts-ignore: decorator
  @inline vloss<T>(y: v128, z: v128): v128 { return focalV<T, Off>(y, z, y, 0, false); }
  // @ts-ignore: decorator
  @inline vboth<T>(y: v128, z: v128, k: v128, g: usize, G: bool): v128 { return focalV<T, On>(y, z, k, g, G); }
  // @ts-ignore: decorator
  @inline sloss<T>(y: T, z: T): T { return focalS<T, Off>(y, z, 0, 0, false); }
  // @ts-ignore: decorator
  @inline sboth<T>(y: T, z: T, k: T, g: usize, G: bool): T { return focalS<T, On>(y, z, k, g, G); }
  // @ts-ignore: decorator
  @inline vright<T>(y: v128, z: v128): v128 {
    return v128.not(v128.xor(v128.gt<T>(z, v128.splat<T>(0)), v128.gt<T>(y, vparam(HALF))));
  }
  // @ts-ignore: decorator
  @inline sright<T>(y: T, z: T): bool { return (z > 0) == (y > sparam<T>(HALF)); }
}

// @ts-ignore: decorator
@inline function focalV<T, G>(y: v128, z: v128, k: v128, g: usize, wantGrad: bool): v128 {
  const one = vone<T>();
  const zero = v128.splat<T>(0);
  const ny = v128.sub<T>(one, y);
  const l1p = vlogistic<T>(z);
  const big = v128.load(SIGMA);
  const small = v128.load(SIGMA + 16);
  const pos = v128.ge<T>(z, zero);
  const p = v128.bitselect(big, small, pos);
  const q = v128.bitselect(small, big, pos);
  // the cross-entropy as logitsV writes it (γ = 0 gives its weighted form bit for bit)
  const ce = v128.add<T>(v128.mul<T>(v128.add<T>(ny, y), l1p), v128.mul<T>(v128.abs<T>(z), v128.bitselect(ny, y, pos)));
  const m = v128.pmax<T>(v128.add<T>(v128.mul<T>(y, q), v128.mul<T>(ny, p)), vparam(TINY));
  const at = v128.add<T>(v128.mul<T>(vparam(ALPHA), y), v128.mul<T>(vparam(ALPHA_BAR), ny));
  const scale = v128.mul<T>(at, vexp<T>(v128.mul<T>(vparam(GAMMA), vlog<T>(m))));
  if (isInteger<G>() && wantGrad) {
    const slope = v128.mul<T>(vparam(GAMMA), v128.sub<T>(one, v128.add<T>(y, y)));
    const dm = v128.mul<T>(v128.mul<T>(slope, v128.div<T>(v128.mul<T>(p, q), m)), ce);
    const dce = v128.sub<T>(v128.mul<T>(ny, p), v128.mul<T>(y, q));
    v128.store(g, v128.mul<T>(k, v128.mul<T>(scale, v128.add<T>(dm, dce))));
  }
  return v128.mul<T>(scale, ce);
}

// @ts-ignore: decorator
@inline function focalS<T, G>(y: T, z: T, k: T, g: usize, wantGrad: bool): T {
  const ny = <T>1 - y;
  const l1p = slogistic<T>(z);
  const big = load<T>(SIGMA);
  const small = load<T>(SIGMA + 16);
  const pos = z >= 0;
  const p = select<T>(big, small, pos);
  const q = select<T>(small, big, pos);
  const ce = (ny + y) * l1p + abs<T>(z) * select<T>(ny, y, pos);
  const m = smax<T>(y * q + ny * p, sparam<T>(TINY));
  const at = sparam<T>(ALPHA) * y + sparam<T>(ALPHA_BAR) * ny;
  const scale = at * sexp<T>(sparam<T>(GAMMA) * slog<T>(m));
  if (isInteger<G>() && wantGrad) {
    const slope = sparam<T>(GAMMA) * (<T>1 - (y + y));
    const dm = (slope * ((p * q) / m)) * ce;
    const dce = ny * p - y * q;
    store<T>(g, k * (scale * (dm + dce)));
  }
  return scale * ce;
}

// ---------------------------------------------------------------------------------------------
// Margins: y ∈ {−1, 1}, 0 read as −1 (so {0, 1} labels work unchanged), any other label refused.

/** The label as ±1: y − [y = 0]. */
// @ts-ignore: decorator
@inline function vsign<T>(y: v128): v128 {
  return v128.sub<T>(y, v128.and(v128.eq<T>(y, v128.splat<T>(0)), vone<T>()));
}

/** Lanes whose label is not −1, 0 or 1 (NaN included). */
// @ts-ignore: decorator
@inline function vnotLabel<T>(y: v128): v128 {
  return v128.not(v128.or(v128.eq<T>(v128.abs<T>(y), vone<T>()), v128.eq<T>(y, v128.splat<T>(0))));
}

// @ts-ignore: decorator
@inline function sbadLabel<T>(y: T): i32 { return abs<T>(y) == 1 || y == 0 ? -1 : ARGUMENT_TARGET; }

/**
 * Hinge, max(0, 1 − y·ŷ). dl/dŷ = −y where 1 − y·ŷ ≥ 0: at the kink (y·ŷ = 1) the active side,
 * as PyTorch's clamp(1 − y·ŷ, min=0), whose backward passes where input ≥ min. NaN ŷ gives NaN.
 */
@unmanaged class Hinge {
  // @ts-ignore: decorator
  @inline setup<T>(a: f64, b: f64): void {}
  // @ts-ignore: decorator
  @inline checked(): bool { return true; }
  // @ts-ignore: decorator
  @inline vbad<T>(y: v128, p: v128): v128 { return vnotLabel<T>(y); }
  // @ts-ignore: decorator
  @inline sbad<T>(y: T, p: T): i32 { return sbadLabel<T>(y); }
  // @ts-ignore: decorator
  @inline vloss<T>(y: v128, p: v128): v128 {
    return v128.pmax<T>(v128.sub<T>(vone<T>(), v128.mul<T>(vsign<T>(y), p)), v128.splat<T>(0));
  }
  // @ts-ignore: decorator
  @inline vgrad<T>(y: v128, p: v128): v128 {
    const s = vsign<T>(y);
    const m = v128.sub<T>(vone<T>(), v128.mul<T>(s, p));
    return v128.add<T>(v128.and(v128.ge<T>(m, v128.splat<T>(0)), v128.neg<T>(s)), v128.and(v128.ne<T>(m, m), m));
  }
  // @ts-ignore: decorator
  @inline sloss<T>(y: T, p: T): T { return smax<T>(<T>1 - (y - <T>(y == 0)) * p, 0); }
  // @ts-ignore: decorator
  @inline sgrad<T>(y: T, p: T): T {
    const s = y - <T>(y == 0);
    const m = <T>1 - s * p;
    return <T>(m >= 0) * -s + select<T>(m, 0, m != m); // bool → float: no branch
  }
  // @ts-ignore: decorator
  @inline vright<T>(y: v128, p: v128): v128 {
    const zero = v128.splat<T>(0);
    return v128.not(v128.xor(v128.gt<T>(p, zero), v128.gt<T>(y, zero)));
  }
  // @ts-ignore: decorator
  @inline sright<T>(y: T, p: T): bool { return (p > 0) == (y > 0); }
}

/** Squared hinge, max(0, 1 − y·ŷ)², dl/dŷ = −2y·max(0, 1 − y·ŷ) (0 at the kink either way). */
@unmanaged class SquaredHinge {
  // @ts-ignore: decorator
  @inline setup<T>(a: f64, b: f64): void {}
  // @ts-ignore: decorator
  @inline checked(): bool { return true; }
  // @ts-ignore: decorator
  @inline vbad<T>(y: v128, p: v128): v128 { return vnotLabel<T>(y); }
  // @ts-ignore: decorator
  @inline sbad<T>(y: T, p: T): i32 { return sbadLabel<T>(y); }
  // @ts-ignore: decorator
  @inline vloss<T>(y: v128, p: v128): v128 {
    const l = v128.pmax<T>(v128.sub<T>(vone<T>(), v128.mul<T>(vsign<T>(y), p)), v128.splat<T>(0));
    return v128.mul<T>(l, l);
  }
  // @ts-ignore: decorator
  @inline vgrad<T>(y: v128, p: v128): v128 {
    const s = vsign<T>(y);
    const l = v128.pmax<T>(v128.sub<T>(vone<T>(), v128.mul<T>(s, p)), v128.splat<T>(0));
    return v128.mul<T>(v128.neg<T>(s), v128.add<T>(l, l));
  }
  // @ts-ignore: decorator
  @inline sloss<T>(y: T, p: T): T {
    const l = smax<T>(<T>1 - (y - <T>(y == 0)) * p, 0);
    return l * l;
  }
  // @ts-ignore: decorator
  @inline sgrad<T>(y: T, p: T): T {
    const s = y - <T>(y == 0);
    const l = smax<T>(<T>1 - s * p, 0);
    return -s * (l + l);
  }
  // @ts-ignore: decorator
  @inline vright<T>(y: v128, p: v128): v128 {
    const zero = v128.splat<T>(0);
    return v128.not(v128.xor(v128.gt<T>(p, zero), v128.gt<T>(y, zero)));
  }
  // @ts-ignore: decorator
  @inline sright<T>(y: T, p: T): bool { return (p > 0) == (y > 0); }
}

export function binaryCrossEntropy_f32(n: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, k: f64, a: f64, b: f64, mode: i32): i32 { return classifier<f32, Bce>(n, y, p, w, lo, g, k, a, b, mode); }
export function binaryCrossEntropy_f64(n: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, k: f64, a: f64, b: f64, mode: i32): i32 { return classifier<f64, Bce>(n, y, p, w, lo, g, k, a, b, mode); }
export function binaryCrossEntropyWithLogits_f32(n: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, k: f64, a: f64, b: f64, mode: i32): i32 {
  if (a == 1 && (mode & (MODE_WEIGHTED | MODE_LOSSES)) == 0) return logitsProduct(n, y, p, g, k, b, mode);
  return classifier<f32, BceLogits>(n, y, p, w, lo, g, k, a, b, mode);
}
export function binaryCrossEntropyWithLogits_f64(n: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, k: f64, a: f64, b: f64, mode: i32): i32 { return classifier<f64, BceLogits>(n, y, p, w, lo, g, k, a, b, mode); }
export function binaryFocal_f32(n: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, k: f64, a: f64, b: f64, mode: i32): i32 { return classifier<f32, Focal>(n, y, p, w, lo, g, k, a, b, mode); }
export function binaryFocal_f64(n: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, k: f64, a: f64, b: f64, mode: i32): i32 { return classifier<f64, Focal>(n, y, p, w, lo, g, k, a, b, mode); }
export function hinge_f32(n: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, k: f64, a: f64, b: f64, mode: i32): i32 { return classifier<f32, Hinge>(n, y, p, w, lo, g, k, a, b, mode); }
export function hinge_f64(n: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, k: f64, a: f64, b: f64, mode: i32): i32 { return classifier<f64, Hinge>(n, y, p, w, lo, g, k, a, b, mode); }
export function squaredHinge_f32(n: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, k: f64, a: f64, b: f64, mode: i32): i32 { return classifier<f32, SquaredHinge>(n, y, p, w, lo, g, k, a, b, mode); }
export function squaredHinge_f64(n: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, k: f64, a: f64, b: f64, mode: i32): i32 { return classifier<f64, SquaredHinge>(n, y, p, w, lo, g, k, a, b, mode); }
export function binaryAccuracy_f32(n: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, k: f64, a: f64, b: f64, mode: i32): i32 { return elementwise<f32, Accuracy>(n, y, p, w, lo, g, k, a, b, mode); }
export function binaryAccuracy_f64(n: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, k: f64, a: f64, b: f64, mode: i32): i32 { return elementwise<f64, Accuracy>(n, y, p, w, lo, g, k, a, b, mode); }

// The product form, float32 'mean'/'sum' without weights, per-example losses or posWeight (w₊ = 1):
// then ns + ws = 1 for every element, smoothing or not, and Σ ln uᵢ = ln Π uᵢ. Each lane multiplies
// its u = 1 + e^−|z| ∈ [1, 2] into a float64 product (exact factors, 2⁻⁵³ relative rounding per
// product: ~1e-16 absolute per element in the log-sum, below one float32 ln's error) and takes one
// float64 ln per lane and block (256 factors per lane ≤ 2²⁵⁶: no overflow); c and |z|·side go into
// float32 lanes as before. The gradient is logitsV's, bit for bit. NaN z: u NaN, the product and
// the sum NaN; z = ±∞: u = 1, and |z|·side as before. BCE with logits withGrad +38–68% (N = 1e5,
// ordinary arrays, interleaved A/B of the two builds, e.g. 0.26 → 0.415 el/ns; scalar build +45%);
// the sum's error stays that of the float32 lane sums (5e-9–2e-8 relative at N = 1e5, as before).
function logitsProduct(n: i32, y: usize, z: usize, g: usize, scale: f64, b: f64, mode: i32): i32 {
  const op = changetype<BceLogits>(0);
  op.setup<f32>(1, b);
  const G_ = (mode & MODE_GRAD) != 0;
  const A_ = (mode & MODE_ACCURACY) != 0;
  let total: f64 = 0;
  let right: f64 = 0;
  let i = 0;
  const n4 = n & ~3;
  if (ASC_FEATURE_SIMD) {
    const one = vone<f32>();
    const vk = f32x4.splat(<f32>scale);
    while (i < n4) {
      const start = i;
      const end = min(i + BLOCK, n4);
      let acc = f32x4.splat(0);
      let bad = acc;
      let hits = acc;
      let lo = vone<f64>();
      let hi = lo;
      for (; i < end; i += 4) {
        const off = <usize>i << 2;
        const yv = v128.load(y + off);
        const zv = v128.load(z + off);
        // logistic32x4's t, u, r, c (math/logistic.ts)
        const t = expNonPositive32x4(v128.or(zv, k(SIGN_32)));
        const u = f32x4.add(one, t);
        const r = f32x4.div(one, u);
        const c = f32x4.mul(f32x4.sub(t, f32x4.sub(u, one)), r);
        const s = f32x4.add(f32x4.mul(yv, vparam(KEEP)), vparam(SHIFT));
        const ns = f32x4.sub(one, s);
        const pos = f32x4.ge(zv, f32x4.splat(0));
        if (G_) {
          const big = f32x4.sub(r, f32x4.mul(r, c));
          const small = f32x4.mul(t, big);
          const x = v128.xor(big, small);
          const p = v128.xor(small, v128.and(x, pos));                      // σ(z)
          v128.store(g + off, f32x4.mul(vk, f32x4.sub(f32x4.mul(ns, p), f32x4.mul(s, v128.xor(p, x)))));
        }
        const side = v128.xor(s, v128.and(v128.xor(ns, s), pos));
        acc = f32x4.add(acc, f32x4.add(c, f32x4.mul(f32x4.abs(zv), side)));
        lo = f64x2.mul(lo, f64x2.promote_low_f32x4(u));
        hi = f64x2.mul(hi, f64x2.promote_low_f32x4(v128.shuffle<f32>(u, u, 2, 3, 2, 3)));
        bad = v128.or(bad, vnotUnit<f32>(yv));
        if (A_) hits = f32x4.add(hits, v128.and(op.vright<f32>(yv, zv), one));
      }
      if (v128.any_true(bad)) return firstBad<f32, BceLogits>(op, start, end, y, z);
      const lnLo = log64x2(lo);
      const lnHi = log64x2(hi);
      total += (f64x2.extract_lane(lnLo, 0) + f64x2.extract_lane(lnLo, 1)) + (f64x2.extract_lane(lnHi, 0) + f64x2.extract_lane(lnHi, 1));
      total += hsum<f32>(acc);
      if (A_) right += hsum<f32>(hits);
    }
  } else {
    // The scalar build: the same per lane (lane j takes the elements i ≡ j mod 4), so the sums agree bit for bit.
    const kk = <f32>scale;
    while (i < n4) {
      const start = i;
      const end = min(i + BLOCK, n4);
      let a0: f32 = 0, a1: f32 = 0, a2: f32 = 0, a3: f32 = 0;
      let p0: f64 = 1, p1: f64 = 1, p2: f64 = 1, p3: f64 = 1;
      let hits: f32 = 0;
      let bad = false;
      for (; i < end; i += 4) {
        const off = <usize>i << 2;
        a0 += productStep(y + off, z + off, g + off, kk, G_); p0 *= <f64>load<f32>(U);
        a1 += productStep(y + off + 4, z + off + 4, g + off + 4, kk, G_); p1 *= <f64>load<f32>(U);
        a2 += productStep(y + off + 8, z + off + 8, g + off + 8, kk, G_); p2 *= <f64>load<f32>(U);
        a3 += productStep(y + off + 12, z + off + 12, g + off + 12, kk, G_); p3 *= <f64>load<f32>(U);
        bad = bad || !isUnit<f32>(load<f32>(y + off)) || !isUnit<f32>(load<f32>(y + off + 4))
                  || !isUnit<f32>(load<f32>(y + off + 8)) || !isUnit<f32>(load<f32>(y + off + 12));
        if (A_) {
          hits += (<f32>op.sright<f32>(load<f32>(y + off), load<f32>(z + off)) + <f32>op.sright<f32>(load<f32>(y + off + 4), load<f32>(z + off + 4)))
                + (<f32>op.sright<f32>(load<f32>(y + off + 8), load<f32>(z + off + 8)) + <f32>op.sright<f32>(load<f32>(y + off + 12), load<f32>(z + off + 12)));
        }
      }
      if (bad) return firstBad<f32, BceLogits>(op, start, end, y, z);
      total += (log64(p0) + log64(p1)) + (log64(p2) + log64(p3));
      total += (<f64>a0 + <f64>a1) + (<f64>a2 + <f64>a3);
      if (A_) right += <f64>hits;
    }
  }
  // the last n mod 4 elements: the element-wise form, as the other loop's tail
  for (; i < n; i++) {
    const off = <usize>i << 2;
    const yi = load<f32>(y + off);
    const zi = load<f32>(z + off);
    if (!isUnit<f32>(yi)) return firstBad<f32, BceLogits>(op, i, n, y, z);
    total += <f64>logitsS<f32, On>(yi, zi, <f32>scale, g + off, G_);
    if (A_) right += <f64><f32>op.sright<f32>(yi, zi);
  }
  store<f64>(RESULT_SUM, total);
  if (A_) store<f64>(RESULT_SUM2, right);
  return -1;
}

/** Where productStep leaves u. */
const U = memory.data(4, 4);

/** One lane of logitsProduct's vector step: c + |z|·side returned, u left at U, the gradient stored if G. */
// @ts-ignore: decorator
@inline function productStep(y: usize, z: usize, g: usize, kk: f32, G_: bool): f32 {
  const one: f32 = 1;
  const yi = load<f32>(y);
  const zi = load<f32>(z);
  const t = expNonPositive32(reinterpret<f32>(reinterpret<u32>(zi) | 0x80000000));
  const u = one + t;
  const r = one / u;
  const c = (t - (u - one)) * r;
  const s = yi * sparam<f32>(KEEP) + sparam<f32>(SHIFT);
  const ns = one - s;
  const pos = zi >= 0;
  if (G_) {
    const big = r - r * c;
    const small = t * big;
    store<f32>(g, kk * (ns * select<f32>(big, small, pos) - s * select<f32>(small, big, pos)));
  }
  store<f32>(U, u);
  return c + abs<f32>(zi) * select<f32>(ns, s, pos);
}
