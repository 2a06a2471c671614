// The one loop of the similarity losses (dice, tversky, cosine similarity): rows of `dim` values of
// target and pred, a row's loss a function of three sums over it, and the gradient with respect to
// pred an affine function of each element: dl/dpᵢ = c₀ + c₁·yᵢ + c₂·pᵢ, the c's from the sums.
// So each row takes two passes: its sums, then (after the loss and the c's, in float64 scalars)
// its gradient.
//
// Kernel ABI (every similarity export has exactly this signature):
//   (rows, dim, target, pred, weights, losses, grad: byte offsets, gradScale, p0, p1, p2: loss parameters, mode) → i32
// It returns -1, or the index (from `target`) of the first element outside the loss's domain, its
// argument left at RESULT_ARGUMENT. Σ wᵢ·lᵢ is left at RESULT_SUM.
//
// A row wider than a scratch slot streams through the slots a segment at a time (rows = 1, dim =
// the segment's length): MODE_SEGMENT_SUMS adds the segment to the row's sums (MODE_SEGMENT_FIRST:
// from 0), then MODE_SEGMENT_GRAD takes the loss from them and writes the segment's gradient.
// Segments start at multiples of BLOCK from the row's start and only the last one has a tail, so
// the sums are added in the same order as over the whole row: both ways give bit-identical results.
//
// Sums: float32 rows of bounded values (dice, tversky: [0, 1]) are summed in float32 lanes flushed
// into float64 every BLOCK elements (256 additions per lane: within ~1.5e-5 relative at worst,
// typically ~1e-7); widening them to float64 lanes first tripled the instructions of the sums pass
// (4 promotions, 6 float64 additions per 4 elements against 3 float32 ones). Cosine's squares are
// summed in float64 lanes, as cosineEmbedding's: a norm must neither overflow nor underflow. Lane
// order, shared by both builds: element j of a block goes to accumulator j mod 4, combined as
// (s0 + s1) + (s2 + s3) in float64 (the SIMD build: one f32x4, or two f64x2 for lanes 0–1 and
// 2–3); the dim mod 4 tail is added last, in order, in float64.

import { BLOCK, MODE_GRAD, MODE_LOSSES, MODE_SEGMENT_FIRST, MODE_SEGMENT_GRAD, MODE_SEGMENT_SUMS, MODE_WEIGHTED, RESULT_ARGUMENT,
  RESULT_SUM } from "../abi";
import { factorOk } from "../loss/embedding/rows";
import { byteOffset, hsum, lanes, setResult } from "./shared";

/** What a loss file provides (an @unmanaged class called on a null instance, as in elementwise.ts): */
//   squares(): bool              its sums are Σ y·p, Σ y², Σ p²; else Σ y·p, Σ y, Σ p
//   narrow(): bool               float32 rows may be summed in float32 lanes (bounded values)
//   readsPred(): bool            c₂ may be non-zero (else the gradient pass reads the target only)
//   checked(): bool              false: no domain to check
//   sbad<T>(y, p): i32           the argument code of y or p outside the domain (an interval), or -1
//   finish(a, b, c, p0, p1, p2): f64   the row's loss from its sums; sets c₀, c₁, c₂ (setCoefficients)

/** The row under way: its three sums, then the gradient's three coefficients (float64 each). */
const ROW: usize = memory.data(48, 16);

/** The unscaled gradient of the row finish() just took: dl/dpᵢ = c0 + c1·yᵢ + c2·pᵢ. */
// @ts-ignore: decorator
@inline export function setCoefficients(c0: f64, c1: f64, c2: f64): void {
  store<f64>(ROW, c0, 24);
  store<f64>(ROW, c1, 32);
  store<f64>(ROW, c2, 40);
}

export function similarity<T, L>(rows: i32, dim: i32, y: usize, p: usize, w: usize, lo: usize, g: usize,
                                 scale: f64, p0: f64, p1: f64, p2: f64, mode: i32): i32 {
  const op = changetype<L>(0);
  if (mode & MODE_SEGMENT_SUMS) {
    if (mode & MODE_SEGMENT_FIRST) resetSums();
    return sums<T, L>(op, dim, y, p);
  }
  const rowBytes = byteOffset<T>(dim);
  let total: f64 = 0;
  for (let r = 0; r < rows; r++) {
    const off = <usize>r * rowBytes;
    if (!(mode & MODE_SEGMENT_GRAD)) {
      resetSums();
      const bad = sums<T, L>(op, dim, y + off, p + off);
      if (bad >= 0) return r * dim + bad;
    }
    const l = op.finish(load<f64>(ROW), load<f64>(ROW, 8), load<f64>(ROW, 16), p0, p1, p2);
    const wr: f64 = mode & MODE_WEIGHTED ? <f64>load<T>(w + byteOffset<T>(r)) : 1;
    const wl = l * wr;
    if (mode & MODE_LOSSES) store<T>(lo + byteOffset<T>(r), <T>wl);
    total += wl;
    if (mode & MODE_GRAD) gradient<T, L>(op, dim, y + off, p + off, g + off, scale * wr);
  }
  setResult<f64>(RESULT_SUM, total);
  return -1;
}

