// The one loop of the similarity losses (dice, tversky, cosine similarity): rows of `dim` values of
// target and pred, a row's loss a function of three sums over it, and the gradient with respect to
// pred an affine function of each element: dl/dpᵢ = c₀ + c₁·yᵢ + c₂·pᵢ, the c's from the sums.
// So each row takes two passes: its sums, then (after the loss and the c's, in float64 scalars)
// its gradient; a short row's sums are taken before the previous row's gradient (see similarity()).
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
// into float64 every BLOCK elements (128 additions per lane: within ~7.6e-6 relative at worst,
// typically ~1e-7); widening them to float64 lanes first tripled the instructions of the sums pass
// (4 promotions, 6 float64 additions per 4 elements against 3 float32 ones). Cosine's squares are
// summed in float64 lanes, as cosineEmbedding's: a norm must neither overflow nor underflow. Lane
// order, shared by both builds: float32 lanes take element j of a block into accumulator j mod 8
// (two f32x4), float64 lanes j mod 4 (two f64x2), combined in float64 as narrowBlock and combine()
// say; the tail (dim mod 8, or mod 4) is added last, in order, in float64.

import { ARGUMENT_PRED, ARGUMENT_TARGET, BLOCK, MODE_GRAD, MODE_LOSSES, MODE_SEGMENT_FIRST, MODE_SEGMENT_GRAD, MODE_SEGMENT_SUMS,
  MODE_WEIGHTED, RESULT_ARGUMENT, RESULT_SUM } from "../abi";
import { factorOk } from "../loss/embedding/rows";
import { byteOffset, hsum, lanes, setResult } from "./shared";

/** What a loss file provides (an @unmanaged class called on a null instance, as in elementwise.ts): */
//   squares(): bool              its sums are Σ y·p, Σ y², Σ p²; else Σ y·p, Σ y, Σ p
//   narrow(): bool               float32 rows are summed in float32 lanes (bounded values; not with squares)
//   readsPred(): bool            c₂ may be non-zero (else the gradient pass reads the target only)
//   unit(): bool                 target and pred must lie in [0, 1] (else any value passes)
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
  const summed = !(mode & MODE_SEGMENT_GRAD);
  // A short row's sums are taken before the previous row's gradient is written: the loss's chain of
  // square roots and divisions then runs beside them rather than holding up the gradient loop.
  // (cosineSimilarity at 1000 × 128, zero copy: 126 → 112 µs of CPU a call.) A row longer than a
  // block keeps the old order: the chain is a small part of it, and the next row's sums would come
  // between the two reads of its target.
  const ahead = dim <= BLOCK;
  if (summed && rows > 0) {
    resetSums();
    const bad = sums<T, L>(op, dim, y, p);
    if (bad >= 0) return bad;
  }
  let total: f64 = 0;
  for (let r = 0; r < rows; r++) {
    const off = <usize>r * rowBytes;
    const l = op.finish(load<f64>(ROW), load<f64>(ROW, 8), load<f64>(ROW, 16), p0, p1, p2);
    const wr: f64 = mode & MODE_WEIGHTED ? <f64>load<T>(w + byteOffset<T>(r)) : 1;
    const wl = l * wr;
    if (mode & MODE_LOSSES) store<T>(lo + byteOffset<T>(r), <T>wl);
    total += wl;
    if (ahead && summed && r + 1 < rows) {
      const bad = nextRow<T, L>(op, dim, y + off + rowBytes, p + off + rowBytes);
      if (bad >= 0) return (r + 1) * dim + bad;
    }
    if (mode & MODE_GRAD) gradient<T, L>(op, dim, y + off, p + off, g + off, scale * wr);
    if (!ahead && summed && r + 1 < rows) {
      const bad = nextRow<T, L>(op, dim, y + off + rowBytes, p + off + rowBytes);
      if (bad >= 0) return (r + 1) * dim + bad;
    }
  }
  setResult<f64>(RESULT_SUM, total);
  return -1;
}

/** The sums of the row at y, p, from 0 (finish() has read the previous row's); -1 or the first element refused. */
// @ts-ignore: decorator
@inline function nextRow<T, L>(op: L, dim: i32, y: usize, p: usize): i32 {
  resetSums();
  return sums<T, L>(op, dim, y, p);
}

// @ts-ignore: decorator
@inline function resetSums(): void {
  store<f64>(ROW, 0);
  store<f64>(ROW, 0, 8);
  store<f64>(ROW, 0, 16);
}