// @ts-ignore: decorator
@inline function resetSums(): void {
  store<f64>(ROW, 0);
  store<f64>(ROW, 0, 8);
  store<f64>(ROW, 0, 16);
}

/** Adds the sums of n elements to the row's; returns -1, or the index of the first element outside the domain. */
function sums<T, L>(op: L, n: i32, y: usize, p: usize): i32 {
  const n4 = n & ~3;
  let i = 0;
  while (i < n4) {
    const end = min(i + BLOCK, n4);
    const bad = sizeof<T>() == 4 && op.narrow() ? narrowBlock<L>(op, i, end, y, p) : wideBlock<T, L>(op, i, end, y, p);
    if (bad) return firstBad<T, L>(op, i, end, y, p);
    i = end;
  }
  let a = load<f64>(ROW), b = load<f64>(ROW, 8), c = load<f64>(ROW, 16);
  for (; i < n; i++) {
    const off = byteOffset<T>(i);
    const yv = load<T>(y + off), pv = load<T>(p + off);
    if (op.checked() && op.sbad<T>(yv, pv) >= 0) return firstBad<T, L>(op, i, n, y, p);
    const yd = <f64>yv, pd = <f64>pv;
    a += yd * pd;
    b += op.squares() ? yd * yd : yd;
    c += op.squares() ? pd * pd : pd;
  }
  store<f64>(ROW, a);
  store<f64>(ROW, b, 8);
  store<f64>(ROW, c, 16);
  return -1;
}

// @ts-ignore: decorator
@inline function addSums(a: f64, b: f64, c: f64): void {
  store<f64>(ROW, load<f64>(ROW) + a);
  store<f64>(ROW, load<f64>(ROW, 8) + b, 8);
  store<f64>(ROW, load<f64>(ROW, 16) + c, 16);
}

/** One block of a float32 row [i, end) in float32 lanes; true if it holds a value outside the domain. */
function narrowBlock<L>(op: L, i: i32, end: i32, y: usize, p: usize): bool {
  if (ASC_FEATURE_SIMD) {
    let va = f32x4.splat(0);
    let vb = va, vc = va;
    let lo = f32x4.splat(Infinity), hi = f32x4.splat(-Infinity);
    for (; i < end; i += 4) {
      const off = byteOffset<f32>(i);
      const yv = v128.load(y + off), pv = v128.load(p + off);
      va = v128.add<f32>(va, v128.mul<f32>(yv, pv));
      vb = v128.add<f32>(vb, op.squares() ? v128.mul<f32>(yv, yv) : yv);
      vc = v128.add<f32>(vc, op.squares() ? v128.mul<f32>(pv, pv) : pv);
      if (op.checked()) {
        lo = v128.min<f32>(lo, v128.min<f32>(yv, pv));
        hi = v128.max<f32>(hi, v128.max<f32>(yv, pv));
      }
    }
    if (op.checked() && outside<L>(op, hmin<f32>(lo), hmax<f32>(hi))) return true;
    addSums(hsum<f32>(va), hsum<f32>(vb), hsum<f32>(vc));
    return false;
  }
  let a0: f32 = 0, a1: f32 = 0, a2: f32 = 0, a3: f32 = 0;
  let b0: f32 = 0, b1: f32 = 0, b2: f32 = 0, b3: f32 = 0;
  let c0: f32 = 0, c1: f32 = 0, c2: f32 = 0, c3: f32 = 0;
  let lo: f32 = Infinity, hi: f32 = -Infinity;
  for (; i < end; i += 4) {
    const off = byteOffset<f32>(i);
    const y0 = load<f32>(y + off), y1 = load<f32>(y + off, 4), y2 = load<f32>(y + off, 8), y3 = load<f32>(y + off, 12);
    const q0 = load<f32>(p + off), q1 = load<f32>(p + off, 4), q2 = load<f32>(p + off, 8), q3 = load<f32>(p + off, 12);
    a0 += y0 * q0; a1 += y1 * q1; a2 += y2 * q2; a3 += y3 * q3;
    if (op.squares()) {
      b0 += y0 * y0; b1 += y1 * y1; b2 += y2 * y2; b3 += y3 * y3;
      c0 += q0 * q0; c1 += q1 * q1; c2 += q2 * q2; c3 += q3 * q3;
    } else {
      b0 += y0; b1 += y1; b2 += y2; b3 += y3;
      c0 += q0; c1 += q1; c2 += q2; c3 += q3;
    }
    if (op.checked()) {
      lo = min<f32>(lo, min<f32>(min<f32>(min<f32>(y0, q0), min<f32>(y1, q1)), min<f32>(min<f32>(y2, q2), min<f32>(y3, q3))));
      hi = max<f32>(hi, max<f32>(max<f32>(max<f32>(y0, q0), max<f32>(y1, q1)), max<f32>(max<f32>(y2, q2), max<f32>(y3, q3))));
    }
  }
  if (op.checked() && outside<L>(op, lo, hi)) return true;
  addSums((<f64>a0 + <f64>a1) + (<f64>a2 + <f64>a3), (<f64>b0 + <f64>b1) + (<f64>b2 + <f64>b3), (<f64>c0 + <f64>c1) + (<f64>c2 + <f64>c3));
  return false;
}

/** Elements 0–1 (lo) or 2–3 (hi) of four consecutive T values at x (v: the first 16 bytes there), as f64x2. */
// @ts-ignore: decorator
@inline function wlo<T>(v: v128): v128 {
  return sizeof<T>() == 4 ? f64x2.promote_low_f32x4(v) : v;
}
// @ts-ignore: decorator
@inline function whi<T>(v: v128, x: usize): v128 {
  return sizeof<T>() == 4 ? f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 2, 3)) : v128.load(x + 16);
}

// @ts-ignore: decorator
@inline function combine(lo: v128, hi: v128): f64 {
  return (v128.extract_lane<f64>(lo, 0) + v128.extract_lane<f64>(lo, 1))
       + (v128.extract_lane<f64>(hi, 0) + v128.extract_lane<f64>(hi, 1));
}

/** One block [i, end) in float64 lanes (float32 values widened: their products are exact). */
function wideBlock<T, L>(op: L, i: i32, end: i32, y: usize, p: usize): bool {
  if (ASC_FEATURE_SIMD) {
    let alo = f64x2.splat(0);
    let ahi = alo, blo = alo, bhi = alo, clo = alo, chi = alo;
    let lo = f64x2.splat(Infinity), hi = f64x2.splat(-Infinity);
    for (; i < end; i += 4) {
      const off = byteOffset<T>(i);
      const yv = v128.load(y + off), pv = v128.load(p + off);
      const ylo = wlo<T>(yv), yhi = whi<T>(yv, y + off);
      const plo = wlo<T>(pv), phi = whi<T>(pv, p + off);
      alo = v128.add<f64>(alo, v128.mul<f64>(ylo, plo));
      ahi = v128.add<f64>(ahi, v128.mul<f64>(yhi, phi));
      blo = v128.add<f64>(blo, op.squares() ? v128.mul<f64>(ylo, ylo) : ylo);
      bhi = v128.add<f64>(bhi, op.squares() ? v128.mul<f64>(yhi, yhi) : yhi);
      clo = v128.add<f64>(clo, op.squares() ? v128.mul<f64>(plo, plo) : plo);
      chi = v128.add<f64>(chi, op.squares() ? v128.mul<f64>(phi, phi) : phi);
      if (op.checked()) {
        lo = v128.min<f64>(lo, v128.min<f64>(v128.min<f64>(ylo, plo), v128.min<f64>(yhi, phi)));
        hi = v128.max<f64>(hi, v128.max<f64>(v128.max<f64>(ylo, plo), v128.max<f64>(yhi, phi)));
      }
    }
    if (op.checked() && outside<L>(op, hmin<f64>(lo), hmax<f64>(hi))) return true;
    addSums(combine(alo, ahi), combine(blo, bhi), combine(clo, chi));
    return false;
  }
  let a0: f64 = 0, a1: f64 = 0, a2: f64 = 0, a3: f64 = 0;
  let b0: f64 = 0, b1: f64 = 0, b2: f64 = 0, b3: f64 = 0;
  let c0: f64 = 0, c1: f64 = 0, c2: f64 = 0, c3: f64 = 0;
  let lo: f64 = Infinity, hi: f64 = -Infinity;
  for (; i < end; i += 4) {
    const y0 = sv<T>(y, i), y1 = sv<T>(y, i + 1), y2 = sv<T>(y, i + 2), y3 = sv<T>(y, i + 3);
    const q0 = sv<T>(p, i), q1 = sv<T>(p, i + 1), q2 = sv<T>(p, i + 2), q3 = sv<T>(p, i + 3);
    a0 += y0 * q0; a1 += y1 * q1; a2 += y2 * q2; a3 += y3 * q3;
    if (op.squares()) {
      b0 += y0 * y0; b1 += y1 * y1; b2 += y2 * y2; b3 += y3 * y3;
      c0 += q0 * q0; c1 += q1 * q1; c2 += q2 * q2; c3 += q3 * q3;
    } else {
      b0 += y0; b1 += y1; b2 += y2; b3 += y3;
      c0 += q0; c1 += q1; c2 += q2; c3 += q3;
    }
    if (op.checked()) {
      lo = min<f64>(lo, min<f64>(min<f64>(min<f64>(y0, q0), min<f64>(y1, q1)), min<f64>(min<f64>(y2, q2), min<f64>(y3, q3))));
      hi = max<f64>(hi, max<f64>(max<f64>(max<f64>(y0, q0), max<f64>(y1, q1)), max<f64>(max<f64>(y2, q2), max<f64>(y3, q3))));
    }
  }
  if (op.checked() && outside<L>(op, lo, hi)) return true;
  addSums((a0 + a1) + (a2 + a3), (b0 + b1) + (b2 + b3), (c0 + c1) + (c2 + c3));
  return false;
}