/** Adds the sums of n elements to the row's; returns -1, or the index of the first element outside the domain. */
function sums<T, L>(op: L, n: i32, y: usize, p: usize): i32 {
  const narrow = sizeof<T>() == 4 && op.narrow();
  const nm = n & (narrow ? ~7 : ~3);
  let i = 0;
  while (i < nm) {
    const end = min(i + BLOCK, nm);
    const suspect = narrow ? narrowBlock<L>(op, i, end, y, p) : wideBlock<T, L>(op, i, end, y, p);
    if (suspect) {
      const bad = firstBad<T>(i, end, y, p);
      if (bad >= 0) return bad;
    }
    i = end;
  }
  let a = load<f64>(ROW), b = load<f64>(ROW, 8), c = load<f64>(ROW, 16);
  for (; i < n; i++) {
    const off = byteOffset<T>(i);
    const yv = load<T>(y + off), pv = load<T>(p + off);
    if (op.unit() && outsideUnit<T>(yv, pv) >= 0) return firstBad<T>(i, n, y, p);
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

/**
 * One block of a float32 row [i, end) in float32 lanes, eight elements a step (two vectors, so that
 * each lane's chain of additions waits for one addition per eight elements, not per four: the step
 * was bound by that latency); element j goes to accumulator j mod 8, combined as (s₀ + s₄) and so on,
 * then as four. Unit losses: true if the block may hold a value outside [0, 1] (then scanned).
 * (Measured, dice.withGrad zero copy at 2 × 65,536 on a loaded machine: 0.64 el/ns with one vector a
 * step and wasm's min/max for the check, 3.0 el/ns with two vectors and the unsigned maximum below.)
 */
function narrowBlock<L>(op: L, i: i32, end: i32, y: usize, p: usize): bool {
  if (ASC_FEATURE_SIMD) {
    let a0 = f32x4.splat(0);
    let a1 = a0, b0 = a0, b1 = a0, c0 = a0, c1 = a0, m = a0;
    for (; i < end; i += 8) {
      const off = byteOffset<f32>(i);
      const y0 = v128.load(y + off), y1 = v128.load(y + off, 16);
      const p0 = v128.load(p + off), p1 = v128.load(p + off, 16);
      a0 = v128.add<f32>(a0, v128.mul<f32>(y0, p0));
      a1 = v128.add<f32>(a1, v128.mul<f32>(y1, p1));
      b0 = v128.add<f32>(b0, y0);
      b1 = v128.add<f32>(b1, y1);
      c0 = v128.add<f32>(c0, p0);
      c1 = v128.add<f32>(c1, p1);
      if (op.unit()) m = v128.max<u32>(m, v128.max<u32>(v128.max<u32>(y0, p0), v128.max<u32>(y1, p1)));
    }
    addSums(hsum<f32>(v128.add<f32>(a0, a1)), hsum<f32>(v128.add<f32>(b0, b1)), hsum<f32>(v128.add<f32>(c0, c1)));
    return op.unit() && v128.any_true(v128.gt<u32>(m, v128.splat<u32>(ONE_BITS)));
  }
  let a0: f32 = 0, a1: f32 = 0, a2: f32 = 0, a3: f32 = 0, a4: f32 = 0, a5: f32 = 0, a6: f32 = 0, a7: f32 = 0;
  let b0: f32 = 0, b1: f32 = 0, b2: f32 = 0, b3: f32 = 0, b4: f32 = 0, b5: f32 = 0, b6: f32 = 0, b7: f32 = 0;
  let c0: f32 = 0, c1: f32 = 0, c2: f32 = 0, c3: f32 = 0, c4: f32 = 0, c5: f32 = 0, c6: f32 = 0, c7: f32 = 0;
  let m: u32 = 0;
  for (; i < end; i += 8) {
    const y0 = fy(y, i), y1 = fy(y, i + 1), y2 = fy(y, i + 2), y3 = fy(y, i + 3);
    const y4 = fy(y, i + 4), y5 = fy(y, i + 5), y6 = fy(y, i + 6), y7 = fy(y, i + 7);
    const q0 = fy(p, i), q1 = fy(p, i + 1), q2 = fy(p, i + 2), q3 = fy(p, i + 3);
    const q4 = fy(p, i + 4), q5 = fy(p, i + 5), q6 = fy(p, i + 6), q7 = fy(p, i + 7);
    a0 += y0 * q0; a1 += y1 * q1; a2 += y2 * q2; a3 += y3 * q3; a4 += y4 * q4; a5 += y5 * q5; a6 += y6 * q6; a7 += y7 * q7;
    b0 += y0; b1 += y1; b2 += y2; b3 += y3; b4 += y4; b5 += y5; b6 += y6; b7 += y7;
    c0 += q0; c1 += q1; c2 += q2; c3 += q3; c4 += q4; c5 += q5; c6 += q6; c7 += q7;
    if (op.unit()) {
      m = umax(m, umax(umax(umax(bits(y0), bits(q0)), umax(bits(y1), bits(q1))), umax(umax(bits(y2), bits(q2)), umax(bits(y3), bits(q3)))));
      m = umax(m, umax(umax(umax(bits(y4), bits(q4)), umax(bits(y5), bits(q5))), umax(umax(bits(y6), bits(q6)), umax(bits(y7), bits(q7)))));
    }
  }
  addSums(eight(a0, a1, a2, a3, a4, a5, a6, a7), eight(b0, b1, b2, b3, b4, b5, b6, b7), eight(c0, c1, c2, c3, c4, c5, c6, c7));
  return op.unit() && m > ONE_BITS;
}

// The unit interval's check by bits: a float32 in [0, 1] is at most 1.0's bits (0x3f800000) as an
// unsigned integer; anything negative (the sign bit), above 1, ±∞ or NaN is more. (So is −0, which
// is in [0, 1]: a block holding one is scanned, element by element, for nothing.) One unsigned max
// per vector instead of a comparison each side of y and p (6 operations).
const ONE_BITS: u32 = 0x3f800000;

// @ts-ignore: decorator
@inline function bits(x: f32): u32 {
  return reinterpret<u32>(x);
}
// @ts-ignore: decorator
@inline function umax(a: u32, b: u32): u32 {
  return select<u32>(a, b, a > b);
}
// @ts-ignore: decorator
@inline function fy(x: usize, j: i32): f32 {
  return load<f32>(x + byteOffset<f32>(j));
}

/** The scalar twin of hsum(s₀…₃ + s₄…₇): eight float32 accumulators combined as the SIMD build's two vectors. */
// @ts-ignore: decorator
@inline function eight(s0: f32, s1: f32, s2: f32, s3: f32, s4: f32, s5: f32, s6: f32, s7: f32): f64 {
  return (<f64>(s0 + s4) + <f64>(s1 + s5)) + (<f64>(s2 + s6) + <f64>(s3 + s7));
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
      if (op.unit()) {
        lo = v128.pmin<f64>(lo, v128.pmin<f64>(v128.pmin<f64>(ylo, plo), v128.pmin<f64>(yhi, phi)));
        hi = v128.pmax<f64>(hi, v128.pmax<f64>(v128.pmax<f64>(ylo, plo), v128.pmax<f64>(yhi, phi)));
      }
    }
    const a = combine(alo, ahi), b = combine(blo, bhi), c = combine(clo, chi);
    addSums(a, b, c);
    return op.unit() && outside(hmin<f64>(lo), hmax<f64>(hi), b + c);
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
    if (op.unit()) {
      lo = pmin<f64>(lo, pmin<f64>(pmin<f64>(pmin<f64>(y0, q0), pmin<f64>(y1, q1)), pmin<f64>(pmin<f64>(y2, q2), pmin<f64>(y3, q3))));
      hi = pmax<f64>(hi, pmax<f64>(pmax<f64>(pmax<f64>(y0, q0), pmax<f64>(y1, q1)), pmax<f64>(pmax<f64>(y2, q2), pmax<f64>(y3, q3))));
    }
  }
  const a = (a0 + a1) + (a2 + a3), b = (b0 + b1) + (b2 + b3), c = (c0 + c1) + (c2 + c3);
  addSums(a, b, c);
  return op.unit() && outside(lo, hi, b + c);
}