// A domain is an interval: a block is inside it when its least and greatest values are (min and max
// propagate NaN, which no interval holds). Checking each element cost the float32 sums pass 6 more
// operations per vector (two comparisons, and, not, for each of y and p); min and max cost 4.
// @ts-ignore: decorator
@inline function outside<L>(op: L, lo: f64, hi: f64): bool {
  return op.sbad<f64>(lo, hi) >= 0;
}

// @ts-ignore: decorator
@inline function hmin<T>(v: v128): f64 {
  if (sizeof<T>() == 4) {
    return <f64>min<f32>(min<f32>(v128.extract_lane<f32>(v, 0), v128.extract_lane<f32>(v, 1)),
                         min<f32>(v128.extract_lane<f32>(v, 2), v128.extract_lane<f32>(v, 3)));
  }
  return min<f64>(v128.extract_lane<f64>(v, 0), v128.extract_lane<f64>(v, 1));
}
// @ts-ignore: decorator
@inline function hmax<T>(v: v128): f64 {
  if (sizeof<T>() == 4) {
    return <f64>max<f32>(max<f32>(v128.extract_lane<f32>(v, 0), v128.extract_lane<f32>(v, 1)),
                         max<f32>(v128.extract_lane<f32>(v, 2), v128.extract_lane<f32>(v, 3)));
  }
  return max<f64>(v128.extract_lane<f64>(v, 0), v128.extract_lane<f64>(v, 1));
}

// @ts-ignore: decorator
@inline function sv<T>(x: usize, j: i32): f64 {
  return <f64>load<T>(x + byteOffset<T>(j));
}

// The rare path: a block held a value outside the domain; find the first one with the scalar check.
function firstBad<T, L>(op: L, start: i32, end: i32, y: usize, p: usize): i32 {
  for (let i = start; i < end; i++) {
    const off = byteOffset<T>(i);
    const argument = op.sbad<T>(load<T>(y + off), load<T>(p + off));
    if (argument >= 0) {
      setResult<i32>(RESULT_ARGUMENT, argument);
      return i;
    }
  }
  return -1;
}

/**
 * g = k·c₀ + k·c₁·y (+ k·c₂·p), each factor rounded to T once per row; where one of them is not a
 * normal number in T (a row weight of 1e-30, norms beyond ~1e19 in float32), the row is written in
 * float64 and rounded once instead (the same in both builds).
 */
function gradient<T, L>(op: L, n: i32, y: usize, p: usize, g: usize, k: f64): void {
  const c0 = k * load<f64>(ROW, 24), c1 = k * load<f64>(ROW, 32), c2 = k * load<f64>(ROW, 40);
  if (!(factorOk<T>(c0) && factorOk<T>(c1) && factorOk<T>(c2))) {
    for (let i = 0; i < n; i++) {
      const off = byteOffset<T>(i);
      let v = c0 + c1 * <f64>load<T>(y + off);
      if (op.readsPred()) v += c2 * <f64>load<T>(p + off);
      store<T>(g + off, <T>v);
    }
    return;
  }
  const a0 = <T>c0, a1 = <T>c1, a2 = <T>c2;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const V = lanes<T>();
    const nv = n & ~(V - 1);
    const A0 = v128.splat<T>(a0), A1 = v128.splat<T>(a1), A2 = v128.splat<T>(a2);
    for (; i < nv; i += V) {
      const off = byteOffset<T>(i);
      let v = v128.add<T>(A0, v128.mul<T>(A1, v128.load(y + off)));
      if (op.readsPred()) v = v128.add<T>(v, v128.mul<T>(A2, v128.load(p + off)));
      v128.store(g + off, v);
    }
  }
  for (; i < n; i++) {
    const off = byteOffset<T>(i);
    let v = a0 + a1 * load<T>(y + off);
    if (op.readsPred()) v += a2 * load<T>(p + off);
    store<T>(g + off, v);
  }
}