// A float64-lane block is in [0, 1] when its least and greatest values are. They are taken with
// pmin/pmax (one x86 instruction each; wasm's min and max, which propagate NaN, take several in V8),
// which skip a NaN: but a NaN in y or p makes the block's Σ y + Σ p NaN.
// @ts-ignore: decorator
@inline function outside(lo: f64, hi: f64, sums: f64): bool {
  return !(lo >= 0 && hi <= 1) || isNaN<f64>(sums);
}

// @ts-ignore: decorator
@inline function pmin<T>(a: T, b: T): T {
  return select<T>(b, a, b < a);
}
// @ts-ignore: decorator
@inline function pmax<T>(a: T, b: T): T {
  return select<T>(b, a, a < b);
}

// @ts-ignore: decorator
@inline function hmin<T>(v: v128): f64 {
  if (sizeof<T>() == 4) {
    return <f64>pmin<f32>(pmin<f32>(v128.extract_lane<f32>(v, 0), v128.extract_lane<f32>(v, 1)),
                          pmin<f32>(v128.extract_lane<f32>(v, 2), v128.extract_lane<f32>(v, 3)));
  }
  return pmin<f64>(v128.extract_lane<f64>(v, 0), v128.extract_lane<f64>(v, 1));
}
// @ts-ignore: decorator
@inline function hmax<T>(v: v128): f64 {
  if (sizeof<T>() == 4) {
    return <f64>pmax<f32>(pmax<f32>(v128.extract_lane<f32>(v, 0), v128.extract_lane<f32>(v, 1)),
                          pmax<f32>(v128.extract_lane<f32>(v, 2), v128.extract_lane<f32>(v, 3)));
  }
  return pmax<f64>(v128.extract_lane<f64>(v, 0), v128.extract_lane<f64>(v, 1));
}

// @ts-ignore: decorator
@inline function sv<T>(x: usize, j: i32): f64 {
  return <f64>load<T>(x + byteOffset<T>(j));
}

/** The argument code of y or p outside [0, 1] (NaN included), or -1. */
// @ts-ignore: decorator
@inline function outsideUnit<T>(y: T, p: T): i32 {
  return !(y >= 0 && y <= 1) ? ARGUMENT_TARGET : !(p >= 0 && p <= 1) ? ARGUMENT_PRED : -1;
}

// The rare path: a block may hold a value outside [0, 1]; find the first one, element by element.
function firstBad<T>(start: i32, end: i32, y: usize, p: usize): i32 {
  for (let i = start; i < end; i++) {
    const off = byteOffset<T>(i);
    const argument = outsideUnit<T>(load<T>(y + off), load<T>(p + off));
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
